import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { Public } from '../auth/public.decorator.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { RawJson } from '../common/raw-json.js';
import type { AuthUser } from '../users/auth-user.js';
import { CommentsService } from './comments.service.js';
import { CreateCommentDto } from './dto/comment.dto.js';

// No trailing slash in these paths, as in the original (the router also accepts one).
@ApiTags('comments')
@Controller('api/logbooks')
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Public()
  @Get(':id/comments')
  @ApiOperation({ summary: '[{id, text, author_username, created_at}], oldest first' })
  async list(@Param('id', ParseIdPipe) id: number) {
    return new RawJson(await this.comments.list(id));
  }

  @Post(':id/comments')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Comment on a logbook → 201 {id, text, author_username, created_at}' })
  async create(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number, @Body() dto: CreateCommentDto) {
    return new RawJson(await this.comments.create(user.id, id, dto.text));
  }

  @Delete(':id/uncomment/:commentId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Delete a comment (its author or the logbook's owner)" })
  async remove(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseIdPipe) id: number,
    @Param('commentId', ParseIdPipe) commentId: number,
  ): Promise<void> {
    await this.comments.remove(user.id, id, commentId);
  }
}
