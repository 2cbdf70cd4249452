import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from sign-in' })
  @IsString()
  @IsNotEmpty({ message: 'This field may not be blank.' })
  @MaxLength(4096)
  refresh: string;
}

/** Logout keeps the original's own message for a missing token, so the field is checked in the service. */
export class LogoutDto {
  @ApiPropertyOptional({ description: "The refresh token to revoke (must be the caller's own)" })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  refresh?: string;
}
