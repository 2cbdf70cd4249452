import { Body, Controller, Get, Inject, NotFoundException, Param, Patch, Put, Req } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { StorageService } from '@app/storage';
import { appConfig } from '../../app.config.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { Public } from '../../auth/public.decorator.js';
import { CachedView } from '../../common/cached-view.decorator.js';
import { ParseIdPipe } from '../../common/parse-id.pipe.js';
import { publicOrigin } from '../../common/public-origin.js';
import { RawJson } from '../../common/raw-json.js';
import { AcceptsUploads } from '../../common/uploads.js';
import type { Viewer } from '../../logbook/logbooks.service.js';
import type { AuthUser } from '../../users/auth-user.js';
import { DIVER_FAMILIES } from './divers.queries.js';
import { DiversService } from './divers.service.js';
import { withOwnEmail } from './own-email.js';
import { EditProfileDto } from './dto/edit-profile.dto.js';
import { LimitWrites } from '../../limits/limit-writes.decorator.js';
import { Diver } from './dto/diver-views.dto.js';
import { ApiErrors } from '../../openapi/api-errors.decorator.js';

// The lists everyone reads on every page (all/, friend/{id}/) are built and cached once for everyone,
// as an anonymous caller sees them: cached per caller, a list of every diver would cost a copy per
// caller (memory growing with the square of the divers) and a miss per caller after each like batch.
// So their logbooks' `liked_by_current_user` is false, as the original's was there (the feed marks
// the caller's likes), and the caller's own email is written in per request (withOwnEmail). The
// caller's own views (mypage/, buddies) are cached per caller and exact.
@ApiTags('divers')
@ApiBearerAuth()
@Controller('api/mypage')
export class DiversController {
  constructor(
    private readonly divers: DiversService,
    private readonly storage: StorageService,
    @Inject(appConfig.KEY) private readonly env: ConfigType<typeof appConfig>,
  ) {}

  @Public()
  @Get('all/')
  @CachedView({ family: DIVER_FAMILIES, name: 'divers', perUser: false, personalize: withOwnEmail })
  @ApiOperation({ summary: "Every diver's UserDetail; `email` only in the caller's own entry" })
  @ApiOkResponse({ type: [Diver] })
  async all(@Req() req: FastifyRequest) {
    return new RawJson(await this.divers.all(this.everyone(req)));
  }

  @Get('/')
  @CachedView({ family: DIVER_FAMILIES, name: 'diver-self', perUser: true })
  @ApiOperation({ summary: "The caller's own UserDetail" })
  @ApiOkResponse({ type: Diver })
  async mine(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser) {
    return this.found(await this.divers.one(this.viewer(req), user.id));
  }

  @Public()
  @Get('friend/:id/')
  @CachedView({ family: DIVER_FAMILIES, name: 'diver', perUser: false, personalize: withOwnEmail })
  @ApiOperation({ summary: "One diver's UserDetail (a profile page); 404 for an unknown id" })
  @ApiOkResponse({ type: Diver })
  async one(@Req() req: FastifyRequest, @Param('id', ParseIdPipe) id: number) {
    return this.found(await this.divers.one(this.everyone(req), id));
  }

  @LimitWrites('community')
  @Put('edit_profile/:id/')
  @AcceptsUploads('profile_image')
  @ApiOperation({ summary: 'Edit your own profile (partial; JSON or multipart with a `profile_image` file) → UserDetail' })
  @ApiOkResponse({ type: Diver })
  @ApiErrors({ 403: 'Someone else’s profile' })
  replace(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number, @Body() dto: EditProfileDto) {
    return this.edit(req, user, id, dto);
  }

  @LimitWrites('community')
  @Patch('edit_profile/:id/')
  @AcceptsUploads('profile_image')
  @ApiOperation({ summary: 'Edit your own profile (as PUT: every field optional) → UserDetail' })
  @ApiOkResponse({ type: Diver })
  @ApiErrors({ 403: 'Someone else’s profile' })
  update(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number, @Body() dto: EditProfileDto) {
    return this.edit(req, user, id, dto);
  }

  private async edit(req: FastifyRequest, user: AuthUser, id: number, dto: EditProfileDto) {
    await this.divers.edit(user.id, id, dto, req.uploads?.get('profile_image'));
    return this.found(await this.divers.one(this.viewer(req), id));
  }

  private found(doc: string | undefined): RawJson {
    if (doc === undefined) throw new NotFoundException({ detail: 'Not found.' });
    return new RawJson(doc);
  }

  private viewer(req: FastifyRequest): Viewer {
    return { id: req.user?.id ?? 0, mediaUrl: this.storage.url(publicOrigin(req, this.env.PUBLIC_URL), '') };
  }

  /** The body every caller shares: as an anonymous caller sees it (no email, no likes marked). */
  private everyone(req: FastifyRequest): Viewer {
    return { ...this.viewer(req), id: 0 };
  }
}
