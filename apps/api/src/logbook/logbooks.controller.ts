import {
  Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, NotFoundException, Param, Patch,
  Post, Put, Query, Req,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { MEDIA_PREFIX } from '@app/storage';
import { appConfig } from '../app.config.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { Public } from '../auth/public.decorator.js';
import { CachedView } from '../common/cached-view.decorator.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { publicOrigin } from '../common/public-origin.js';
import { RawJson } from '../common/raw-json.js';
import { AcceptsUploads } from '../common/uploads.js';
import type { AuthUser } from '../users/auth-user.js';
import { CreateLogbookDto, UpdateLogbookDto } from './dto/logbook.dto.js';
import { LogbooksService, type Viewer } from './logbooks.service.js';

const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;

@ApiTags('logbooks')
@Controller('api/logbooks')
export class LogbooksController {
  constructor(
    private readonly logbooks: LogbooksService,
    @Inject(appConfig.KEY) private readonly env: ConfigType<typeof appConfig>,
  ) {}

  @Public()
  @Get('/')
  @CachedView({ name: 'logbooks', perUser: true, query: ['page', 'page_size'] })
  @ApiOperation({ summary: 'All logbooks, newest dive first: {count, next, previous, results}' })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'page_size', required: false, description: `default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}` })
  async list(@Req() req: FastifyRequest, @Query('page') page?: string, @Query('page_size') pageSize?: string) {
    const number = page === undefined ? 1 : /^\d{1,9}$/.test(page) ? Number(page) : 0;
    if (number < 1) throw new NotFoundException({ detail: 'Invalid page.' });
    // DRF's rule: a page size above the maximum is clamped, an invalid one falls back to the default.
    const asked = pageSize !== undefined && /^\d{1,9}$/.test(pageSize) ? Number(pageSize) : 0;
    const size = asked < 1 ? DEFAULT_PAGE_SIZE : Math.min(asked, MAX_PAGE_SIZE);
    const { count, results } = await this.logbooks.page(this.viewer(req), size, (number - 1) * size);
    if (number > 1 && (number - 1) * size >= count) throw new NotFoundException({ detail: 'Invalid page.' });
    // Links carry only the parameters the page depends on (and the cache key holds): copying the
    // rest would let one request plant its own query string in a shared cached page.
    const path = req.url.split('?', 1)[0];
    const link = (target: number | undefined) => {
      if (target === undefined) return null;
      const query = new URLSearchParams();
      if (pageSize !== undefined) query.set('page_size', String(size));
      if (target > 1) query.set('page', String(target));
      const search = query.size ? `?${query}` : '';
      return `${publicOrigin(req, this.env.PUBLIC_URL)}${path}${search}`;
    };
    const next = link(number * size < count ? number + 1 : undefined);
    const previous = link(number > 1 ? number - 1 : undefined);
    return new RawJson(`{"count":${count},"next":${JSON.stringify(next)},"previous":${JSON.stringify(previous)},"results":${results}}`);
  }

  @Post('/')
  @AcceptsUploads('dive_image')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create a logbook (multipart with repeated `equipment` and a `dive_image` file, or JSON)' })
  async create(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser, @Body() dto: CreateLogbookDto) {
    const id = await this.logbooks.create(user.id, dto, req.uploads?.get('dive_image'));
    return new RawJson(await this.logbooks.detail(this.viewer(req), id));
  }

  @Get('my_logbooks/')
  @ApiBearerAuth()
  @CachedView({ name: 'my-logbooks', perUser: true })
  @ApiOperation({ summary: "The caller's logbooks, newest dive first (a bare array, as in the original)" })
  async mine(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser) {
    return new RawJson((await this.logbooks.byUser(this.viewer(req), user.id)) ?? '[]');
  }

  @Public()
  @Get(':userId/friend_logbooks/')
  @CachedView({ name: 'user-logbooks', perUser: true })
  @ApiOperation({ summary: "One user's logbooks (a bare array); 404 for an unknown user" })
  async ofUser(@Req() req: FastifyRequest, @Param('userId', ParseIdPipe) userId: number) {
    const doc = await this.logbooks.byUser(this.viewer(req), userId);
    if (doc === undefined) throw new NotFoundException({ detail: 'Not found.' });
    return new RawJson(doc);
  }

  @Public()
  @Get(':id/')
  @CachedView({ name: 'logbook', perUser: true })
  @ApiOperation({ summary: 'One logbook' })
  async detail(@Req() req: FastifyRequest, @Param('id', ParseIdPipe) id: number) {
    return new RawJson(await this.logbooks.detail(this.viewer(req), id));
  }

  @Put(':id/')
  @AcceptsUploads('dive_image')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Replace a logbook (owner only)' })
  async replace(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number, @Body() dto: CreateLogbookDto) {
    await this.logbooks.update(user.id, id, dto, req.uploads?.get('dive_image'));
    return new RawJson(await this.logbooks.detail(this.viewer(req), id));
  }

  @Patch(':id/')
  @AcceptsUploads('dive_image')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change some fields of a logbook (owner only)' })
  async update(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdateLogbookDto) {
    await this.logbooks.update(user.id, id, dto, req.uploads?.get('dive_image'));
    return new RawJson(await this.logbooks.detail(this.viewer(req), id));
  }

  @Delete(':id/')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Delete a logbook (owner only)' })
  async remove(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<void> {
    await this.logbooks.remove(user.id, id);
  }

  private viewer(req: FastifyRequest): Viewer {
    return { id: req.user?.id ?? 0, mediaUrl: `${publicOrigin(req, this.env.PUBLIC_URL)}${MEDIA_PREFIX}` };
  }
}
