import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { NormalizeEmail } from '../../../auth/dto/normalize-email.js';
import { FormNullable } from '../../../logbook/dto/form-transforms.js';
import { LICENSES } from '../licenses.js';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
/** Absent means unchanged; null is validated (and refused): these columns cannot be empty. */
const UnlessAbsent = () => ValidateIf((_, value) => value !== undefined);

/**
 * A partial profile edit, by JSON (what the client sends) or multipart (with a `profile_image` file).
 * The original's own rules: a username of at least 3 characters, a country of letters only, a license
 * from its list; the email is normalised as at sign-up, and its uniqueness is checked by the service.
 */
export class EditProfileDto {
  @ApiPropertyOptional({ minLength: 3, maxLength: 30 })
  @trim()
  @UnlessAbsent()
  @IsString()
  @Length(3, 30, { message: 'Username must be 3 to 30 characters long.' })
  username?: string;

  @ApiPropertyOptional({ maxLength: 64 })
  @NormalizeEmail()
  @UnlessAbsent()
  @IsEmail({}, { message: 'Enter a valid email address.' })
  @MaxLength(64)
  email?: string;

  @ApiPropertyOptional({ maxLength: 20, description: 'letters only' })
  @trim()
  @UnlessAbsent()
  @IsString()
  @Matches(/^\p{L}{1,20}$/u, { message: 'Country must be 1 to 20 letters.' })
  country?: string;

  @ApiPropertyOptional({ enum: LICENSES, nullable: true })
  @FormNullable()
  @IsOptional()
  @IsIn(LICENSES, { message: 'Must be one of the listed certifications.' })
  license?: string | null;

  @ApiPropertyOptional({ maxLength: 1_000, nullable: true })
  @FormNullable()
  @IsOptional()
  @IsString()
  @MaxLength(1_000)
  introduction?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    format: 'binary',
    nullable: true,
    description: 'an image file (multipart); null or "" removes it',
  })
  @IsOptional()
  @IsIn([null, ''], { message: 'Send the image as a multipart file.' })
  profile_image?: null | '';
}
