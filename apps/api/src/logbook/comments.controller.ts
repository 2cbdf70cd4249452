import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { Public } from '../auth/public.decorator.js';
import { CachedView } from '../common/cached-view.decorator.js';
import { listRequest, MAX_PAGE_SIZE, PAGE_QUERY } from '../common/pagination.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { RawJson } from '../common/raw-json.js';
import { LimitWrites } from '../limits/limit-writes.decorator.js';
import type { AuthUser } from '../users/auth-user.js';
import { CommentsService } from './comments.service.js';
import { CreateCommentDto } from './dto/comment.dto.js';
import { LogbookComment } from './dto/logbook-views.dto.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';

// No trailing slash in these paths, as in the original (the router also accepts one).
@ApiTags('comments')
@Controller('api/logbooks')
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Public()
  @Get(':id/comments')
  @CachedView({ family: 'comments', name: 'comments', perUser: false, query: PAGE_QUERY })
  @ApiOperation({ summary: `[{id, text, author_username, created_at}], oldest first: a bare array of at most ${MAX_PAGE_SIZE}` })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'page_size', required: false, description: `default and maximum ${MAX_PAGE_SIZE}` })
  @ApiOkResponse({ type: [LogbookComment] })
  async list(@Param('id', ParseIdPipe) id: number, @Query('page') page?: string, @Query('page_size') size?: string) {
    const { size: limit, offset } = listRequest(page, size);
    return new RawJson(await this.comments.list(id, limit, offset));
  }

  @Post(':id/comments')
  @LimitWrites('comments')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Comment on a logbook → 201 {id, text, author_username, created_at}' })
  @ApiCreatedResponse({ type: LogbookComment })
  async create(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number, @Body() dto: CreateCommentDto) {
    return new RawJson(await this.comments.create(user.id, id, dto.text));
  }

  @Delete(':id/uncomment/:commentId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Delete a comment (its author or the logbook's owner)" })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors({ 403: 'Neither its author nor the logbook’s owner' })
  async remove(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseIdPipe) id: number,
    @Param('commentId', ParseIdPipe) commentId: number,
  ): Promise<void> {
    await this.comments.remove(user.id, id, commentId);
  }
}
