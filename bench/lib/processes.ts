import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { readFileSync, readdirSync } from 'node:fs';
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
  env: Record<string, string | undefined>,
  readyUrl: string,
  cpus?: string,
  asNpmStart = false,
): Promise<Running> {
  // BENCH_PROFILE=<dir>: every server writes a V8 CPU profile there when it stops (the analysis's source).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const app = [...profile, ...(Array.isArray(entry) ? entry : [entry])];
  // As `npm start` runs it: under concurrently, which reads and forwards its output (see npm-start.mjs).
  const node = [process.execPath, ...(asNpmStart ? ['bench/lib/npm-start.mjs'] : []), ...app];
  const argv = ['taskset', '-c', cpus ?? ALL_CPUS, ...node];
  // An undefined value unsets the variable (a scenario run at the shipped defaults drops the bench's own).
  const childEnv = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined));
  const child = spawn(argv[0], argv.slice(1), { env: childEnv, stdio: ['ignore', 'ignore', 'inherit'] });
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

/**
 * CPU seconds (user + system) used so far by a process and every process under it: what a server
 * costs whatever else the machine runs at the time (a wrapper such as concurrently included).
 */
export function treeCpuSeconds(pid: number): number {
  let ticks = 0;
  const pending = [pid];
  while (pending.length) {
    const at = pending.pop()!;
    try {
      const stat = readFileSync(`/proc/${at}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
      for (const task of readdirSync(`/proc/${at}/task`))
        pending.push(...readFileSync(`/proc/${at}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
    } catch {
      // exited meanwhile
    }
  }
  return ticks / 100;
}
