import { validateEnv } from '@app/config';
import { SmtpSinkEnv } from '../../apps/smtp-sink/src/smtp-sink.config.js';
import { createSmtpSink } from '../../apps/smtp-sink/src/smtp-sink.server.js';
import type { ReceivedMail, SinkState } from '../../apps/smtp-sink/src/sink.state.js';

export interface RunningSink {
  state: SinkState;
  /** Base URL of its HTTP side. */
  url: string;
  /** SMTP_* variables that point the consumer at this sink. */
  clientEnv: Record<string, string>;
  /** The messages received for `to`, read over the sink's HTTP side. */
  mailsTo(to: string): Promise<ReceivedMail[]>;
  /** Refuse mail (421: connections; else each transaction) for `count` times and/or `ms`. */
  refuse(refusal: { code: number; count?: number; ms?: number }): Promise<void>;
  close(): Promise<void>;
}

/** The real SMTP sink (the one `npm start` runs), on free loopback ports. */
export async function startSmtpSink(): Promise<RunningSink> {
  const env = validateEnv(SmtpSinkEnv, { SMTP_SINK_PORT: '0', SMTP_SINK_HTTP_PORT: '0' });
  const { smtp, http, state } = createSmtpSink(env);
  await new Promise<void>((listening) => smtp.listen(0, '127.0.0.1', () => listening()));
  await http.listen({ port: 0, host: '127.0.0.1' });
  const smtpPort = (smtp.server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${(http.server.address() as { port: number }).port}`;
  return {
    state,
    url,
    clientEnv: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpPort) },
    mailsTo: async (to) => (await fetch(`${url}/messages?to=${encodeURIComponent(to)}`)).json() as Promise<ReceivedMail[]>,
    refuse: async (refusal) => {
      const res = await fetch(`${url}/_sink/refuse`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(refusal),
      });
      if (!res.ok) throw new Error(`sink refused the refusal: ${res.status}`);
    },
    close: async () => {
      await new Promise<void>((closed) => smtp.close(() => closed()));
      await http.close();
    },
  };
}

/** The 6-digit code of a reset mail's text. */
export const codeIn = (mail: ReceivedMail): string => /\b(\d{6})\b/.exec(mail.text)?.[1] ?? '';
