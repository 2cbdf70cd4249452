import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class DeleteAccountDto {
  @ApiProperty({ description: "The account's current password, to confirm the deletion" })
  @IsString()
  @IsNotEmpty({ message: 'This field may not be blank.' })
  @MaxLength(128)
  password: string;
}
