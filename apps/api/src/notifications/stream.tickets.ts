import { randomBytes } from 'node:crypto';
import { Inject, Injectable, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { CacheKeys, REDIS_CLIENT, RedisBreaker, type RedisClient } from '@app/cache';

export const TICKET_TTL_SECONDS = 30;
const TICKET_SHAPE = /^[\w-]{32}$/;

/**
 * Browsers' EventSource cannot send an Authorization header, and a long-lived token in a URL ends up
 * in logs and histories. A stream is opened instead with a ticket: random, bound to one user, valid
 * for 30 s and redeemed with GETDEL, so it works once, on whichever API process the stream reaches.
 */
@Injectable()
export class StreamTickets {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly keys: CacheKeys,
    private readonly breaker: RedisBreaker,
  ) {}

  async issue(userId: number): Promise<string> {
    const ticket = randomBytes(24).toString('base64url');
    await this.call(() => this.redis.set(this.keys.streamTicket(ticket), String(userId), { EX: TICKET_TTL_SECONDS }));
    return ticket;
  }

  /** The ticket's user; 401 for a missing, malformed, used or expired ticket. */
  async redeem(ticket: string | undefined): Promise<number> {
    if (!ticket || !TICKET_SHAPE.test(ticket)) throw new UnauthorizedException({ detail: 'Invalid or expired ticket.' });
    const owner = await this.call(() => this.redis.getDel(this.keys.streamTicket(ticket)));
    if (!owner) throw new UnauthorizedException({ detail: 'Invalid or expired ticket.' });
    return Number(owner);
  }

  private async call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await this.breaker.run('stream ticket', op);
    } catch {
      throw new ServiceUnavailableException({ detail: 'Live updates are unavailable right now.' });
    }
  }
}
