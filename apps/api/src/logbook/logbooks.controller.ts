import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { StorageService } from '@app/storage';
import { appConfig } from '../app.config.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { Public } from '../auth/public.decorator.js';
import { CachedView } from '../common/cached-view.decorator.js';
import { DEFAULT_PAGE_SIZE, listRequest, MAX_PAGE_SIZE, PAGE_QUERY, pageBody, pageRequest } from '../common/pagination.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { publicOrigin } from '../common/public-origin.js';
import { RawJson } from '../common/raw-json.js';
import { AcceptsUploads } from '../common/uploads.js';
import { LimitWrites } from '../limits/limit-writes.decorator.js';
import type { AuthUser } from '../users/auth-user.js';
import { CreateLogbookDto, UpdateLogbookDto } from './dto/logbook.dto.js';
import { LogbooksService, type Viewer } from './logbooks.service.js';
import { Logbook, LogbookPage } from './dto/logbook-views.dto.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';

@ApiTags('logbooks')
@Controller('api/logbooks')
export class LogbooksController {
  constructor(
    private readonly logbooks: LogbooksService,
    private readonly storage: StorageService,
    @Inject(appConfig.KEY) private readonly env: ConfigType<typeof appConfig>,
  ) {}

  @Public()
  @Get('/')
  @CachedView({ family: 'logbooks', name: 'logbooks', perUser: true, query: PAGE_QUERY, likes: 'per-logbook' })
  @ApiOperation({ summary: 'All logbooks, newest dive first: {count, next, previous, results}' })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'page_size', required: false, description: `default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}` })
  @ApiOkResponse({ type: LogbookPage })
  async list(@Req() req: FastifyRequest, @Query('page') page?: string, @Query('page_size') pageSize?: string) {
    const request = pageRequest(page, pageSize);
    const { count, results, ids } = await this.logbooks.page(this.viewer(req), request.size, request.offset);
    return pageBody(req, publicOrigin(req, this.env.PUBLIC_URL), request, count, results, ids);
  }

  @Post('/')
  @AcceptsUploads('dive_image')
  @LimitWrites('logbooks')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create a logbook (multipart with repeated `equipment` and a `dive_image` file, or JSON)' })
  @ApiCreatedResponse({ type: Logbook })
  async create(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser, @Body() dto: CreateLogbookDto) {
    const id = await this.logbooks.create(user.id, dto, req.uploads?.get('dive_image'));
    return new RawJson(await this.logbooks.detail(this.viewer(req), id));
  }

  @Get('my_logbooks/')
  @ApiBearerAuth()
  @CachedView({ family: 'logbooks', name: 'my-logbooks', perUser: true, query: PAGE_QUERY })
  @ApiOperation({ summary: `The caller's logbooks, newest dive first: a bare array, as in the original, of at most ${MAX_PAGE_SIZE}` })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'page_size', required: false, description: `default and maximum ${MAX_PAGE_SIZE}` })
  @ApiOkResponse({ type: [Logbook] })
  async mine(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser, @Query('page') page?: string, @Query('page_size') size?: string) {
    const { size: limit, offset } = listRequest(page, size);
    return new RawJson((await this.logbooks.byUser(this.viewer(req), user.id, limit, offset)) ?? '[]');
  }

  @Public()
  @Get(':userId/friend_logbooks/')
  @CachedView({ family: 'logbooks', name: 'user-logbooks', perUser: true, query: PAGE_QUERY })
  @ApiOperation({ summary: `One user's logbooks, newest dive first (a bare array of at most ${MAX_PAGE_SIZE}); 404 for an unknown user` })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'page_size', required: false, description: `default and maximum ${MAX_PAGE_SIZE}` })
  @ApiOkResponse({ type: [Logbook] })
  async ofUser(
    @Req() req: FastifyRequest,
    @Param('userId', ParseIdPipe) userId: number,
    @Query('page') page?: string,
    @Query('page_size') size?: string,
  ) {
    const { size: limit, offset } = listRequest(page, size);
    const doc = await this.logbooks.byUser(this.viewer(req), userId, limit, offset);
    if (doc === undefined) throw new NotFoundException({ detail: 'Not found.' });
    return new RawJson(doc);
  }

  @Public()
  @Get(':id/')
  @CachedView({ family: 'logbooks', name: 'logbook', perUser: true, likes: 'per-logbook' })
  @ApiOperation({ summary: 'One logbook' })
  @ApiOkResponse({ type: Logbook })
  async detail(@Req() req: FastifyRequest, @Param('id', ParseIdPipe) id: number) {
    return new RawJson(await this.logbooks.detail(this.viewer(req), id), [id]);
  }

  @Put(':id/')
  @AcceptsUploads('dive_image')
  @LimitWrites('logbooks')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Replace a logbook (owner only)' })
  @ApiOkResponse({ type: Logbook })
  @ApiErrors({ 403: 'Not the owner' })
  async replace(
    @Req() req: FastifyRequest,
    @CurrentUser() user: AuthUser,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: CreateLogbookDto,
  ) {
    await this.logbooks.update(user.id, id, dto, req.uploads?.get('dive_image'));
    return new RawJson(await this.logbooks.detail(this.viewer(req), id));
  }

  @Patch(':id/')
  @AcceptsUploads('dive_image')
  @LimitWrites('logbooks')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change some fields of a logbook (owner only)' })
  @ApiOkResponse({ type: Logbook })
  @ApiErrors({ 403: 'Not the owner' })
  async update(
    @Req() req: FastifyRequest,
    @CurrentUser() user: AuthUser,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: UpdateLogbookDto,
  ) {
    await this.logbooks.update(user.id, id, dto, req.uploads?.get('dive_image'));
    return new RawJson(await this.logbooks.detail(this.viewer(req), id));
  }

  @Delete(':id/')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Delete a logbook (owner only)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors({ 403: 'Not the owner' })
  async remove(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<void> {
    await this.logbooks.remove(user.id, id);
  }

  private viewer(req: FastifyRequest): Viewer {
    return { id: req.user?.id ?? 0, mediaUrl: this.storage.url(publicOrigin(req, this.env.PUBLIC_URL), '') };
  }
}
