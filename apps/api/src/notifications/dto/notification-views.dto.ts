import { Page } from '../../common/dto/page.dto.js';
import { Person } from '../../messages/dto/message-views.dto.js';

export class NotificationMeta {
  /** Who caused it @example "buddy" */
  actor: string;
  /** On message notifications */
  sender?: Person;
  /** The message's first 80 characters, on message notifications */
  preview?: string;
}

/** Something that happened to the caller. */
export class Notification {
  id: number;
  type: 'like' | 'comment' | 'friend' | 'message';
  /** @example "buddy liked your log" */
  title: string;
  is_read: boolean;
  /** ISO 8601, UTC */
  created_at: string;
  /**
   * The client's page for it
   * @example "/log/42"
   */
  link: string;
  meta: NotificationMeta;
}

export class NotificationPage extends Page {
  results: Notification[];
}

export class StreamTicket {
  /** Single use, for `GET /api/notifications/stream?ticket=…` */
  ticket: string;
}

export class ReadCount {
  /** How many were unread */
  updated: number;
}
