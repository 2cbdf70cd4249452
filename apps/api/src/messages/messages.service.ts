import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotificationEvents } from '@app/cache';
import { type Limit, LimitExceeded, RateLimits } from '../limits/rate-limits.js';
import { TooManyRequestsException } from '../limits/too-many-requests.exception.js';
import type { CreateMessageDto } from './dto/message.dto.js';
import { messagesConfig, type MessagesEnv } from './messages.config.js';
import { boxSql, CREATE_SQL, READ_SQL } from './messages.sql.js';

const INBOX_SQL = boxSql('receiver_id');
const SENT_SQL = boxSql('sender_id');

@Injectable()
export class MessagesService {
  private readonly sends: Limit;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly notifications: NotificationEvents,
    rates: RateLimits,
    @Inject(messagesConfig.KEY) env: MessagesEnv,
  ) {
    this.sends = rates.create('messages', { points: env.MESSAGE_LIMIT_PER_MINUTE, durationSeconds: 60 });
  }

  async send(senderId: number, dto: CreateMessageDto): Promise<string> {
    const byId = dto.receiver_id !== undefined;
    if (byId === (dto.receiver_username !== undefined)) {
      throw new BadRequestException({ non_field_errors: ['Give exactly one of receiver_id and receiver_username.'] });
    }
    // Counted before the lookup, so a flood of sends to unknown names is limited as well.
    try {
      await this.sends.consume(String(senderId));
    } catch (err) {
      if (err instanceof LimitExceeded) throw new TooManyRequestsException(err.retryAfterSeconds);
      throw err;
    }
    const [row] = await this.db.query(CREATE_SQL, [
      senderId,
      dto.receiver_id ?? null,
      dto.receiver_username ?? null,
      dto.template,
      dto.content,
    ]);
    if (row.matches === 0) throw new NotFoundException({ detail: 'Receiver not found.' });
    if (row.self) throw new BadRequestException({ receiver: ['You cannot send a message to yourself.'] });
    // Usernames are not unique: a name more than one diver uses cannot say who is meant.
    if (row.matches > 1) throw new BadRequestException({ receiver_username: ['More than one user has this username; send receiver_id.'] });
    await this.notifications.announce([row.receiver]);
    return row.doc;
  }

  async inbox(userId: number, limit: number, offset: number): Promise<{ count: number; results: string }> {
    const [row] = await this.db.query(INBOX_SQL, [userId, limit, offset]);
    return row;
  }

  async sent(userId: number, limit: number, offset: number): Promise<{ count: number; results: string }> {
    const [row] = await this.db.query(SENT_SQL, [userId, limit, offset]);
    return row;
  }

  async read(userId: number, id: number): Promise<string> {
    const [row] = await this.db.query(READ_SQL, [id, userId]);
    if (!row) throw new NotFoundException({ detail: 'Not found.' });
    return row.doc;
  }
}
