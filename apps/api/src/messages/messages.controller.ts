import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Post, Query, Req } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { appConfig } from '../app.config.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageBody, pageRequest } from '../common/pagination.js';
import { ParseIdPipe } from '../common/parse-id.pipe.js';
import { publicOrigin } from '../common/public-origin.js';
import { RawJson } from '../common/raw-json.js';
import type { AuthUser } from '../users/auth-user.js';
import { CreateMessageDto } from './dto/message.dto.js';
import { MessagesService } from './messages.service.js';
import { Message, MessagePage } from './dto/message-views.dto.js';

const MESSAGE_SHAPE = '{id, template, content, is_read, created_at, sender: {id, username}, receiver: {id, username}}';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('api/messages')
export class MessagesController {
  constructor(
    private readonly messages: MessagesService,
    @Inject(appConfig.KEY) private readonly env: ConfigType<typeof appConfig>,
  ) {}

  @Post('/')
  @ApiOperation({ summary: `Send a direct message → 201 ${MESSAGE_SHAPE}; the receiver gets a message notification` })
  @ApiBadRequestResponse({ description: 'To oneself, or not exactly one of receiver_id and receiver_username' })
  @ApiNotFoundResponse({ description: 'No such receiver' })
  @ApiTooManyRequestsResponse({ description: 'More than MESSAGE_LIMIT_PER_MINUTE sends in a minute (Retry-After)' })
  @ApiCreatedResponse({ type: Message })
  async send(@CurrentUser() user: AuthUser, @Body() dto: CreateMessageDto) {
    return new RawJson(await this.messages.send(user.id, dto));
  }

  @Get('inbox')
  @ApiOperation({ summary: `Messages to the caller, newest first: {count, next, previous, results: [${MESSAGE_SHAPE}]}` })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'page_size', required: false, description: `default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}` })
  @ApiOkResponse({ type: MessagePage })
  async inbox(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser, @Query('page') page?: string, @Query('page_size') size?: string) {
    const request = pageRequest(page, size);
    const { count, results } = await this.messages.inbox(user.id, request.size, request.offset);
    return pageBody(req, publicOrigin(req, this.env.PUBLIC_URL), request, count, results);
  }

  @Get('sent')
  @ApiOperation({ summary: `Messages from the caller, newest first: {count, next, previous, results: [${MESSAGE_SHAPE}]}` })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'page_size', required: false, description: `default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}` })
  @ApiOkResponse({ type: MessagePage })
  async sent(@Req() req: FastifyRequest, @CurrentUser() user: AuthUser, @Query('page') page?: string, @Query('page_size') size?: string) {
    const request = pageRequest(page, size);
    const { count, results } = await this.messages.sent(user.id, request.size, request.offset);
    return pageBody(req, publicOrigin(req, this.env.PUBLIC_URL), request, count, results);
  }

  @Post('read/:id')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: `Mark a message to the caller read (and its notification) → ${MESSAGE_SHAPE}` })
  @ApiNotFoundResponse({ description: 'Unknown, or not to the caller' })
  @ApiOkResponse({ type: Message })
  async read(@CurrentUser() user: AuthUser, @Param('id', ParseIdPipe) id: number) {
    return new RawJson(await this.messages.read(user.id, id));
  }
}
