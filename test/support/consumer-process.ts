import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';

export const CONSUMER_ENTRY = 'dist/apps/consumer/apps/consumer/src/main.js';
const READY_WITHIN_MS = 60_000;

export interface ConsumerProcess {
  child: ChildProcess;
  /** JSON log lines seen so far. */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  /** Its readiness port, for tests that watch it pause and resume. */
  healthPort: number;
}

/**
 * Runs the built consumer (global setup builds it) as its own OS process, as production does, so a
 * test can SIGKILL or SIGTERM it. Resolves once its `GET /health/ready` answers 200 (consuming), on a
 * health port of its own: the readiness contract, not the wording of a log line.
 */
export async function spawnConsumer(env: Record<string, string> = {}): Promise<ConsumerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [CONSUMER_ENTRY], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env, CONSUMER_HEALTH_PORT: String(port), CONSUMER_HEALTH_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let exitedWith: number | string | undefined;
  const exited = once(child, 'exit').then(([code, signal]) => (exitedWith = (code ?? signal) as number | string));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // not a log line
    }
  });
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    if (exitedWith !== undefined) throw new Error(`consumer exited (${exitedWith}) before ready: ${stderr}`);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ready) return { child, logs, exited, healthPort: port };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`consumer not ready within ${READY_WITHIN_MS} ms: ${stderr}`);
    }
    await sleep(50);
  }
}

/** SIGKILLs a consumer unless it is already gone (suites' teardown after a failure mid-test). */
export function killIfRunning(consumer: ConsumerProcess | undefined): void {
  if (consumer && consumer.child.exitCode === null && consumer.child.signalCode === null) consumer.child.kill('SIGKILL');
}
