import { type Agent, request as httpRequest } from 'node:http';
import fc from 'fast-check';
import type { Response } from 'supertest';
import type { Contract } from '../contract.js';
import { probeArb } from './probes.js';
import type { Operation, Probe, Reply, World } from './types.js';
import { json } from './values.js';

// Sending and judging, under the FUZZ_* settings described in test/bad-input.e2e-spec.ts.
const SEED = Number.parseInt(process.env.FUZZ_SEED ?? '20240601', 10) | 0;
const BUDGET = Number.parseInt(process.env.FUZZ_RUNS ?? '8000', 10);
export const ONLY = process.env.FUZZ_ONLY ?? '';
const REQUEST_TIMEOUT_MS = 10_000;

let sent = 0;

/**
 * node:http rather than supertest: path, headers and bytes go out exactly as generated, on kept-alive
 * connections. Each request comes from another address (via the trusted proxy header) in a range
 * no other test uses, so that the failed sign-ins of the fuzzing lock nobody out.
 */
export function send(base: URL, agent: Agent, p: Probe, retry = true): Promise<Reply> {
  sent++;
  const headers: Record<string, string> = {
    'x-forwarded-for': `198.${18 + ((sent >> 16) & 1)}.${(sent >> 8) & 255}.${sent & 255}`,
  };
  if (p.body && !p.headers['transfer-encoding']) {
    headers['content-length'] = String(p.body.length);
  }
  Object.assign(headers, p.headers);
  const { hostname: host, port } = base;
  return new Promise((done) => {
    let answered = false;
    const req = httpRequest({ host, port, method: p.method, path: p.path, headers, agent }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      const reply = (error?: string) =>
        done({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          error,
        });
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => reply(String(err)));
      res.on('end', () => reply());
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (answered) return; // e.g. a 413 sent before the body was all written
      // A kept-alive socket the server had just closed: once more on a new one (Node's advice).
      if (req.reusedSocket && err.code === 'ECONNRESET' && retry) {
        done(send(base, agent, p, false));
        return;
      }
      done({
        status: 0,
        headers: {},
        body: Buffer.alloc(0),
        error: err.message,
      });
    });
    req.end(p.body);
  });
}

const isText = (v: unknown) => typeof v === 'string' && v.trim() !== '';

/** The service's error shapes: {"detail"}, the original's {"error"} (presign), {"field": ["msg"]}. */
function hasMessage(body: unknown): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const o = body as Record<string, unknown>;
  if ('detail' in o) return isText(o.detail);
  if ('error' in o) return isText(o.error);
  const fields = Object.values(o);
  return fields.length > 0 && fields.every((v) => Array.isArray(v) && v.length > 0 && v.every(isText));
}

function judge(op: Operation, r: Reply): string | undefined {
  if (r.status === 0) return `no answer: ${r.error}`;
  if (r.error) return `answer cut off: ${r.error}`;
  const unconfirmed = op.publishes && r.status === 503;
  if (r.status >= 500 && !(unconfirmed && r.headers['retry-after'])) {
    return `status ${r.status}`;
  }
  const type = String(r.headers['content-type'] ?? 'no content type');
  const isJson = /^application\/json\b/.test(type);
  let body: unknown;
  try {
    if (isJson && r.body.length) body = JSON.parse(r.body.toString('utf8'));
  } catch {
    return `${r.status} with a body that is not JSON`;
  }
  if (r.status < 400 || r.status >= 500) return undefined;
  if (!isJson) return `${r.status} without a JSON body (${type})`;
  return hasMessage(body) ? undefined : `${r.status} without a message`;
}

/** Why the answer is not what the OpenAPI document says (status, content type, body), if it is not. */
function conforms(contract: Contract, op: Operation, p: Probe, r: Reply): string | undefined {
  const text = r.body.toString('utf8');
  const isJson = /^application\/json\b/.test(String(r.headers['content-type'] ?? ''));
  try {
    contract.check(op.method, p.path, {
      status: r.status,
      headers: r.headers,
      text,
      body: isJson && text ? JSON.parse(text) : {},
    } as unknown as Response);
    return undefined;
  } catch (err) {
    // The reason without the body (shown with the replay), so that one kind of failure is one entry.
    return `not as documented: ${(err as Error).message.split(/; body|\nbody|\(body /)[0]}`;
  }
}

const preview = (b: Buffer | undefined, n = 300) =>
  b === undefined ? '(none)' : `${b.length} bytes ${json(b.subarray(0, n).toString('latin1'))}${b.length > n ? '…' : ''}`;

/** FNV-1a: each operation's seed does not depend on which others run. */
const hash = (s: string) => [...s].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16_777_619), 0x811c9dc5);

type Counts = Map<number, number>;
const add = (m: Map<string, Counts>, key: string, status: number) => {
  const counts = m.get(key) ?? m.set(key, new Map()).get(key)!;
  counts.set(status, (counts.get(status) ?? 0) + 1);
};
const sum = (c: Counts) => [...c.values()].reduce((a, b) => a + b, 0);
const fmt = (c: Counts) =>
  [...c]
    .toSorted(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');

interface Failure {
  op: Operation;
  p: Probe;
  r: Reply;
  why: string;
}

interface Outcome {
  runs: number;
  seconds: number;
  byOp: Map<string, Counts>;
  byKind: Map<string, Counts>;
  failures: Failure[];
}

/** Spends the budget on every operation; failures are collected, not thrown, so all are shown. */
export async function fuzzAll(ops: Operation[], w: World, request: (p: Probe) => Promise<Reply>, contract: Contract): Promise<Outcome> {
  const started = Date.now();
  const runs = Math.max(1, Math.ceil(BUDGET / ops.length));
  const out: Outcome = { runs, seconds: 0, byOp: new Map(), byKind: new Map(), failures: [] }; // prettier-ignore
  const fuzz = async (op: Operation) => {
    out.byOp.set(op.key, new Map());
    const property = fc.asyncProperty(probeArb(op, w), async (p) => {
      const r = await request(p);
      add(out.byOp, op.key, r.status);
      for (const k of p.kinds) add(out.byKind, k, r.status);
      const why = judge(op, r) ?? conforms(contract, op, p, r);
      if (why) out.failures.push({ op, p, r, why });
    });
    await fc.assert(property, { seed: SEED ^ hash(op.key), numRuns: runs });
  };
  // Three operations at a time; the deletions one after another, at the end.
  const rest = ops.filter((o) => o.method !== 'DELETE');
  for (let i = 0; i < rest.length; i += 3) {
    await Promise.all(rest.slice(i, i + 3).map(fuzz));
  }
  for (const op of ops.filter((o) => o.method === 'DELETE')) await fuzz(op);
  out.seconds = (Date.now() - started) / 1000;
  return out;
}

export function summary(ops: Operation[], o: Outcome): string {
  const total: Counts = new Map();
  for (const c of o.byOp.values()) {
    for (const [s, n] of c) total.set(s, (total.get(s) ?? 0) + n);
  }
  const row = (k: string, c: Counts) => `  ${k.padEnd(48)} ${String(sum(c)).padStart(6)}  ${fmt(c)}`;
  return [
    `bad-input fuzz: seed ${SEED} (FUZZ_SEED), budget ${BUDGET} (FUZZ_RUNS): ${ops.length} operations × ${o.runs} runs`,
    '  requests per operation, by status:',
    ...ops.map((op) => row(op.key, o.byOp.get(op.key)!)),
    '  requests per kind of input, by status:',
    ...[...o.byKind].toSorted().map(([k, c]) => row(k, c)),
    `  total: ${sum(total)} requests in ${o.seconds.toFixed(1)} s, ${o.failures.length} violations; ${fmt(total)}`,
  ].join('\n');
}

const size = (p: Probe) => p.path.length + (p.body?.length ?? 0);

/** The smallest failing request per operation and kind of failure, ready to replay. */
export function violations(failures: Failure[]): string[] {
  const smallest = new Map<string, Failure>();
  for (const f of failures) {
    const k = `${f.op.key} → ${f.why.replace(/^\d{3} /, '')}`;
    const held = smallest.get(k);
    if (!held || size(f.p) < size(held.p)) smallest.set(k, f);
  }
  return [...smallest].map(([k, { op, p, r, why }]) => {
    const times = failures.filter((f) => f.op === op && f.why === why).length;
    const authorization = p.headers.authorization?.slice(0, 30);
    return [
      `${k} (${times}×)`,
      `    ${p.method} ${p.path.slice(0, 300)}`,
      `    headers ${json({ ...p.headers, authorization })}`,
      `    body ${preview(p.body)}`,
      `    kinds ${p.kinds.join(', ')}`,
      `    → ${r.status} ${preview(r.body, 200)}`,
    ].join('\n');
  });
}
