/**
 * Server-Sent Events readers for the streams benchmark, in child processes of the runner (so on its
 * core): each holds its share of the streams on raw sockets and, while they are open, does nothing
 * but keep every chunk with its arrival time. HTTP framing and SSE are parsed only when the results
 * are asked for, so the receive time of an event is the arrival of its last byte, not the end of a
 * queue of parsing, and no reader's work delays another's.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** One notification event as a stream received it. */
export interface ReceivedEvent {
  id: number;
  /** Wall-clock milliseconds (the clock of Postgres's now()) at which its last byte arrived. */
  at: number;
  doc: string;
}

type Request = { op: 'open'; key: number; url: string; ticket: string } | { op: 'collect' } | { op: 'bytes' } | { op: 'loop' };
type Reply =
  | { op: 'opened'; key: number; status: number; body: string }
  | { op: 'collected'; streams: Array<{ key: number; events: ReceivedEvent[] }> }
  | { op: 'bytes'; bytes: number }
  | { op: 'loop'; p99Ms: number; maxMs: number };

const wallNow = () => performance.timeOrigin + performance.now();

/** The pool of reader processes, as the runner sees it. */
export class SseReaders {
  private next = 0;
  private readonly waiting = new Map<number, (r: { status: number; body: string }) => void>();
  private keys = 0;

  private constructor(private readonly children: ChildProcess[]) {
    for (const child of children) {
      child.on('message', (reply: Reply) => {
        if (reply.op !== 'opened') return;
        this.waiting.get(reply.key)?.({ status: reply.status, body: reply.body });
        this.waiting.delete(reply.key);
      });
    }
  }

  /** `count` readers; they inherit the runner's CPU affinity (its tsx loader too, through execArgv). */
  static async start(count: number): Promise<SseReaders> {
    const entry = fileURLToPath(import.meta.url);
    const children = Array.from({ length: count }, () => fork(entry, ['--sse-reader'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    await Promise.all(children.map((c) => once(c, 'spawn')));
    return new SseReaders(children);
  }

  /** Opens a stream in the next reader; resolves with its status once the response head arrived. */
  open(url: string, ticket: string): Promise<{ key: number; status: number; body: string }> {
    const key = this.keys++;
    const child = this.children[this.next++ % this.children.length];
    return new Promise((resolve) => {
      this.waiting.set(key, (r) => resolve({ key, ...r }));
      child.send({ op: 'open', key, url, ticket } satisfies Request);
    });
  }

  /** Every open stream's notification events so far, by the key `open` gave. */
  async collect(): Promise<Map<number, ReceivedEvent[]>> {
    const replies = await Promise.all(this.children.map((c) => this.ask(c, { op: 'collect' }, 'collected')));
    const byKey = new Map<number, ReceivedEvent[]>();
    for (const r of replies) for (const s of r.streams) byKey.set(s.key, s.events);
    return byKey;
  }

  /** Bytes received so far on every stream (a cheap way to see that nothing arrives any more). */
  async bytes(): Promise<number> {
    const replies = await Promise.all(this.children.map((c) => this.ask(c, { op: 'bytes' }, 'bytes')));
    return replies.reduce((n, r) => n + r.bytes, 0);
  }

  /** The readers' own event-loop delay since the last call: the most any receive time could be late by. */
  async loopDelay(): Promise<{ p99Ms: number; maxMs: number }> {
    const replies = await Promise.all(this.children.map((c) => this.ask(c, { op: 'loop' }, 'loop')));
    return { p99Ms: Math.max(...replies.map((r) => r.p99Ms)), maxMs: Math.max(...replies.map((r) => r.maxMs)) };
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(async (c) => {
        if (c.exitCode !== null) return;
        const exited = once(c, 'exit');
        c.kill('SIGTERM');
        await exited;
      }),
    );
  }

  private ask<O extends Reply['op']>(child: ChildProcess, request: Request, op: O): Promise<Extract<Reply, { op: O }>> {
    return new Promise((resolve) => {
      const onReply = (reply: Reply) => {
        if (reply.op !== op) return;
        child.off('message', onReply);
        resolve(reply as Extract<Reply, { op: O }>);
      };
      child.on('message', onReply);
      child.send(request);
    });
  }
}

/** What one raw socket received: the bytes as they came, each chunk with its arrival time. */
class RawStream {
  readonly chunks: Buffer[] = [];
  readonly at: number[] = [];
  bytes = 0;
  private head = '';
  status = 0;

  constructor(
    readonly key: number,
    readonly socket: Socket,
  ) {}

  /** The status and the head's end, once the whole response head is in. */
  arrived(chunk: Buffer): { status: number; body: string } | undefined {
    this.at.push(wallNow());
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (this.status) return undefined;
    this.head += chunk.toString('latin1');
    const end = this.head.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    this.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(this.head)?.[1] ?? 0);
    return { status: this.status, body: this.head.slice(end + 4, end + 504) };
  }

  /** The notification events, parsed from the bytes in arrival order; an event is received with the chunk that completes it. */
  events(): ReceivedEvent[] {
    const events: ReceivedEvent[] = [];
    const decoder = new TextDecoder();
    const chunked = { rest: Buffer.alloc(0), need: 0, skip: 0 };
    let head: Buffer | undefined = Buffer.alloc(0);
    let isChunked = false;
    let text = '';
    let [id, data, type] = [0, '', ''];
    for (let j = 0; j < this.chunks.length; j++) {
      let bytes = this.chunks[j];
      if (head) {
        head = Buffer.concat([head, bytes]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) continue;
        isChunked = /^transfer-encoding:\s*chunked/im.test(head.toString('latin1', 0, end));
        bytes = head.subarray(end + 4);
        head = undefined;
      }
      for (const body of isChunked ? dechunk(chunked, bytes) : [bytes]) text += decoder.decode(body, { stream: true });
      let from = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
        const line = text.slice(from, nl);
        from = nl + 1;
        if (line === '') {
          // Only notifications count: other event types (a finished photo recognition) carry no id of their own.
          if (data && type === '') events.push({ id, at: this.at[j], doc: data });
          [data, type] = ['', ''];
        } else if (line.startsWith('id: ')) id = Number(line.slice(4));
        else if (line.startsWith('event: ')) type = line.slice(7);
        else if (line.startsWith('data: ')) data = line.slice(6);
      }
      text = text.slice(from);
    }
    return events;
  }
}

/** HTTP/1.1 chunked transfer coding, decoded as bytes come: `need` data bytes left in the chunk, then `skip` (its CRLF). */
function dechunk(state: { rest: Buffer; need: number; skip: number }, input: Buffer): Buffer[] {
  const buf = state.rest.length ? Buffer.concat([state.rest, input]) : input;
  const out: Buffer[] = [];
  let i = 0;
  for (;;) {
    if (state.skip > 0) {
      const n = Math.min(state.skip, buf.length - i);
      state.skip -= n;
      i += n;
      if (state.skip > 0) break;
    }
    if (state.need > 0) {
      const n = Math.min(state.need, buf.length - i);
      if (n === 0) break;
      out.push(buf.subarray(i, i + n));
      state.need -= n;
      i += n;
      if (state.need === 0) state.skip = 2;
      continue;
    }
    const nl = buf.indexOf('\r\n', i);
    if (nl < 0) break;
    const size = Number.parseInt(buf.toString('latin1', i, nl), 16);
    i = nl + 2;
    if (!(size > 0)) break; // the last chunk: the response ended
    state.need = size;
  }
  state.rest = buf.subarray(i);
  return out;
}

const reply = (r: Reply) => process.send?.(r);

/** The child's side: streams on raw sockets, answered over IPC. */
function serve(): void {
  const streams: RawStream[] = [];
  let loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  process.on('message', (request: Request) => {
    if (request.op === 'open') {
      const url = new URL(request.url);
      const socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
      const stream = new RawStream(request.key, socket);
      let answered = false;
      const answer = (status: number, body: string) => {
        if (answered) return;
        answered = true;
        if (status === 200) streams.push(stream);
        else socket.destroy();
        reply({ op: 'opened', key: request.key, status, body });
      };
      socket.on('data', (chunk: Buffer) => {
        const head = stream.arrived(chunk);
        if (head) answer(head.status, head.body);
      });
      socket.on('error', (err) => answer(0, err.message));
      socket.on('close', () => answer(0, 'closed before the response head'));
      socket.write(
        `GET /api/notifications/stream?ticket=${encodeURIComponent(request.ticket)} HTTP/1.1\r\n` +
          `Host: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`,
      );
    } else if (request.op === 'collect') {
      reply({ op: 'collected', streams: streams.map((s) => ({ key: s.key, events: s.events() })) });
    } else if (request.op === 'bytes') {
      reply({ op: 'bytes', bytes: streams.reduce((n, s) => n + s.bytes, 0) });
    } else {
      reply({ op: 'loop', p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 });
      loop.disable();
      loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
    }
  });
  process.on('SIGTERM', () => {
    for (const s of streams) s.socket.destroy();
    process.exit(0);
  });
  process.on('disconnect', () => process.exit(0));
}

if (process.argv.includes('--sse-reader')) serve();
