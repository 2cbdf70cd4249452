import { execSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';

/** What the figures were measured on: they mean little without it. */
export function machine() {
  const version = (cmd: string) => {
    try {
      return execSync(cmd, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().split('\n')[0];
    } catch {
      return 'unknown';
    }
  };
  return {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres: version('psql -V'),
    redis: version('redis-server --version'),
    rabbitmq: version("dpkg-query -W -f='${Version}' rabbitmq-server"),
    at: new Date().toISOString(),
  };
}

export async function saveResult(scenario: string, figures: unknown): Promise<string> {
  await mkdir('bench/results', { recursive: true });
  const path = `bench/results/${scenario}.json`;
  await writeFile(path, `${JSON.stringify({ scenario, machine: machine(), figures }, null, 2)}\n`);
  return path;
}
