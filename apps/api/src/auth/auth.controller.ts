import { Body, Controller, Delete, Get, Header, HttpCode, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StorageService } from '@app/storage';
import { appConfig } from '../app.config.js';
import { publicOrigin } from '../common/public-origin.js';
import type { AuthUser } from '../users/auth-user.js';
import { AccountService } from './account.service.js';
import { AuthService } from './auth.service.js';
import { CurrentUser } from './current-user.decorator.js';
import { DeviceCookies } from './device.cookie.js';
import { DeleteAccountDto } from './dto/delete-account.dto.js';
import { LogoutDto, RefreshDto } from './dto/refresh.dto.js';
import { SigninDto } from './dto/signin.dto.js';
import { SignupDto } from './dto/signup.dto.js';
import { Public } from './public.decorator.js';
import { Account, Acknowledged, Me, RefreshedTokens, SignedIn } from './dto/account.dto.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';

// Answers carrying tokens or the caller's own record are `no-store`: kept by no browser or proxy
// cache (RFC 6749 §5.1 asks it of token responses).
@ApiTags('auth')
@Controller('api/auths')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly account: AccountService,
    private readonly devices: DeviceCookies,
    private readonly storage: StorageService,
    @Inject(appConfig.KEY) private readonly env: ConfigType<typeof appConfig>,
  ) {}

  @Public()
  @Post('signup/')
  @ApiOperation({ summary: 'Create an account → {id, email, username, country}' })
  @ApiTooManyRequestsResponse({ description: 'More than SIGNUP_MAX_PER_IP sign-ups from this address in an hour' })
  @ApiCreatedResponse({ type: Account })
  signup(@Body() dto: SignupDto, @Req() req: FastifyRequest) {
    return this.auth.signup(dto, req.ip);
  }

  @Public()
  @Post('signin/')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Sign in → {refresh, access, id, email, username, country} and a device cookie; 429 with Retry-After when locked out',
  })
  @ApiOkResponse({ type: SignedIn })
  @ApiErrors({ 429: 'Too many failed sign-ins for this account, device or address (Retry-After)' })
  async signin(@Body() dto: SigninDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const body = await this.auth.signin(dto, req.ip, this.devices.read(req, dto.email));
    void reply.header('Set-Cookie', this.devices.issue(dto.email, req.protocol === 'https'));
    return body;
  }

  @Public()
  @Post('token/refresh/')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Exchange a refresh token → {access} (and a new refresh when rotation is on)' })
  @ApiOkResponse({ type: RefreshedTokens })
  refresh(@Body() dto: RefreshDto) {
    return this.auth.refresh(dto.refresh);
  }

  @Post('logout/')
  @HttpCode(HttpStatus.RESET_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Revoke the caller's own refresh token (205)" })
  @ApiResponse({ status: 205, type: Acknowledged, description: 'Revoked' })
  @ApiErrors({ 403: 'The refresh token is another user’s' })
  async logout(@CurrentUser() user: AuthUser, @Body() dto: LogoutDto) {
    await this.auth.logout(user, dto.refresh);
    return { detail: 'Logout successful.' };
  }

  @Get('me/')
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The caller: {id, email, username, country, license, introduction, profile_image, date_joined}' })
  @ApiOkResponse({ type: Me })
  me(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser): AuthUser {
    // The guard's user holds the storage key; clients get the image's absolute URL, as everywhere.
    const image = user.profile_image && this.storage.url(publicOrigin(req, this.env.PUBLIC_URL), user.profile_image);
    return { ...user, profile_image: image };
  }

  @Delete('me/')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Delete the caller’s account and everything it owns, password confirmed in the body {password} (204)' })
  @ApiNoContentResponse({ description: 'Deleted: its tokens are refused from now on' })
  @ApiTooManyRequestsResponse({ description: 'Wrong passwords count as failed sign-ins' })
  async remove(@CurrentUser() user: AuthUser, @Body() dto: DeleteAccountDto, @Req() req: FastifyRequest): Promise<void> {
    await this.account.delete(user, dto.password, req.ip, this.devices.read(req, user.email));
  }
}
