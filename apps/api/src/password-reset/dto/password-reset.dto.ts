import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength } from 'class-validator';
import { NormalizeEmail } from '../../auth/dto/normalize-email.js';
import { PasswordRules } from '../../auth/dto/password-rules.js';

/** The address as sign-up stores it (lower-cased, trimmed), so a code reaches the account it names. */
const AccountEmail = () =>
  applyDecorators(
    ApiProperty({ example: 'diver@example.com', maxLength: 254 }),
    NormalizeEmail(),
    IsEmail({}, { message: 'Enter a valid email address.' }),
    MaxLength(254),
  );

export class ResetRequestDto {
  @AccountEmail()
  email: string;
}

export class ResetVerifyDto {
  @AccountEmail()
  email: string;

  @ApiProperty({ example: '042917', description: 'The 6-digit code from the e-mail' })
  @IsString()
  @Matches(/^\s*\d{6}\s*$/, { message: 'Enter the 6-digit code from the e-mail.' })
  code: string;
}

export class ResetConfirmDto {
  @AccountEmail()
  email: string;

  @PasswordRules()
  new_password: string;
}
