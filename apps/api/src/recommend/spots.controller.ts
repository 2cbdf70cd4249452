import { Controller, Get, HttpStatus, Inject, NotFoundException, Post, Req, Res } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { RawJson } from '../common/raw-json.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import type { AuthUser } from '../users/auth-user.js';
import { RecommendationStatus, Spot, SpotsPending, SpotsUpdated } from './dto/spot-views.dto.js';
import { recommendConfig } from './recommend.config.js';
import { SpotsService } from './spots.service.js';

const MAX_WAIT_S = 30;
/**
 * The caller's recommended spots. Recommendations run in the consumer (a queued command, as
 * recognitions), so a slow or failing recommender never holds an API process beyond the wait bound,
 * and the old spots stay until the three new ones are stored.
 */
@ApiTags('recommend')
@ApiBearerAuth()
@Controller('api/recommend')
export class SpotsController {
  constructor(
    private readonly spots: SpotsService,
    @Inject(recommendConfig.KEY) private readonly env: ConfigType<typeof recommendConfig>,
  ) {}

  @Get('spots/')
  @ApiOperation({ summary: "The caller's recommended spots, a bare array (empty before the first recommendation)" })
  @ApiOkResponse({ type: [Spot] })
  async list(@CurrentUser() user: AuthUser) {
    return new RawJson(await this.spots.list(user.id));
  }

  @Get('spots/status/')
  @ApiOperation({ summary: "The caller's latest recommendation: {status: pending|done|failed, error, requested_at, finished_at}" })
  @ApiOkResponse({ type: RecommendationStatus })
  @ApiErrors({ 404: 'No recommendation has been requested yet' })
  async status(@CurrentUser() user: AuthUser) {
    const request = await this.spots.request(user.id);
    if (!request) throw new NotFoundException({ detail: 'No recommendation has been requested yet.' });
    return request;
  }

  /**
   * No body (the client sends `{}`, which is ignored). Waits up to RECOMMEND_WAIT_SECONDS, or the
   * request's `Prefer: wait=N`, for the outcome. A POST while a recommendation is in flight starts
   * none: it waits for that one and answers as it would have.
   */
  @Post('spots/')
  @ApiHeader({ name: 'Prefer', required: false, description: 'wait=N: wait up to N seconds (at most 30) instead of the default' })
  @ApiOperation({
    summary: 'Recommend three new spots from your preferences and the community’s logs (queued; counts against the daily quota)',
  })
  @ApiCreatedResponse({ type: SpotsUpdated, description: 'The three new spots are stored' })
  @ApiAcceptedResponse({ type: SpotsPending, description: 'Still running after the wait, or one already in flight' })
  @ApiErrors({
    502: 'The recommender gave no usable answer; the previous spots are kept',
    429: 'The daily recommendation quota is spent (Retry-After)',
  })
  async recommend(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentUser() user: AuthUser): Promise<void> {
    // The status depends on the outcome, which Nest's per-route status cannot say: reply by hand.
    const { commandId } = await this.spots.start(user.id);
    const preferred = /\bwait=(\d{1,4})\b/.exec(String(req.headers.prefer ?? ''))?.[1];
    const wait = preferred === undefined ? this.env.RECOMMEND_WAIT_SECONDS : Math.min(MAX_WAIT_S, Number(preferred));
    if (preferred !== undefined) void reply.header('Preference-Applied', `wait=${wait}`);
    const outcome = wait > 0 ? await this.spots.awaitOutcome(user.id, commandId, wait * 1000) : { status: 'pending' as const, error: null };
    if (outcome.status === 'done') {
      await reply.status(HttpStatus.CREATED).send({ message: 'Spots updated' });
    } else if (outcome.status === 'failed') {
      await reply.status(HttpStatus.BAD_GATEWAY).send({ detail: `No new spots: ${outcome.error} Your previous spots are kept.` });
    } else {
      await reply.status(HttpStatus.ACCEPTED).send({ message: 'Your spots are being updated.', status: 'pending' });
    }
  }
}
