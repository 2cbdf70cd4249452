import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createClient } from '@redis/client';
import { CacheEnv, CacheKeys } from '@app/cache';
import { validateEnv } from '@app/config';
import { expectedBestSpecies } from '../apps/fishial-fake/src/species.js';
import { bearer, type Diver, signupAndSignin, startApi, startConsumer, type TestApi } from './support/api.js';
import { uniquePng } from './support/fixtures.js';
import { type RunningFake, startFishialFake } from './support/fishial-fake.js';
import { waitFor } from './support/likes-model.js';

interface Block {
  /** The raw lines of one SSE event, kept to check which fields it has. */
  raw: string;
  event?: string;
  data?: { photo_id: number; status: string; classified_as: string | null };
}

/** Reads an event stream, keeping every named event (notifications have no `event:` line). */
class PhotoStream {
  readonly blocks: Block[] = [];
  private readonly abort = new AbortController();
  status = 0;

  static async open(url: string): Promise<PhotoStream> {
    const s = new PhotoStream();
    const res = await fetch(url, { signal: s.abort.signal });
    s.status = res.status;
    if (res.ok && res.body) void s.read(res.body.getReader());
    return s;
  }

  photos(): NonNullable<Block['data']>[] {
    return this.blocks.flatMap((b) => (b.event === 'photo' && b.data ? [b.data] : []));
  }

  private async read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const raw = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (raw.startsWith(':')) continue;
          const data = /^data: (.*)$/m.exec(raw)?.[1];
          this.blocks.push({ raw, event: /^event: (.*)$/m.exec(raw)?.[1], data: data ? JSON.parse(data) : undefined });
        }
      }
    } catch {
      // aborted by close()
    }
  }

  close(): void {
    this.abort.abort();
  }
}

const variant = uniquePng;

describe('notifications: finished recognitions on the owner’s stream (e2e, with the fake Fishial server)', () => {
  let fake: RunningFake;
  let api: TestApi;
  let consumer: NestFastifyApplication;
  let a: Diver;
  let b: Diver;
  const open: PhotoStream[] = [];

  beforeAll(async () => {
    fake = await startFishialFake();
    api = await startApi();
    consumer = await startConsumer({ ...fake.clientEnv, RECOGNITION_RETRY_BASE_MS: '20' });
    [a, b] = [await signupAndSignin(api, 'pa'), await signupAndSignin(api, 'pb')];
  });
  beforeEach(async () => {
    await fake.app.inject({ method: 'POST', url: '/_fake/reset' });
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });
  afterAll(async () => {
    await consumer?.close();
    await api?.close();
    await fake?.app.close();
  });

  const stream = async (d: Diver) => {
    const ticket = (await api.http().post('/api/notifications/stream_ticket/').set(bearer(d)).expect(200)).body.ticket;
    const s = await PhotoStream.open(`${api.url}/api/notifications/stream?ticket=${ticket}`);
    expect(s.status).toBe(200);
    open.push(s);
    return s;
  };

  async function uploadPhoto(diver: Diver, bytes: Buffer): Promise<number> {
    const presigned = await api
      .http()
      .get('/api/photo/generate_presigned_url/?filename=fish.png&filetype=image/png')
      .set(bearer(diver))
      .expect(200);
    const put = new URL(presigned.body.uploadUrl);
    await api.http().put(`${put.pathname}${put.search}`).set('Content-Type', 'image/png').send(bytes).expect(200);
    const res = await api
      .http()
      .post('/api/photo/')
      .set(bearer(diver))
      .send({ title: 'reef', image_url: presigned.body.fileUrl })
      .expect(201);
    return res.body.id;
  }

  it("sends A's finished recognition to A's open stream within a few seconds, without an SSE id, and never to B's", async () => {
    const bytes = variant('a');
    const id = await uploadPhoto(a, bytes);
    const mine = await stream(a);
    const theirs = await stream(b);

    const started = Date.now();
    await api.http().post(`/api/photo/${id}/classify/`).set(bearer(a)).expect(202);
    const event = await waitFor('the photo event on A’s stream', async () => mine.photos().find((p) => p.photo_id === id), 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(event).toEqual({ photo_id: id, status: 'done', classified_as: expectedBestSpecies(bytes) });
    // Not a notification: no `id:` line, so the notifications' Last-Event-ID does not move.
    const block = mine.blocks.find((blk) => blk.data?.photo_id === id);
    expect(block?.raw).not.toMatch(/^id:/m);
    // The event says what Postgres holds.
    const shown = (await api.http().get(`/api/photo/${id}/`).set(bearer(a)).expect(200)).body;
    expect(shown).toMatchObject({ status: 'done', classified_as: event.classified_as });

    // B's own recognition, failed this time, reaches B only.
    fake.state.faults.failAll = true;
    const hers = await uploadPhoto(b, variant('b'));
    await api.http().post(`/api/photo/${hers}/classify/`).set(bearer(b)).expect(202);
    const failed = await waitFor(
      'the failed photo event on B’s stream',
      async () => theirs.photos().find((p) => p.photo_id === hers),
      10_000,
    );
    expect(failed).toEqual({ photo_id: hers, status: 'failed', classified_as: null });
    await new Promise((r) => setTimeout(r, 300));
    expect(theirs.photos().map((p) => p.photo_id)).toEqual([hers]);
    expect(mine.photos().map((p) => p.photo_id)).toEqual([id]);
  });

  it("ignores an announcement of A's photo while only B holds a stream", async () => {
    const id = await uploadPhoto(a, variant('c'));
    await api.http().post(`/api/photo/${id}/classify/`).set(bearer(a)).set('Prefer', 'wait=10').expect(200);
    const theirs = await stream(b);
    const redis = createClient({ url: validateEnv(CacheEnv).REDIS_URL });
    await redis.connect();
    try {
      // As a repeated or forged announcement would: the owner lookup keeps it off B's stream.
      await redis.publish(new CacheKeys(validateEnv(CacheEnv).CACHE_NAMESPACE).photoEvents(), String(id));
      await new Promise((r) => setTimeout(r, 500));
      expect(theirs.photos()).toEqual([]);
      // A stream of A opened now gets the repeated announcement: the event is live state, not a replay.
      const mine = await stream(a);
      await redis.publish(new CacheKeys(validateEnv(CacheEnv).CACHE_NAMESPACE).photoEvents(), String(id));
      await waitFor('the repeated event on A’s stream', async () => mine.photos().find((p) => p.photo_id === id), 2_000);
      expect(theirs.photos()).toEqual([]);
    } finally {
      await redis.quit();
    }
  });
});
