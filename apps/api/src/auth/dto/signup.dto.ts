import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { NormalizeEmail } from './normalize-email.js';
import { PasswordRules } from './password-rules.js';

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

  @PasswordRules()
  password: string;

  @ApiProperty({ example: 'KR', maxLength: 20 })
  @trim()
  @IsString()
  @IsNotEmpty({ message: 'This field may not be blank.' })
  @MaxLength(20)
  country: string;
}
