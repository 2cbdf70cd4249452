import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { NormalizeEmail } from './normalize-email.js';

export class SigninDto {
  @ApiProperty({ example: 'diver@example.com' })
  @NormalizeEmail()
  @IsString()
  @IsNotEmpty({ message: 'This field may not be blank.' })
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty({ message: 'This field may not be blank.' })
  @MaxLength(128)
  password: string;
}
