import { type BeforeApplicationShutdown, Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, Payload, RmqContext } from '@nestjs/microservices';
import { setTimeout as sleep } from 'node:timers/promises';
import { CommandPattern, type Delivered, type MailCommand, backoffMs } from '@app/messaging';
import { ConsumptionRegistry } from '../deliveries/consumption.registry.js';
import { ackEach, deadLetter, type Delivery, requeue } from '../deliveries/delivery.js';
import { InFlight } from '../deliveries/in-flight.js';
import { mailConfig, type MailEnv } from './mail.config.js';
import { MailNotSent, MailSender } from './mail.sender.js';
import { ResetCodeRecorder } from './reset-code.recorder.js';

/**
 * A reset mail first stores its code for the account its address names (ResetCodeRecorder): the API
 * publishes one for every address, and one without an account is acked with nothing sent. Each mail
 * is sent as it arrives (the prefetch, MAIL_CONCURRENCY, bounds how many at once) and acked once the
 * SMTP server took it. While the server is away or answers 4xx the message stays unacked and is tried
 * again with backoff, so an outage delays mail without losing it; after MAIL_SEND_ATTEMPTS, or at once
 * for a 5xx, it is dead-lettered. Postgres away counts as a transient failure too. A mail whose code
 * expired meanwhile is dropped. Logs name the command id only: never the address or the text.
 */
@Controller()
export class MailCommandsController implements BeforeApplicationShutdown {
  private readonly logger = new Logger(MailCommandsController.name);
  private readonly inFlight = new InFlight();
  private readonly stopping = new AbortController();

  constructor(
    private readonly consumption: ConsumptionRegistry,
    private readonly sender: MailSender,
    private readonly codes: ResetCodeRecorder,
    @Inject(mailConfig.KEY) private readonly env: MailEnv,
  ) {}

  @CommandPattern('mail')
  onMail(@Payload() command: Delivered<'mail'>, @Ctx() context: RmqContext): void {
    const received = this.consumption.receive('mail', command, context);
    if (received) this.inFlight.track(this.deliver(received.command, received.delivery));
  }

  /** SIGTERM: deliveries stop; a mail waiting out a backoff goes back to the queue for the next consumer. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumption.stop();
    this.stopping.abort();
    await this.inFlight.settled();
  }

  private async deliver(command: MailCommand, delivery: Delivery): Promise<void> {
    let recorded = false;
    for (let attempt = 1; ; attempt++) {
      if (Date.parse(command.expiresAt) <= Date.now()) {
        this.logger.warn(`mail ${command.id} dropped: its code expired before it could be sent`);
        ackEach([delivery]);
        return;
      }
      try {
        if (!recorded && !(await this.codes.record(command))) {
          ackEach([delivery]);
          this.logger.debug(`mail ${command.id} not sent: no account to reset`);
          return;
        }
        recorded = true;
        await this.sender.send(command);
        ackEach([delivery]);
        this.logger.log(`mail ${command.id} sent`);
        return;
      } catch (err) {
        const reason = err instanceof MailNotSent ? err : new MailNotSent(true, (err as Error).message);
        if (!reason.transient || attempt >= this.env.MAIL_SEND_ATTEMPTS) {
          this.logger.error(`mail ${command.id} dead-lettered after ${attempt} attempt(s): ${reason.message}`);
          deadLetter(delivery);
          return;
        }
        const delay = backoffMs(attempt - 1, this.env.MAIL_RETRY_BASE_MS, this.env.MAIL_RETRY_MAX_MS);
        this.logger.warn(`mail ${command.id} not sent (${reason.message}); try ${attempt + 1} in about ${delay} ms`);
        const waited = await sleep(delay / 2 + Math.random() * (delay / 2), true, { signal: this.stopping.signal }).catch(() => false);
        if (!waited) {
          requeue(delivery);
          return;
        }
      }
    }
  }
}
