import Fastify, { type FastifyInstance } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { type ReceivedMail, SinkState } from './sink.state.js';
import type { SmtpSinkEnv } from './smtp-sink.config.js';

const MAX_MESSAGE_BYTES = 1_048_576;

/** The error smtp-server answers a refused command with: its responseCode is the reply code. */
const refusal = (code: number) =>
  Object.assign(new Error(code === 421 ? 'Service not available, try later' : 'Mailbox busy, try later'), { responseCode: code });
const whole = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

export interface SmtpSink {
  smtp: SMTPServer;
  http: FastifyInstance;
  state: SinkState;
}

/**
 * A local SMTP server that accepts every mail (any login or none, no TLS: loopback only) and keeps
 * it in memory, with a small HTTP side to read what came (`GET /messages?to=`), forget it
 * (`DELETE /messages`) and make it refuse mail for a while (`POST /_sink/refuse {code, count?, ms?}`),
 * for development, tests and benchmarks. Not for a shared host: it shows every message it holds.
 */
export function createSmtpSink(env: SmtpSinkEnv, log: (line: string) => void = () => undefined): SmtpSink {
  const state = new SinkState(env.SMTP_SINK_MAX_MESSAGES);

  const smtp = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onAuth: (auth, _session, done) => done(null, { user: auth.username ?? 'anyone' }),
    onConnect: (_session, done) => {
      const code = state.refuses('connect');
      done(code ? refusal(code) : null);
    },
    onMailFrom: (_address, _session, done) => {
      const code = state.refuses('mail');
      done(code ? refusal(code) : null);
    },
    onData: (stream, session, done) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) return done(Object.assign(new Error('Message too large'), { responseCode: 552 }));
        const mail = state.add({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          receivedAt: new Date().toISOString(),
          ...parse(Buffer.concat(chunks).toString('latin1')),
        });
        log(`mail #${mail.id} for ${mail.to.join(', ')}: "${mail.subject}"`);
        done();
      });
    },
  });

  const http = Fastify({ logger: false });
  http.get<{ Querystring: { to?: string } }>('/messages', (req, reply) => {
    const to = req.query.to?.toLowerCase();
    return reply.send(to ? state.messages.filter((m) => m.to.some((r) => r.toLowerCase() === to)) : state.messages);
  });
  http.delete('/messages', (_req, reply) => {
    state.messages.length = 0;
    return reply.code(204).send();
  });
  http.get('/_sink/stats', (_req, reply) => reply.send({ received: state.received, refused: state.refused, refusal: state.refusal }));
  http.post<{ Body: { code?: unknown; count?: unknown; ms?: unknown } }>('/_sink/refuse', (req, reply) => {
    const { code = 451, count, ms } = req.body ?? {};
    if (
      !whole(code) ||
      (code as number) < 400 ||
      (code as number) > 599 ||
      (count !== undefined && !whole(count)) ||
      (ms !== undefined && !whole(ms))
    ) {
      return reply.code(400).send({ message: 'code: 400-599; count and ms: whole numbers' });
    }
    state.refusal = {
      code: code as number,
      remaining: count === undefined ? null : (count as number),
      until: ms === undefined ? null : Date.now() + (ms as number),
    };
    return reply.send(state.refusal);
  });
  http.delete('/_sink/refuse', (_req, reply) => {
    state.refusal = null;
    return reply.code(204).send();
  });
  return { smtp, http, state };
}

/** The subject and the plain text of a single-part message, undoing quoted-printable or base64. */
function parse(raw: string): Pick<ReceivedMail, 'subject' | 'text'> {
  const split = raw.indexOf('\r\n\r\n');
  const head = (split < 0 ? raw : raw.slice(0, split)).replace(/\r\n[ \t]+/g, ' ');
  const body = split < 0 ? '' : raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const bytes =
    encoding === 'base64'
      ? Buffer.from(body, 'base64')
      : encoding === 'quoted-printable'
        ? Buffer.from(
            body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          )
        : Buffer.from(body, 'latin1');
  return { subject: header('Subject'), text: bytes.toString('utf8') };
}
