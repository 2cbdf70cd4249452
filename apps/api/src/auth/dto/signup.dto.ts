import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, MaxLength, MinLength } from 'class-validator';
import { NormalizeEmail } from './normalize-email.js';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class SignupDto {
  @ApiProperty({ example: 'diver@example.com', maxLength: 64 })
  @NormalizeEmail()
  @IsEmail({}, { message: 'Enter a valid email address.' })
  @MaxLength(64)
  email: string;

  @ApiProperty({ example: 'diver', maxLength: 30 })
  @trim()
  @IsString()
  @IsNotEmpty({ message: 'This field may not be blank.' })
  @MaxLength(30)
  username: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8, { message: 'Ensure this field has at least 8 characters.' })
  @MaxLength(128)
  password: string;

  @ApiProperty({ example: 'KR', maxLength: 20 })
  @trim()
  @IsString()
  @IsNotEmpty({ message: 'This field may not be blank.' })
  @MaxLength(20)
  country: string;
}
