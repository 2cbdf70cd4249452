import { Injectable } from '@nestjs/common';
import { CacheKeys } from './cache-keys.js';
import { ChannelPublisher } from './channel.publisher.js';

/** A committed notification as its user's streams write it: its id and the client's JSON document. */
export interface NotificationEvent {
  userId: number;
  id: number;
  doc: string;
}

/** What one message on the notifications channel says: users to read from Postgres, or the events themselves. */
export type NotificationMessage = { users: number[] } | { events: NotificationEvent[] };

const EVENTS_HEAD = 'events\n';
/**
 * Past this many events a message names the users instead: every API process parses every message,
 * including the events of users it holds no stream for, so a huge batch is cheaper read from Postgres.
 */
const MAX_EVENTS_PER_MESSAGE = 1_000;

/**
 * The channel's two forms: `1,2,3` (these users have new notifications) or `events\n` then one
 * `<user id> <notification id> <document>` line per event (JSON text holds no raw newline). Both are
 * parsed here alone, so producers and listeners cannot disagree.
 */
export const NotificationMessages = {
  users: (userIds: number[]): string => [...new Set(userIds)].join(','),

  events: (events: NotificationEvent[]): string => EVENTS_HEAD + events.map((e) => `${e.userId} ${e.id} ${e.doc}`).join('\n'),

  parse(message: string): NotificationMessage {
    if (!message.startsWith(EVENTS_HEAD)) return { users: message.split(',').map(Number).filter(Number.isSafeInteger) };
    const events: NotificationEvent[] = [];
    for (const line of message.slice(EVENTS_HEAD.length).split('\n')) {
      const a = line.indexOf(' ');
      const b = line.indexOf(' ', a + 1);
      const [userId, id] = [Number(line.slice(0, a)), Number(line.slice(a + 1, b))];
      if (a > 0 && b > a && Number.isSafeInteger(userId) && Number.isSafeInteger(id)) events.push({ userId, id, doc: line.slice(b + 1) });
    }
    return { events };
  },
};

/**
 * Announces, after their commit, that users have new notifications. Best effort: a lost
 * announcement is caught up from Postgres (the streams recheck what they were sent, and a reconnect
 * resumes from Last-Event-ID), so a Redis failure here never fails the write that caused it.
 */
@Injectable()
export class NotificationEvents {
  constructor(
    private readonly channels: ChannelPublisher,
    private readonly keys: CacheKeys,
  ) {}

  /** The API processes holding their streams read the users' new rows from Postgres. */
  async announce(userIds: number[]): Promise<void> {
    if (userIds.length > 0) await this.publish(NotificationMessages.users(userIds));
  }

  /**
   * The events themselves, for a producer that has them at hand (the like batches): the streams
   * write them without a Postgres round trip, the largest part of the delivery time under load.
   */
  async announceEvents(events: NotificationEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (events.length > MAX_EVENTS_PER_MESSAGE) return this.announce(events.map((e) => e.userId));
    await this.publish(NotificationMessages.events(events));
  }

  private publish(message: string): Promise<void> {
    return this.channels.publish(this.keys.notificationEvents(), message);
  }
}
