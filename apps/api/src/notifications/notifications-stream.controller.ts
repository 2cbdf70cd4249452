import type { OutgoingHttpHeaders } from 'node:http';
import { Controller, Get, HttpCode, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { Public } from '../auth/public.decorator.js';
import { TooManyRequestsException } from '../limits/too-many-requests.exception.js';
import type { AuthUser } from '../users/auth-user.js';
import { NotificationStreams } from './notification.streams.js';
import { StreamTickets, TICKET_TTL_SECONDS } from './stream.tickets.js';
import { StreamTicket } from './dto/notification-views.dto.js';

/** A positive integer id, or undefined for anything else (a client's garbage restarts from now). */
const eventId = (value: unknown): number | undefined => {
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === 'string' && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
};

@ApiTags('notifications')
@Controller('api/notifications')
export class NotificationsStreamController {
  constructor(
    private readonly tickets: StreamTickets,
    private readonly streams: NotificationStreams,
  ) {}

  @Post('stream_ticket')
  @HttpCode(HttpStatus.OK)
  @ApiBearerAuth()
  @ApiOperation({ summary: `A single-use ticket for GET stream, valid ${TICKET_TTL_SECONDS} s → {ticket}` })
  @ApiOkResponse({ type: StreamTicket })
  async ticket(@CurrentUser() user: AuthUser): Promise<{ ticket: string }> {
    return { ticket: await this.tickets.issue(user.id) };
  }

  @Public()
  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: 'Server-Sent Events: each new notification of the ticket’s user',
    description:
      'Each event is `id: <notification id>` and `data: <notification JSON>`; a reconnect with the `Last-Event-ID` header ' +
      '(or `last_event_id`) first replays what came after it. A comment line every NOTIFICATION_HEARTBEAT_MS. ' +
      'A finished recognition of the user’s photo is `event: photo` with `data: {photo_id, status, classified_as}` and no `id`: ' +
      'live only, it does not move Last-Event-ID.',
  })
  @ApiQuery({ name: 'ticket', required: true })
  @ApiQuery({ name: 'last_event_id', required: false })
  @ApiUnauthorizedResponse({ description: 'Missing, used or expired ticket' })
  @ApiTooManyRequestsResponse({ description: 'NOTIFICATION_STREAMS_PER_USER streams already open' })
  @ApiOkResponse({ description: 'The event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  async stream(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('ticket') ticket?: string,
    @Query('last_event_id') lastEventId?: string,
  ): Promise<void> {
    const userId = await this.tickets.redeem(ticket);
    if (!this.streams.hasRoom(userId)) throw new TooManyRequestsException(5, 'Too many open notification streams.');
    reply.hijack();
    reply.raw.writeHead(200, {
      ...(reply.getHeaders() as OutgoingHttpHeaders),
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-store',
      Connection: 'keep-alive',
      // nginx and similar proxies would otherwise buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    reply.raw.write(': open\n\n');
    // The status is sent: a failure now can only end the stream, and the client reconnects by itself.
    await this.streams.open(userId, eventId(req.headers['last-event-id']) ?? eventId(lastEventId), reply.raw).catch(() => reply.raw.end());
  }
}
