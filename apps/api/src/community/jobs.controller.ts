import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { appConfig } from '../app.config.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { Public } from '../auth/public.decorator.js';
import { CachedView } from '../common/cached-view.decorator.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PAGE_QUERY, pageBody, pageRequest } from '../common/pagination.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { publicOrigin } from '../common/public-origin.js';
import { RawJson } from '../common/raw-json.js';
import { AcceptsUploads } from '../common/uploads.js';
import type { AuthUser } from '../users/auth-user.js';
import { CreateJobDto, UpdateJobDto } from './dto/job.dto.js';
import { JobsService } from './jobs.service.js';
import { LimitWrites } from '../limits/limit-writes.decorator.js';
import { Job, JobPage } from './dto/job-views.dto.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';

/** The community board: `{id, title, location, description, created_at, user}`. */
@ApiTags('home')
@Controller('api/home/jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    @Inject(appConfig.KEY) private readonly env: ConfigType<typeof appConfig>,
  ) {}

  @Public()
  @Get('/')
  @CachedView({ family: 'jobs', name: 'jobs', perUser: false, query: PAGE_QUERY })
  @ApiOperation({ summary: 'All posts, newest first: {count, next, previous, results}' })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'page_size', required: false, description: `default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}` })
  @ApiOkResponse({ type: JobPage })
  async list(@Req() req: FastifyRequest, @Query('page') page?: string, @Query('page_size') pageSize?: string) {
    const request = pageRequest(page, pageSize);
    const { count, results } = await this.jobs.page(request.size, request.offset);
    return pageBody(req, publicOrigin(req, this.env.PUBLIC_URL), request, count, results);
  }

  @LimitWrites('community')
  @Post('/')
  @AcceptsUploads()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Post to the board (the caller is its author) → 201' })
  @ApiCreatedResponse({ type: Job })
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateJobDto) {
    return new RawJson(await this.jobs.create(user.id, dto));
  }

  @Public()
  @Get(':id/')
  @CachedView({ family: 'jobs', name: 'job', perUser: false })
  @ApiOperation({ summary: 'One post' })
  @ApiOkResponse({ type: Job })
  async detail(@Param('id', ParseIdPipe) id: number) {
    return new RawJson(await this.jobs.detail(id));
  }

  @LimitWrites('community')
  @Put(':id/')
  @AcceptsUploads()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Replace a post (author only)' })
  @ApiOkResponse({ type: Job })
  @ApiErrors({ 403: 'Not the author' })
  async replace(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number, @Body() dto: CreateJobDto) {
    return new RawJson(await this.jobs.update(user.id, id, dto));
  }

  @LimitWrites('community')
  @Patch(':id/')
  @AcceptsUploads()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change some fields of a post (author only)' })
  @ApiOkResponse({ type: Job })
  @ApiErrors({ 403: 'Not the author' })
  async update(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdateJobDto) {
    return new RawJson(await this.jobs.update(user.id, id, dto));
  }

  @LimitWrites('community')
  @Delete(':id/')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Delete a post (author only)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors({ 403: 'Not the author' })
  async remove(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<void> {
    await this.jobs.remove(user.id, id);
  }
}
