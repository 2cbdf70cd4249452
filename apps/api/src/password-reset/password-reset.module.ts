import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { authConfig } from '../auth/auth.config.js';
import { AuthModule } from '../auth/auth.module.js';
import { UsersModule } from '../users/users.module.js';
import { passwordResetConfig } from './password-reset.config.js';
import { PasswordResetController } from './password-reset.controller.js';
import { PasswordResetLimiter } from './password-reset.limiter.js';
import { PasswordResetService } from './password-reset.service.js';
import { ResetCodeHasher } from './reset-code.hasher.js';
import { ResetCodeIssuer } from './reset-code.issuer.js';
import { ResetProofCookies } from './reset-proof.cookie.js';

@Module({
  imports: [ConfigModule.forFeature(passwordResetConfig), ConfigModule.forFeature(authConfig), AuthModule, UsersModule],
  controllers: [PasswordResetController],
  providers: [PasswordResetService, PasswordResetLimiter, ResetCodeHasher, ResetCodeIssuer, ResetProofCookies],
})
export class PasswordResetModule {}
