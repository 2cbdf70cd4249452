import { Injectable } from '@nestjs/common';
import { CommandPublisher, type LikeCommand, MAX_LIKE_COMMANDS_PER_MESSAGE } from '@app/messaging';

interface Waiting {
  command: LikeCommand;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Like commands accepted in one turn of the event loop go to the broker as one message, and each
 * caller's promise settles with that message's confirm: under load the broker's work per like is the
 * work of a message shared by the likes read in the same poll of the sockets, while a lone like waits
 * only for the rest of the turn it arrived in (setImmediate runs right after the poll).
 *
 * Nothing waits longer than one publish: a refusal (broker away, confirm timeout) rejects every
 * command of the message, so each of their requests answers 503 as it did alone; at most
 * MAX_LIKE_COMMANDS_PER_MESSAGE share a message, a full one leaves at once.
 */
@Injectable()
export class LikeCommandGatherer {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(private readonly publisher: CommandPublisher) {}

  publish(command: LikeCommand): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ command, resolve, reject });
      if (this.waiting.length >= MAX_LIKE_COMMANDS_PER_MESSAGE) this.send();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.send();
        });
      }
    });
  }

  private send(): void {
    const message = this.waiting;
    if (message.length === 0) return;
    this.waiting = [];
    this.publisher
      .publish(
        'like',
        message.map((w) => w.command),
      )
      .then(
        () => message.forEach((w) => w.resolve()),
        (err: unknown) => message.forEach((w) => w.reject(err)),
      );
  }
}
