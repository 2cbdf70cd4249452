import { Module } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RefreshToken } from '@app/database';
import { appConfig } from '../app.config.js';
import { UsersModule } from '../users/users.module.js';
import { authConfig } from './auth.config.js';
import { AccountService } from './account.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { DeviceCookies } from './device.cookie.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { PasswordHasher } from './password.hasher.js';
import { SigninLimiter } from './signin.limiter.js';
import { TokenService } from './token.service.js';

@Module({
  imports: [
    ConfigModule.forFeature(authConfig),
    ConfigModule.forFeature(appConfig),
    UsersModule,
    TypeOrmModule.forFeature([RefreshToken]),
    JwtModule.registerAsync({
      imports: [ConfigModule.forFeature(authConfig)],
      inject: [authConfig.KEY],
      useFactory: (env: ConfigType<typeof authConfig>) => ({
        // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a PEM
        // public key on every verify, which cost a quarter of a cached request's CPU.
        secret: createSecretKey(Buffer.from(env.JWT_SECRET)),
        signOptions: { algorithm: 'HS256', issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE },
        verifyOptions: { algorithms: ['HS256'], issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    AccountService,
    DeviceCookies,
    TokenService,
    PasswordHasher,
    SigninLimiter,
    JwtAuthGuard,
    { provide: APP_GUARD, useExisting: JwtAuthGuard },
  ],
  exports: [TokenService, JwtAuthGuard, PasswordHasher],
})
export class AuthModule {}
