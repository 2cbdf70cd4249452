import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';

/** One PING over a fresh connection: true when `+PONG` comes back within `ms`. */
export function pingRedis(port: number, ms = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), ms);
    let reply = '';
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}

export interface RedisServer {
  port: number;
  url: string;
  /** The running process's pid (changes on restart). */
  readonly pid: number;
  /** SIGSTOP: the process keeps its sockets open but answers nothing (a hung Redis). */
  stop(): void;
  /** SIGCONT after `stop()`. */
  cont(): void;
  /** SIGKILL and wait for the exit: every connection is reset, every key lost. */
  kill(): Promise<void>;
  /** A new, empty redis-server on the same port; resolves once it answers PING. */
  start(): Promise<void>;
  /** Always safe: continues a stopped process, then kills it. */
  close(): Promise<void>;
}

/**
 * A redis-server of a test's own on a free port (no persistence, not daemonized), so that a test can
 * SIGSTOP or SIGKILL it without touching the Redis that other tests and runs share. A handler on the
 * worker's exit continues and kills it even when the test forgets or the worker dies mid-test.
 */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  const boundPort = port ?? (await freePort());
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const signal = (name: NodeJS.Signals) => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, name);
      } catch {
        // already gone
      }
    }
  };
  const onExit = () => {
    signal('SIGCONT');
    signal('SIGKILL');
  };
  process.on('exit', onExit);

  const start = async () => {
    let stderr = '';
    child = spawn(
      'redis-server',
      [
        '--port',
        String(boundPort),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--loglevel',
        'warning',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    exited = once(child, 'exit');
    const me = child;
    stopped = false;
    const deadline = Date.now() + 10_000;
    while (!(await pingRedis(boundPort, 300))) {
      if (me.exitCode !== null || me.signalCode !== null) throw new Error(`redis-server on ${boundPort} exited at start: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`redis-server on ${boundPort} did not answer PING in 10 s: ${stderr}`);
      await sleep(50);
    }
  };

  const kill = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    signal('SIGKILL');
    await exited;
    stopped = false;
  };

  await start();
  return {
    port: boundPort,
    url: `redis://127.0.0.1:${boundPort}/0`,
    get pid() {
      return child?.pid ?? 0;
    },
    stop: () => {
      signal('SIGSTOP');
      stopped = true;
    },
    cont: () => {
      signal('SIGCONT');
      stopped = false;
    },
    kill,
    start,
    close: async () => {
      if (stopped) signal('SIGCONT');
      await kill();
      process.off('exit', onExit);
    },
  };
}
