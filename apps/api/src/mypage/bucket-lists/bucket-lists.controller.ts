import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { appConfig } from '../../app.config.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { pageBody, pageRequest } from '../../common/pagination.js';
import { ParseIdPipe } from '../../common/parse-id.pipe.js';
import { publicOrigin } from '../../common/public-origin.js';
import { RawJson } from '../../common/raw-json.js';
import { AcceptsUploads } from '../../common/uploads.js';
import type { AuthUser } from '../../users/auth-user.js';
import { BucketListsService } from './bucket-lists.service.js';
import { BucketListDto, UpdateBucketListDto } from './dto/bucket-list.dto.js';
import { LimitWrites } from '../../limits/limit-writes.decorator.js';
import { BucketListItem, BucketListPage } from '../dto/owned-items.dto.js';

// Writes take JSON or multipart (the client sends a form); no file fields.
@ApiTags('bucket lists')
@ApiBearerAuth()
@Controller('api/mypage/bucketlists')
export class BucketListsController {
  constructor(
    private readonly bucketLists: BucketListsService,
    @Inject(appConfig.KEY) private readonly env: ConfigType<typeof appConfig>,
  ) {}

  @Get('/')
  @ApiOperation({ summary: "The caller's bucket list, oldest first: {count, next, previous, results}" })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'page_size', required: false })
  @ApiOkResponse({ type: BucketListPage })
  async list(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser, @Query('page') page?: string, @Query('page_size') size?: string) {
    const request = pageRequest(page, size);
    const { count, results } = await this.bucketLists.page(user.id, request.size, request.offset);
    return pageBody(req, publicOrigin(req, this.env.PUBLIC_URL), request, count, results);
  }

  @LimitWrites('community')
  @Post('/')
  @AcceptsUploads()
  @ApiOperation({ summary: 'Add an entry {title} → 201 {id, title, created_at, user}' })
  @ApiCreatedResponse({ type: BucketListItem })
  async create(@CurrentUser() user: AuthUser, @Body() dto: BucketListDto) {
    return new RawJson(await this.bucketLists.create(user.id, dto));
  }

  @Get(':id/')
  @ApiOperation({ summary: 'One entry of your own' })
  @ApiOkResponse({ type: BucketListItem })
  async one(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return new RawJson(await this.bucketLists.one(user.id, id));
  }

  @LimitWrites('community')
  @Put(':id/')
  @AcceptsUploads()
  @ApiOperation({ summary: 'Replace one of your entries' })
  @ApiOkResponse({ type: BucketListItem })
  async replace(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number, @Body() dto: BucketListDto) {
    return new RawJson(await this.bucketLists.update(user.id, id, dto));
  }

  @LimitWrites('community')
  @Patch(':id/')
  @AcceptsUploads()
  @ApiOperation({ summary: 'Change one of your entries' })
  @ApiOkResponse({ type: BucketListItem })
  async update(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdateBucketListDto) {
    return new RawJson(await this.bucketLists.update(user.id, id, dto));
  }

  @LimitWrites('community')
  @Delete(':id/')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete one of your entries' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number): Promise<void> {
    await this.bucketLists.remove(user.id, id);
  }
}
