/**
 * `npm run bench [-- --quick] [-- --only likes-list,signin] [-- --scale 1,10,100]`: the experiments once run against the Django stack, repeated against the real
 * stack on this machine; prints progress and figures, saves bench/results/<scenario>.json, and writes
 * bench/REPORT.md with charts. Needs the built apps (`npm run bench` builds first). `--scale` runs
 * only the cost-against-data-size scenario, over dataset v1 × each k (each in a database of its own).
 */
import { execSync } from 'node:child_process';
import { seedV1 } from '../scripts/seed.js';
import { FULL, QUICK } from './lib/load.js';
import { saveResult, writeReport } from './lib/report.js';
import type { BenchContext, ScenarioResult } from './lib/scenario.js';
import { LOAD_CPUS } from './lib/stack.js';
import { benchWorld } from './lib/world.js';
import { apiWorkers } from './scenarios/api-workers.js';
import { homeStats, search } from './scenarios/community.js';
import { consumerDrain } from './scenarios/consumer-drain.js';
import { feedPage } from './scenarios/feed-page.js';
import { fishRecognition } from './scenarios/fish.js';
import { likeIngestion } from './scenarios/like-ingestion.js';
import { likesList } from './scenarios/likes-list.js';
import { mypageAll } from './scenarios/mypage.js';
import { scale } from './scenarios/scale.js';
import { passwordReset } from './scenarios/password-reset.js';
import { signinThroughput } from './scenarios/signin.js';
import { streams } from './scenarios/streams.js';

const SCENARIOS: Record<string, (ctx: BenchContext) => Promise<ScenarioResult>> = {
  'likes-list': likesList,
  'api-workers': apiWorkers,
  'like-ingestion': likeIngestion,
  'consumer-drain': consumerDrain,
  'fish-recognition': fishRecognition,
  signin: signinThroughput,
  'feed-page': feedPage,
  'mypage-all': mypageAll,
  'home-stats': homeStats,
  search,
  streams,
  'password-reset': passwordReset,
};

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const at = process.argv.indexOf('--only');
  const names = at > 0 ? process.argv[at + 1].split(',') : Object.keys(SCENARIOS);
  const unknown = names.filter((n) => !SCENARIOS[n]);
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  // The load generator runs in this process: keep it off the core the servers are pinned to.
  execSync(`taskset -cp ${LOAD_CPUS} ${process.pid}`, { stdio: 'ignore' });

  const started = Date.now();
  const scaleAt = process.argv.indexOf('--scale');
  if (scaleAt > 0) {
    const ks = (process.argv[scaleAt + 1] ?? '').split(',').map(Number);
    if (!ks.length || ks.some((k) => !Number.isInteger(k) || k < 1)) throw new Error('--scale takes positive integers, e.g. 1,10,100');
    const result = await scale(ks, quick ? QUICK : FULL, quick);
    console.log(`${result.title}\n${result.table}`);
    for (const t of result.targets) console.log(`  target: ${t.what}: ${t.target} → ${t.reached} ${t.met ? '✓' : '✗'}`);
    await saveResult(result, quick ? 'quick' : 'full');
    console.log(`\nwrote ${await writeReport()} in ${Math.round((Date.now() - started) / 1000)} s`);
    return;
  }
  const world = await benchWorld(quick ? 'quick' : 'full');
  try {
    await seedV1((line) => console.log(line));
    const ctx: BenchContext = { quick, plan: quick ? QUICK : FULL, databaseUrl: world.env.DATABASE_URL };
    for (const name of names) {
      console.log(`\n▶ ${name}`);
      const t0 = Date.now();
      const result = await SCENARIOS[name](ctx);
      console.log(`  (${name} took ${Math.round((Date.now() - t0) / 1000)} s)`);
      console.log(`${result.title}\n${result.table}`);
      for (const t of result.targets) console.log(`  target: ${t.what}: ${t.target} → ${t.reached} ${t.met ? '✓' : '✗'}`);
      await saveResult(result, quick ? 'quick' : 'full');
    }
  } finally {
    await world.drop();
  }
  console.log(`\nwrote ${await writeReport()} in ${Math.round((Date.now() - started) / 1000)} s`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
