import {
  applyDecorators,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  MethodNotAllowedException,
  Options,
  Param,
  Patch,
  Post,
  Put,
  Req,
  Res,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StorageService } from '@app/storage';
import { appConfig } from '../../app.config.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { Public } from '../../auth/public.decorator.js';
import { CachedView } from '../../common/cached-view.decorator.js';
import { ParseIdPipe } from '../../common/parse-id.pipe.js';
import { publicOrigin } from '../../common/public-origin.js';
import { RawJson } from '../../common/raw-json.js';
import type { AuthUser } from '../../users/auth-user.js';
import { DIVER_FAMILIES } from '../divers/divers.queries.js';
import { DiversService } from '../divers/divers.service.js';
import { BuddiesService } from './buddies.service.js';
import { LimitWrites } from '../../limits/limit-writes.decorator.js';
import { BuddyAdded, Diver } from '../divers/dto/diver-views.dto.js';
import { ApiErrors } from '../../openapi/api-errors.decorator.js';
import { ErrorMessage } from '../../openapi/errors.dto.js';

const DETAIL_METHODS = 'POST, DELETE';

/** The id is not read (any value is a 405), but documented, as on the path's other methods. */
const NotAllowed = () =>
  applyDecorators(
    Public(),
    ApiParam({ name: 'userId', type: Number }),
    ApiOperation({ summary: `405 (Allow: ${DETAIL_METHODS})` }),
    ApiErrors({ 405: `Always: only ${DETAIL_METHODS} (Allow header)` }),
  );

@ApiTags('buddies')
@ApiBearerAuth()
@Controller('api/mypage/friends')
export class BuddiesController {
  constructor(
    private readonly buddies: BuddiesService,
    private readonly divers: DiversService,
    private readonly storage: StorageService,
    @Inject(appConfig.KEY) private readonly env: ConfigType<typeof appConfig>,
  ) {}

  @Get('list/')
  @CachedView({ family: DIVER_FAMILIES, name: 'buddies', perUser: true })
  @ApiOperation({ summary: "The caller's buddies as UserDetail (no emails)" })
  @ApiOkResponse({ type: [Diver] })
  async list(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser) {
    const mediaUrl = this.storage.url(publicOrigin(req, this.env.PUBLIC_URL), '');
    return new RawJson(await this.divers.buddiesOf({ id: user.id, mediaUrl }, user.id));
  }

  @LimitWrites('community')
  @Post('detail/:userId/')
  @ApiOperation({ summary: 'Become buddies (both directions) → 201 {message}; 400 {error} for yourself or an existing buddy' })
  @ApiCreatedResponse({ type: BuddyAdded })
  @ApiErrors({ 400: 'Yourself, or already buddies' }, ErrorMessage)
  async add(@CurrentUser() user: AuthUser, @Param('userId', ParseIdPipe) userId: number) {
    await this.buddies.add(user.id, userId);
    return { message: 'Buddy added.' };
  }

  @LimitWrites('community')
  @Delete('detail/:userId/')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Stop being buddies (both directions) → 204; 404 when not buddies' })
  @ApiNoContentResponse({ description: 'No longer buddies' })
  @ApiErrors({ 400: 'Yourself' }, ErrorMessage)
  async remove(@CurrentUser() user: AuthUser, @Param('userId', ParseIdPipe) userId: number): Promise<void> {
    await this.buddies.remove(user.id, userId);
  }

  // The original answered GET here with a 500. Every method but POST and DELETE is a 405 naming
  // them, for anyone: which methods a path has is no secret.
  @Get('detail/:userId/')
  @NotAllowed()
  read(@Res({ passthrough: true }) reply: FastifyReply): never {
    return this.notAllowed(reply);
  }

  @Put('detail/:userId/')
  @NotAllowed()
  replace(@Res({ passthrough: true }) reply: FastifyReply): never {
    return this.notAllowed(reply);
  }

  @Patch('detail/:userId/')
  @NotAllowed()
  update(@Res({ passthrough: true }) reply: FastifyReply): never {
    return this.notAllowed(reply);
  }

  // Fastify answers OPTIONS only for the routes that declare it: without this, a 404 for a path that exists.
  @Options('detail/:userId/')
  @NotAllowed()
  options(@Res({ passthrough: true }) reply: FastifyReply): never {
    return this.notAllowed(reply);
  }

  private notAllowed(reply: FastifyReply): never {
    void reply.header('Allow', DETAIL_METHODS);
    throw new MethodNotAllowedException({ detail: `Method not allowed. Allowed: ${DETAIL_METHODS}.` });
  }
}
