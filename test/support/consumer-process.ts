import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export const CONSUMER_ENTRY = 'dist/apps/consumer/apps/consumer/src/main.js';

export interface ConsumerProcess {
  child: ChildProcess;
  /** JSON log lines seen so far. */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

/**
 * Runs the built consumer (global setup builds it) as its own OS process, as production does, so a
 * test can SIGKILL or SIGTERM it. Resolves once it logs "consumer ready".
 */
export async function spawnConsumer(env: Record<string, string> = {}): Promise<ConsumerProcess> {
  const child = spawn(process.execPath, [CONSUMER_ENTRY], {
    env: { ...process.env, LOG_LEVEL: 'info', CONSUMER_HEALTH_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'consumer ready') resolve();
      } catch {
        // not a log line
      }
    });
    void exited.then((code) => reject(new Error(`consumer exited (${code}) before ready: ${stderr}`)));
  });
  await ready;
  return { child, logs, exited };
}

/** SIGKILLs a consumer unless it is already gone (suites' teardown after a failure mid-test). */
export function killIfRunning(consumer: ConsumerProcess | undefined): void {
  if (consumer && consumer.child.exitCode === null && consumer.child.signalCode === null) consumer.child.kill('SIGKILL');
}
