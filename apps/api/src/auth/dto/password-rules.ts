import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/** The sign-up rules for a new password (the original's: at least 8 characters), wherever one is set. */
export const PasswordRules = () =>
  applyDecorators(
    ApiProperty({ minLength: 8, maxLength: 128 }),
    IsString(),
    MinLength(8, { message: 'Ensure this field has at least 8 characters.' }),
    MaxLength(128),
  );
