import { Page } from '../../common/dto/page.dto.js';

export class Person {
  id: number;
  /** @example "diver" */
  username: string;
}

/** A direct message. */
export class Message {
  id: number;
  template: 'INVITE' | 'LOG_REQUEST' | 'SHORT_DM';
  /** @example "Dive together on Saturday?" */
  content: string;
  is_read: boolean;
  /** ISO 8601, UTC */
  created_at: string;
  sender: Person;
  receiver: Person;
}

export class MessagePage extends Page {
  results: Message[];
}
