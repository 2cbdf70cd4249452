import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { PNG } from '../../test/support/fixtures.js';
import { type BenchContext, type ScenarioResult, barChart, markdownTable, round } from '../lib/scenario.js';
import { fishialEnv, signin, startApi, startConsumer, startFake } from '../lib/stack.js';

const PHOTOS = 40;
const PROFILE = 'token:100,upload:50,put:200,recognize:500';
const SEED = { sequential: 34.59, async: 0.86, floor: 0.85, target: 0.95 };

/**
 * Scenario 5 (seed 000 §04): 40 photos through Fishial's four steps with its latencies. Each run
 * crosses the whole system: POST /api/photo/classify/ → confirmed commands → consumer
 * (RECOGNITION_CONCURRENCY at a time) → fake Fishial → batched commit; the clock stops when Postgres
 * holds all 40 results. Photos are uploaded beforehand by the client's path, untimed.
 */
export async function fishRecognition(ctx: BenchContext): Promise<ScenarioResult> {
  const levels = ctx.quick ? [40, 4] : [1, 4, 16, 40];
  const fake = await startFake(PROFILE);
  const api = await startApi();
  const auth = { Authorization: `Bearer ${await signin(api.url, 2)}` };
  const db = new pg.Client({ connectionString: ctx.databaseUrl });
  await db.connect();
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(path.startsWith('http') ? path : `${api.url}${path}`, init);
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return res.headers.get('content-type')?.includes('json') ? res.json() : undefined;
  };
  const post = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json', ...auth }, body: JSON.stringify(body) });
  const runs = [];
  try {
    for (const concurrency of levels) {
      const consumer = await startConsumer({ ...fishialEnv(fake), RECOGNITION_CONCURRENCY: String(concurrency) });
      const ids: number[] = [];
      for (let i = 0; i < PHOTOS; i++) {
        const { uploadUrl, fileUrl } = await call('/api/photo/generate_presigned_url/?filename=fish.png&filetype=image/png', { headers: auth });
        await call(uploadUrl, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: Buffer.concat([PNG, Buffer.from(`${Date.now()}-${i}`)]) });
        ids.push((await call('/api/photo/', post({ title: `fish ${i}`, image_url: fileUrl }))).id);
      }
      await call(`${fake.url}/_fake/reset`, { method: 'POST' });
      const t0 = performance.now();
      await call('/api/photo/classify/', post({ photo_ids: ids }));
      for (;;) {
        const { rows } = await db.query("SELECT count(*)::int AS n FROM photos WHERE id = ANY($1) AND status IN ('done', 'failed')", [ids]);
        if (rows[0].n === PHOTOS) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      const seconds = (performance.now() - t0) / 1000;
      const done = (await db.query("SELECT count(*)::int AS n FROM photos WHERE id = ANY($1) AND status = 'done'", [ids])).rows[0].n;
      const stats = await call(`${fake.url}/_fake/stats`);
      await consumer.stop();
      runs.push({ concurrency, seconds: round(seconds, 3), done, peakInFlight: stats.peakRecognitions, tokenCalls: stats.calls.token });
      console.log(`  fish: RECOGNITION_CONCURRENCY=${concurrency} → ${seconds.toFixed(3)} s (${done} done, peak ${stats.peakRecognitions} in flight)`);
    }
  } finally {
    await db.end();
    await api.stop();
    await fake.stop();
  }
  const best = runs.find((r) => r.concurrency === 40)!;
  const seedFor = (c: number) => ({ 1: `sequential ${SEED.sequential} s`, 4: '4 processes', 16: '16 nodes', 40: `async ${SEED.async} s` })[c] ?? '';
  return {
    name: 'fish-recognition',
    title: `Fish recognition: ${PHOTOS} photos, seed latency profile (${PROFILE})`,
    table: markdownTable(
      ['RECOGNITION_CONCURRENCY', 'end to end', 'photos done', 'peak in flight', 'token calls', 'the seed'],
      runs.map((r) => [r.concurrency, `${r.seconds} s`, r.done, r.peakInFlight, r.tokenCalls, seedFor(r.concurrency)]),
    ),
    figures: { profile: PROFILE, seed: SEED, runs },
    chart: barChart('40 photos: seconds end to end', runs.map((r) => ({ concurrency: String(r.concurrency), seconds: r.seconds })), 'concurrency', 'seconds'),
    targets: [
      { what: '40 photos recognised, seed latency profile', target: `≤ ${SEED.target} s through API + queue + consumer`, reached: `${best.seconds} s (floor ${SEED.floor} s)`, met: best.seconds <= SEED.target && best.done === PHOTOS },
    ],
  };
}
