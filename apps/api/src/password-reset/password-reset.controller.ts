import { Body, Controller, Header, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { ResetMessage, ResetRefusal } from './dto/password-reset-views.dto.js';
import { ResetConfirmDto, ResetRequestDto, ResetVerifyDto } from './dto/password-reset.dto.js';
import { PasswordResetService } from './password-reset.service.js';
import { ResetProofCookies } from './reset-proof.cookie.js';

const SENT = 'If an account uses this address, a code has been sent to it.';

/** "Forgot password?": a code by e-mail, verified for a proof cookie, which confirms a new password once. */
@ApiTags('password-reset')
@Public()
@Controller('api/password-reset')
export class PasswordResetController {
  constructor(
    private readonly resets: PasswordResetService,
    private readonly proofs: ResetProofCookies,
  ) {}

  @Post('request/')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'E-mail a 6-digit code to the address (the same 200 whether or not it has an account)' })
  @ApiOkResponse({ type: ResetMessage, description: `{"message": "${SENT}"}` })
  @ApiResponse({
    status: 429,
    type: ResetRefusal,
    description: 'Over PASSWORD_RESET_MAX_PER_EMAIL or PASSWORD_RESET_MAX_PER_IP per window; Retry-After',
  })
  async request(@Body() dto: ResetRequestDto, @Req() req: FastifyRequest) {
    await this.resets.request(dto.email, req.ip);
    return { message: SENT };
  }

  @Post('verify/')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Check the code; a correct one is spent and answered with the proof cookie confirm requires' })
  @ApiOkResponse({
    type: ResetMessage,
    description: 'Code verified, with Set-Cookie password_reset (HttpOnly, SameSite=Strict, Path=/api/password-reset/confirm/)',
  })
  @ApiResponse({
    status: 400,
    type: ResetRefusal,
    description: 'Wrong, expired, spent or dead code (PASSWORD_RESET_MAX_ATTEMPTS wrong ones), or no code for the address',
  })
  @ApiResponse({ status: 429, type: ResetRefusal, description: 'Over PASSWORD_RESET_MAX_CHECKS_PER_IP per window; Retry-After' })
  async verify(@Body() dto: ResetVerifyDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const proof = await this.resets.verify(dto.email, dto.code.trim(), req.ip);
    void reply.header('Set-Cookie', this.proofs.issue(proof, req.protocol === 'https'));
    return { message: 'Code verified.' };
  }

  @Post('confirm/')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiCookieAuth('password_reset')
  @ApiOperation({ summary: 'Set the new password with the proof cookie from verify; signs the account out everywhere' })
  @ApiOkResponse({ type: ResetMessage, description: 'Password has been reset; every refresh token of the account is revoked' })
  @ApiResponse({ status: 403, type: ResetRefusal, description: 'No valid, unexpired, unspent proof cookie for this address' })
  @ApiResponse({ status: 429, type: ResetRefusal, description: 'Over PASSWORD_RESET_MAX_CHECKS_PER_IP per window; Retry-After' })
  async confirm(@Body() dto: ResetConfirmDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.resets.confirm(dto.email, dto.new_password, this.proofs.read(req), req.ip);
    void reply.header('Set-Cookie', this.proofs.clear(req.protocol === 'https'));
    return { message: 'Password has been reset.' };
  }
}
