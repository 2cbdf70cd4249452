import { Controller, Get, HttpCode, HttpStatus, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { appConfig } from '../app.config.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageBody, pageRequest } from '../common/pagination.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { publicOrigin } from '../common/public-origin.js';
import { RawJson } from '../common/raw-json.js';
import type { AuthUser } from '../users/auth-user.js';
import { NotificationsService } from './notifications.service.js';
import { Notification, NotificationPage, ReadCount } from './dto/notification-views.dto.js';

// Private and changing with every like: never cached, read straight from Postgres.
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/notifications')
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    @Inject(appConfig.KEY) private readonly env: ConfigType<typeof appConfig>,
  ) {}

  @Get('/')
  @ApiOperation({
    summary: "The caller's notifications, newest first: {count, next, previous, results}",
    description: 'Each result is {id, type (like|comment|friend|message), title, is_read, created_at, link, meta: {actor}}.',
  })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'page_size', required: false, description: `default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}` })
  @ApiOkResponse({ type: NotificationPage })
  async list(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser, @Query('page') page?: string, @Query('page_size') size?: string) {
    const request = pageRequest(page, size);
    const { count, results } = await this.notifications.page(user.id, request.size, request.offset);
    return pageBody(req, publicOrigin(req, this.env.PUBLIC_URL), request, count, results);
  }

  @Post('read_all')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Marks all the caller's notifications read → {updated: n}" })
  @ApiOkResponse({ type: ReadCount })
  readAll(@CurrentUser() user: AuthUser): Promise<{ updated: number }> {
    return this.notifications.readAll(user.id);
  }

  @Post('read/:id')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Marks one of the caller's notifications read → the notification" })
  @ApiNotFoundResponse({ description: "Unknown, or someone else's" })
  @ApiOkResponse({ type: Notification })
  async read(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return new RawJson(await this.notifications.read(user.id, id));
  }
}
