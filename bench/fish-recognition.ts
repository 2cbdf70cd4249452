/**
 * Seed 000 §04: 40 photos through Fishial's four steps with its measured latencies (token 100,
 * upload 50, put 200, recognize 500 ms): 34.59 s sequential there, 0.86 s async; 0.85 s is the floor.
 * Here each run crosses the whole system: POST /api/photo/classify/ → confirmed commands → consumer
 * (RECOGNITION_CONCURRENCY at a time) → fake Fishial → batched commit. The clock stops when the
 * database holds all 40 results.
 *
 *   npm run build && npx tsx bench/fish-recognition.ts [--concurrency 40,16,4,1]
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { PNG } from '../test/support/fixtures.js';
import { ENTRIES, freePort, startProcess } from './lib/processes.js';
import { saveResult } from './lib/report.js';
import { benchWorld } from './lib/world.js';

const PHOTOS = 40;
const PROFILE = 'token:100,upload:50,put:200,recognize:500';
const SEED = { sequentialS: 34.59, asyncS: 0.86, floorS: 0.85, targetS: 0.95 };
const flag = process.argv.indexOf('--concurrency');
const levels = (flag > 0 ? process.argv[flag + 1] : '40,1').split(',').map(Number);

const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

async function main(): Promise<void> {
  const world = await benchWorld('fish');
  const [apiPort, fakePort] = [await freePort(), await freePort()];
  const api = `http://127.0.0.1:${apiPort}`;
  const fakeUrl = `http://127.0.0.1:${fakePort}`;
  const fake = await startProcess(ENTRIES.fake, { FISHIAL_FAKE_PORT: String(fakePort), FISHIAL_FAKE_DELAYS_MS: PROFILE }, `${fakeUrl}/health`);
  const apiProcess = await startProcess(ENTRIES.api, { PORT: String(apiPort) }, `${api}/health/ready`);
  const db = new pg.Client({ connectionString: world.env.DATABASE_URL });
  await db.connect();
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(path.startsWith('http') ? path : `${api}${path}`, init);
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return res.headers.get('content-type')?.includes('json') ? res.json() : undefined;
  };
  const runs = [];
  try {
    const email = `bench_${Date.now()}@example.com`;
    await call('/api/auths/signup/', post({ email, username: 'bench', password: 'password123', country: 'KR' }));
    const { access } = await call('/api/auths/signin/', post({ email, password: 'password123' }));
    const auth = { Authorization: `Bearer ${access}` };

    for (const concurrency of levels) {
      const healthPort = await freePort();
      const consumer = await startProcess(
        ENTRIES.consumer,
        { FISHIAL_AUTH_URL: `${fakeUrl}/v1/auth/token`, FISHIAL_API_URL: `${fakeUrl}/v1`, RECOGNITION_CONCURRENCY: String(concurrency), CONSUMER_HEALTH_PORT: String(healthPort) },
        `http://127.0.0.1:${healthPort}/health/ready`,
      );
      // Fresh photos (distinct bytes) through the original client's upload path; not timed.
      const ids: number[] = [];
      for (let i = 0; i < PHOTOS; i++) {
        const { uploadUrl, fileUrl } = await call('/api/photo/generate_presigned_url/?filename=fish.png&filetype=image/png', { headers: auth });
        await call(uploadUrl, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: Buffer.concat([PNG, Buffer.from(`${concurrency}-${i}`)]) });
        ids.push((await call('/api/photo/', post({ title: `fish ${i}`, image_url: fileUrl }, auth))).id);
      }
      await call(`${fakeUrl}/_fake/reset`, { method: 'POST' });

      process.stdout.write(`RECOGNITION_CONCURRENCY=${concurrency}: 40 photos… `);
      const t0 = performance.now();
      await call('/api/photo/classify/', post({ photo_ids: ids }, auth));
      for (;;) {
        const { rows } = await db.query("SELECT count(*)::int AS n FROM photos WHERE id = ANY($1) AND status IN ('done', 'failed')", [ids]);
        if (rows[0].n === PHOTOS) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      const seconds = (performance.now() - t0) / 1000;
      const { rows } = await db.query("SELECT count(*)::int AS n FROM photos WHERE id = ANY($1) AND status = 'done'", [ids]);
      const stats = await call(`${fakeUrl}/_fake/stats`);
      await consumer.stop();
      runs.push({ concurrency, seconds: Math.round(seconds * 1000) / 1000, done: rows[0].n, peakRecognitions: stats.peakRecognitions, tokenCalls: stats.calls.token });
      console.log(`${seconds.toFixed(3)} s (${rows[0].n} done, peak ${stats.peakRecognitions} recognitions in flight, ${stats.calls.token} token call)`);
    }
  } finally {
    await db.end();
    await apiProcess.stop();
    await fake.stop();
    await world.drop();
  }
  console.log('\n| RECOGNITION_CONCURRENCY | 40 photos, end to end | peak in flight | seed |');
  console.log('|---|---|---|---|');
  for (const r of runs) {
    const seed = r.concurrency === 1 ? `sequential ${SEED.sequentialS} s` : `async ${SEED.asyncS} s (floor ${SEED.floorS} s, target ≤ ${SEED.targetS} s)`;
    console.log(`| ${r.concurrency} | ${r.seconds.toFixed(3)} s | ${r.peakRecognitions} | ${seed} |`);
  }
  console.log(`saved ${await saveResult('fish-recognition', { profile: PROFILE, photos: PHOTOS, seed: SEED, runs })}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
