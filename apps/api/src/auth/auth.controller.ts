import { Body, Controller, Get, Header, HttpCode, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StorageService } from '@app/storage';
import { appConfig } from '../app.config.js';
import { publicOrigin } from '../common/public-origin.js';
import type { AuthUser } from '../users/auth-user.js';
import { AuthService, TooManyAttemptsException } from './auth.service.js';
import { CurrentUser } from './current-user.decorator.js';
import { LogoutDto, RefreshDto } from './dto/refresh.dto.js';
import { SigninDto } from './dto/signin.dto.js';
import { SignupDto } from './dto/signup.dto.js';
import { Public } from './public.decorator.js';

// Answers carrying tokens or the caller's own record are `no-store`: kept by no browser or proxy
// cache (RFC 6749 §5.1 asks it of token responses).
@ApiTags('auth')
@Controller('api/auths')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly storage: StorageService,
    @Inject(appConfig.KEY) private readonly env: ConfigType<typeof appConfig>,
  ) {}

  @Public()
  @Post('signup/')
  @ApiOperation({ summary: 'Create an account → {id, email, username, country}' })
  signup(@Body() dto: SignupDto) {
    return this.auth.signup(dto);
  }

  @Public()
  @Post('signin/')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Sign in → {refresh, access, id, email, username, country}; 429 with Retry-After when locked out' })
  async signin(@Body() dto: SigninDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    try {
      return await this.auth.signin(dto, req.ip);
    } catch (err) {
      if (err instanceof TooManyAttemptsException) void reply.header('Retry-After', String(err.retryAfterSeconds));
      throw err;
    }
  }

  @Public()
  @Post('token/refresh/')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Exchange a refresh token → {access} (and a new refresh when rotation is on)' })
  refresh(@Body() dto: RefreshDto) {
    return this.auth.refresh(dto.refresh);
  }

  @Post('logout/')
  @HttpCode(HttpStatus.RESET_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Revoke the caller's own refresh token (205)" })
  async logout(@CurrentUser() user: AuthUser, @Body() dto: LogoutDto) {
    await this.auth.logout(user, dto.refresh);
    return { detail: 'Logout successful.' };
  }

  @Get('me/')
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The caller: {id, email, username, country, license, introduction, profile_image, date_joined}' })
  me(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser): AuthUser {
    // The guard's user holds the storage key; clients get the image's absolute URL, as everywhere.
    const image = user.profile_image && this.storage.url(publicOrigin(req, this.env.PUBLIC_URL), user.profile_image);
    return { ...user, profile_image: image };
  }
}
