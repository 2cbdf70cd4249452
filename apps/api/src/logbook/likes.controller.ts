import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { Public } from '../auth/public.decorator.js';
import { CachedView } from '../common/cached-view.decorator.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { RawJson } from '../common/raw-json.js';
import type { AuthUser } from '../users/auth-user.js';
import { LikesService } from './likes.service.js';
import { LikedLogbook, LikeState, LogbookLikes } from './dto/logbook-views.dto.js';

@ApiTags('likes')
@Controller('api/logbooks')
export class LikesController {
  constructor(private readonly likes: LikesService) {}

  // Both views list usernames, which a profile edit changes: they depend on users as well as likes.

  // Public: the original required a token here only because its view misnamed the actions (get_likes/get_like).
  @Public()
  @Get('likes/')
  @CachedView({ family: ['logbooks', 'users'], name: 'likes', perUser: false })
  @ApiOperation({ summary: '[{id, likes:[username…]}] for every logbook with at least one like' })
  @ApiOkResponse({ type: [LikedLogbook] })
  async all() {
    return new RawJson(await this.likes.all());
  }

  @Get(':id/like/')
  @ApiBearerAuth()
  @CachedView({ family: ['logbooks', 'users'], name: 'like', perUser: false, likes: 'per-logbook' })
  @ApiOperation({ summary: '{likes:[username…], likes_count}' })
  @ApiOkResponse({ type: LogbookLikes })
  async one(@Param('id', ParseIdPipe) id: number) {
    return new RawJson(await this.likes.ofLogbook(id), [id]);
  }

  @Post(':id/like/')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Like (queued; 202 {liked, likes_count}; 503 + Retry-After if the broker did not confirm)' })
  @ApiAcceptedResponse({ type: LikeState, description: 'Queued with the broker’s confirm; the consumer applies it' })
  like(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return this.likes.set(user.id, id, true);
  }

  @Delete(':id/like/')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Unlike (queued; 202 {liked, likes_count}; 503 + Retry-After if the broker did not confirm)' })
  @ApiAcceptedResponse({ type: LikeState, description: 'Queued with the broker’s confirm; the consumer applies it' })
  unlike(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return this.likes.set(user.id, id, false);
  }
}
