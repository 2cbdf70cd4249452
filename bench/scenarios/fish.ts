import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { PNG } from '../../test/support/fixtures.js';
import { type BenchContext, type ScenarioResult, barChart, markdownTable, round } from '../lib/scenario.js';
import { fishialEnv, signin, startApi, startConsumer, startFake } from '../lib/stack.js';

const PHOTOS = 40;
const DEFAULT_CONCURRENCY = 40;
const PROFILE = 'token:100,upload:50,put:200,recognize:500';
const SEED = { sequential: 34.59, async: 0.86, floor: 0.85, target: 0.95 };
/** upload + put + recognize: the path of a consumer that already holds its token (tokens last 10 min). */
const HELD_TOKEN_FLOOR = 0.75;

interface Batch {
  seconds: number;
  done: number;
  peakInFlight: number;
  tokenCalls: number;
}

const medianOf = (batches: Batch[]) => batches.toSorted((a, b) => a.seconds - b.seconds)[Math.floor(batches.length / 2)];

/**
 * Scenario 5 (the Django stack's recognition experiment): 40 photos through Fishial's four steps with its latencies. Each batch
 * crosses the whole system: POST /api/photo/classify/ → confirmed commands → consumer
 * (RECOGNITION_CONCURRENCY at a time) → fake Fishial (pinned with the load generator, away from our
 * servers, as the external service it stands for) → batched commit; the clock stops when Postgres
 * holds all 40 results. Photos are uploaded beforehand by the client's path, untimed.
 *
 * Per level: a warm-up batch, then the median of `plan.runs` batches; the consumer then holds its
 * token, as it does in service. That experiment's script fetched one per run, so the first batch of a
 * freshly started consumer (token fetched, code cold) is measured too, as many times.
 */
export async function fishRecognition(ctx: BenchContext): Promise<ScenarioResult> {
  const levels = ctx.quick ? [DEFAULT_CONCURRENCY] : [1, 4, 16, DEFAULT_CONCURRENCY];
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
  const post = (body: unknown): RequestInit => ({
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...auth },
    body: JSON.stringify(body),
  });
  const upload = async (n: number) => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const { uploadUrl, fileUrl } = await call('/api/photo/generate_presigned_url/?filename=fish.png&filetype=image/png', {
        headers: auth,
      });
      await call(uploadUrl, {
        method: 'PUT',
        headers: { 'Content-Type': 'image/png' },
        body: Buffer.concat([PNG, Buffer.from(`${Date.now()}-${i}`)]),
      });
      ids.push((await call('/api/photo/', post({ title: `fish ${i}`, image_url: fileUrl }))).id);
    }
    return ids;
  };
  const classify = async (ids: number[]): Promise<Batch> => {
    await call(`${fake.url}/_fake/stats/reset`, { method: 'POST' });
    const t0 = performance.now();
    await call('/api/photo/classify/', post({ photo_ids: ids }));
    for (;;) {
      const { rows } = await db.query("SELECT count(*)::int AS n FROM photos WHERE id = ANY($1) AND status IN ('done', 'failed')", [ids]);
      if (rows[0].n === ids.length) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const seconds = (performance.now() - t0) / 1000;
    const done = (await db.query("SELECT count(*)::int AS n FROM photos WHERE id = ANY($1) AND status = 'done'", [ids])).rows[0].n;
    const stats = await call(`${fake.url}/_fake/stats`);
    return { seconds: round(seconds, 3), done, peakInFlight: stats.peakRecognitions, tokenCalls: stats.calls.token };
  };
  const consumerEnv = (concurrency: number) => ({ ...fishialEnv(fake), RECOGNITION_CONCURRENCY: String(concurrency) });

  const runs: Array<Batch & { concurrency: number; runs: number[] }> = [];
  const fresh: Batch[] = [];
  try {
    for (const concurrency of levels) {
      const consumer = await startConsumer(consumerEnv(concurrency));
      try {
        await classify(await upload(Math.max(4, concurrency)));
        const measured: Batch[] = [];
        for (let i = 0; i < ctx.plan.runs; i++) {
          measured.push(await classify(await upload(PHOTOS)));
          const m = measured[i];
          console.log(
            `  fish: RECOGNITION_CONCURRENCY=${concurrency} run ${i + 1}/${ctx.plan.runs} → ${m.seconds.toFixed(3)} s (${m.done} done, peak ${m.peakInFlight} in flight)`,
          );
        }
        runs.push({ concurrency, ...medianOf(measured), runs: measured.map((m) => m.seconds) });
      } finally {
        await consumer.stop();
      }
    }
    for (let i = 0; i < ctx.plan.runs; i++) {
      const ids = await upload(PHOTOS);
      const consumer = await startConsumer(consumerEnv(DEFAULT_CONCURRENCY));
      try {
        fresh.push(await classify(ids));
      } finally {
        await consumer.stop();
      }
      console.log(
        `  fish: fresh consumer run ${i + 1}/${ctx.plan.runs} → ${fresh[i].seconds.toFixed(3)} s (${fresh[i].tokenCalls} token call)`,
      );
    }
  } finally {
    await db.end();
    await api.stop();
    await fake.stop();
  }
  const best = runs.find((r) => r.concurrency === DEFAULT_CONCURRENCY)!;
  const first = medianOf(fresh);
  const seedFor = (c: number) =>
    ({ 1: `sequential ${SEED.sequential} s (≈ 40 × the 0.85 s path)`, 4: '4 processes', 16: '16 nodes', 40: `async ${SEED.async} s` })[c] ??
    '';
  const row = (label: string, b: Batch, all: number[], floor: number, seed: string) => [
    label,
    `${b.seconds.toFixed(3)} s`,
    all.map((s) => s.toFixed(3)).join(' / '),
    `${(b.seconds - floor).toFixed(3)} s`,
    b.done,
    b.peakInFlight,
    b.tokenCalls,
    seed,
  ];
  return {
    name: 'fish-recognition',
    title: `Fish recognition: ${PHOTOS} photos, seed latency profile (${PROFILE})`,
    table: markdownTable(
      [
        'RECOGNITION_CONCURRENCY',
        'end to end (median)',
        'runs',
        'above the floor',
        'photos done',
        'peak in flight',
        'token calls',
        'the seed',
      ],
      [
        ...runs.map((r) =>
          row(String(r.concurrency), r, r.runs, Math.ceil(PHOTOS / r.concurrency) * HELD_TOKEN_FLOOR, seedFor(r.concurrency)),
        ),
        row(
          `${DEFAULT_CONCURRENCY}, first batch of a fresh consumer`,
          first,
          fresh.map((f) => f.seconds),
          SEED.floor,
          `async ${SEED.async} s (token fetched too)`,
        ),
      ],
    ),
    figures: { profile: PROFILE, seed: SEED, heldTokenFloor: HELD_TOKEN_FLOOR, runs, fresh },
    chart: barChart(
      '40 photos: seconds end to end',
      [
        ...runs.map((r) => ({ consumer: String(r.concurrency), seconds: r.seconds })),
        { consumer: `${DEFAULT_CONCURRENCY}, fresh`, seconds: first.seconds },
      ],
      'consumer',
      'seconds',
    ),
    notes: [
      `Floors: a warm consumer holds its Fishial token (valid 10 minutes, shared by every recognition), so its path is upload + put + recognize = ${HELD_TOKEN_FLOOR} s per wave of RECOGNITION_CONCURRENCY photos (⌈40 / concurrency⌉ waves); the first batch of a freshly started consumer also fetches the token, the seed's ${SEED.floor} s path. "Above the floor" is our overhead: API, queue, database, files, HTTP handling and the batched commit.`,
    ],
    targets: [
      {
        what: '40 photos recognised, seed latency profile',
        target: `≤ ${SEED.target} s through API + queue + consumer`,
        reached: `${best.seconds} s warm (floor ${HELD_TOKEN_FLOOR} s, token held); first batch of a fresh consumer ${first.seconds} s (floor ${SEED.floor} s)`,
        met: best.seconds <= SEED.target && best.done === PHOTOS,
      },
    ],
  };
}
