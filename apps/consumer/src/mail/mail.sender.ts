import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import type { MailCommand } from '@app/messaging';
import { mailConfig, type MailEnv } from './mail.config.js';

/** Why a mail did not go out, and whether trying again later can help. */
export class MailNotSent extends Error {
  constructor(
    readonly transient: boolean,
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * Sends the mail a command names through SMTP (nodemailer). The text is built here from the template
 * and its data, and nothing of it is logged: nodemailer's logger is off and errors are reduced to the
 * server's status and a code, since a reset mail holds a live code.
 */
@Injectable()
export class MailSender implements OnApplicationShutdown {
  private readonly transport;

  constructor(@Inject(mailConfig.KEY) private readonly env: MailEnv & { SMTP_HOST: string }) {
    this.transport = createTransport({
      host: env.SMTP_HOST,
      port: env.SMTP_PORT,
      secure: env.SMTP_SECURE,
      requireTLS: env.SMTP_REQUIRE_TLS,
      auth: env.SMTP_USER ? { user: env.SMTP_USER, pass: env.SMTP_PASSWORD } : undefined,
      connectionTimeout: env.SMTP_TIMEOUT_MS,
      greetingTimeout: env.SMTP_TIMEOUT_MS,
      socketTimeout: env.SMTP_TIMEOUT_MS,
      logger: false,
      debug: false,
      // Mail content never names files or URLs to attach: refuse them, whatever a template holds.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  async send(command: MailCommand): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.env.MAIL_FROM,
        to: command.to,
        messageId: `<${command.id}@scoopadive>`,
        ...render(command),
      });
    } catch (err) {
      const e = err as { code?: string; responseCode?: number };
      // 5xx is the server's final word on this mail (a recipient it will not take), except for a refused
      // login, which is our configuration and is worth retrying once it is fixed.
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.code !== 'EAUTH';
      throw new MailNotSent(!permanent, [e.code, e.responseCode].filter(Boolean).join(' ') || 'send failed');
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}

function render(command: MailCommand): { subject: string; text: string } {
  const until = new Date(command.expiresAt).toISOString().slice(0, 16).replace('T', ' ');
  return {
    subject: 'Your ScoopADive password reset code',
    text:
      `Your ScoopADive password reset code is ${command.code}\n\n` +
      `Enter it on the password reset page before ${until} UTC; it works once.\n` +
      `If you did not ask to reset your password, ignore this mail: your password stays as it is.\n`,
  };
}
