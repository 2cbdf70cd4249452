import { setTimeout as sleep } from 'node:timers/promises';
import { validateEnv } from '@app/config';
import { SmtpSinkEnv } from '../../apps/smtp-sink/src/smtp-sink.config.js';
import { createSmtpSink } from '../../apps/smtp-sink/src/smtp-sink.server.js';
import { USERS, userEmail } from '../lib/dataset-v1.js';
import { type BenchContext, type ScenarioResult, markdownTable, round } from '../lib/scenario.js';
import { startApi, startConsumer } from '../lib/stack.js';

const LIFTED = { PASSWORD_RESET_MAX_PER_EMAIL: '100000000', PASSWORD_RESET_MAX_PER_IP: '100000000' };

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
/** Within 10 % of each other. */
const alike = (a: number, b: number) => Math.abs(a - b) <= 0.1 * Math.max(a, b);
const stats = (ms: number[]) => {
  const s = ms.toSorted((a, b) => a - b);
  return { n: s.length, p50: round(quantile(s, 0.5), 3), p90: round(quantile(s, 0.9), 3), p99: round(quantile(s, 0.99), 3) };
};

/**
 * Does a reset request's answer say whether the address has an account? One client, one request at a
 * time (what a prober does; the per-client limit stops a fast one), known and unknown addresses in a
 * random order, with the consumer mailing every known one's code to an SMTP sink: the time to the
 * full answer for each kind, side by side, and whether the bodies were the same bytes. The same times
 * split by the kind asked just before show what a prober gets by timing the request that follows
 * its guess: any work done only for an account would slow the next answer.
 */
export async function passwordReset(ctx: BenchContext): Promise<ScenarioResult> {
  const pairs = ctx.quick ? 200 : 1_000;
  const sinkEnv = validateEnv(SmtpSinkEnv, { SMTP_SINK_PORT: '0', SMTP_SINK_HTTP_PORT: '0' });
  const sink = createSmtpSink(sinkEnv);
  await new Promise<void>((listening) => sink.smtp.listen(0, '127.0.0.1', () => listening()));
  const smtpPort = String((sink.smtp.server.address() as { port: number }).port);
  const api = await startApi(LIFTED);
  const consumer = await startConsumer({ SMTP_HOST: '127.0.0.1', SMTP_PORT: smtpPort });
  const times = { known: [] as number[], unknown: [] as number[] };
  const after = { known: [] as number[], unknown: [] as number[] };
  const bodies = new Set<string>();
  try {
    const ask = async (email: string) => {
      const t0 = performance.now();
      const res = await fetch(`${api.url}/api/password-reset/request/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      const body = await res.text();
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`reset request: ${res.status} ${body}`);
      bodies.add(body);
      return ms;
    };
    for (let i = 0; i < 50; i++) await ask(i % 2 ? userEmail(i % USERS) : `warmup${i}@example.com`);
    let previous: 'known' | 'unknown' = 'known';
    for (let i = 0; i < pairs; i++) {
      const order: Array<'known' | 'unknown'> = Math.random() < 0.5 ? ['known', 'unknown'] : ['unknown', 'known'];
      for (const kind of order) {
        const ms = await ask(kind === 'known' ? userEmail(i % USERS) : `absent${i}@example.com`);
        times[kind].push(ms);
        after[previous].push(ms);
        previous = kind;
        // A prober's pace: the issue started by one request has finished before the next one.
        await sleep(2);
      }
    }
    const sent = 25 + pairs;
    const deadline = Date.now() + 60_000;
    while (sink.state.received < sent && Date.now() < deadline) await sleep(100);
  } finally {
    await consumer.stop();
    await api.stop();
    await new Promise<void>((closed) => sink.smtp.close(() => closed()));
  }
  const known = stats(times.known);
  const unknown = stats(times.unknown);
  const afterKnown = stats(after.known);
  const afterUnknown = stats(after.unknown);
  return {
    name: 'password-reset',
    title: `Password reset request: time to the answer for addresses with and without an account (${pairs} of each, one at a time)`,
    table: markdownTable(
      ['address', 'requests', 'p50 ms', 'p90 ms', 'p99 ms'],
      [
        ['has an account (code stored, mail sent)', known.n, known.p50, known.p90, known.p99],
        ['no account (nothing stored or sent)', unknown.n, unknown.p50, unknown.p90, unknown.p99],
        ['either, asked after one with an account', afterKnown.n, afterKnown.p50, afterKnown.p90, afterKnown.p99],
        ['either, asked after one without', afterUnknown.n, afterUnknown.p50, afterUnknown.p90, afterUnknown.p99],
      ],
    ),
    figures: { known, unknown, afterKnown, afterUnknown, distinctBodies: bodies.size, mailsReceived: sink.state.received },
    targets: [
      {
        what: 'reset request answers alike for every address',
        target: 'one body; medians within 10 % of each other',
        reached: `${bodies.size} body; medians ${known.p50} / ${unknown.p50} ms; ${sink.state.received} mails`,
        met: bodies.size === 1 && alike(known.p50, unknown.p50),
      },
      {
        what: 'reset request: the next answer alike after either kind of address',
        target: 'medians within 10 % of each other',
        reached: `medians ${afterKnown.p50} / ${afterUnknown.p50} ms`,
        met: alike(afterKnown.p50, afterUnknown.p50),
      },
    ],
    notes: [
      'The API never looks the address up: it draws a code and publishes the same confirmed mail command for every address after the reply is sent; the consumer stores the code and mails it only for an account (its work runs on the same two cores here).',
    ],
  };
}
