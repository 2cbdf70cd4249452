import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { availableParallelism } from 'node:os';

export const ENTRIES = {
  api: 'dist/apps/api/apps/api/src/main.js',
  consumer: 'dist/apps/consumer/apps/consumer/src/main.js',
  fake: 'dist/apps/fishial-fake/apps/fishial-fake/src/main.js',
} as const;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Running {
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Every CPU: what an unpinned server gets. */
export const ALL_CPUS = `0-${availableParallelism() - 1}`;

/**
 * Starts a built app as its own process and resolves once `readyUrl` answers 200. Always through
 * taskset: the runner pins itself to the load generator's core and a child would inherit that, so
 * "unpinned" (`cpus` undefined) means ALL_CPUS, said explicitly.
 */
export async function startProcess(
  entry: string | string[],
  env: Record<string, string>,
  readyUrl: string,
  cpus?: string,
): Promise<Running> {
  // BENCH_PROFILE=<dir>: every server writes a V8 CPU profile there when it stops (the analysis's source).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const node = [process.execPath, ...profile, ...(Array.isArray(entry) ? entry : [entry])];
  const argv = ['taskset', '-c', cpus ?? ALL_CPUS, ...node];
  const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = once(child, 'exit');
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode} before it was ready`);
    const ok = await fetch(readyUrl).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`${entry} not ready after 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
