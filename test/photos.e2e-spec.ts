import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { expectedBestSpecies } from '../apps/fishial-fake/src/species.js';
import { bearer, type Diver, signupAndSignin, startApi, startConsumer, type TestApi } from './support/api.js';
import { NOT_AN_IMAGE, PNG, uniquePng } from './support/fixtures.js';
import { type RunningFake, startFishialFake } from './support/fishial-fake.js';
import { waitFor } from './support/likes-model.js';

const FISHIAL_PROFILE = 'token:100,upload:50,put:200,recognize:500';
const variant = uniquePng;

describe('photos and fish recognition (e2e, with the fake Fishial server)', () => {
  let fake: RunningFake;
  let api: TestApi;
  let consumer: NestFastifyApplication;
  let owner: Diver;
  let other: Diver;

  beforeAll(async () => {
    fake = await startFishialFake();
    api = await startApi();
    consumer = await startConsumer({ ...fake.clientEnv, RECOGNITION_RETRY_BASE_MS: '20', RECOGNITION_CONCURRENCY: '40' });
    owner = await signupAndSignin(api, 'photographer');
    other = await signupAndSignin(api, 'snoop');
  });
  beforeEach(async () => {
    await fake.app.inject({ method: 'POST', url: '/_fake/reset' });
  });
  afterAll(async () => {
    await consumer?.close();
    await api?.close();
    await fake?.app.close();
  });

  /** The original client's upload: presigned URL, PUT with Content-Type, then POST {title, image_url}. */
  async function uploadPhoto(diver: Diver, bytes: Buffer, title = 'reef'): Promise<number> {
    const presigned = await api
      .http()
      .get('/api/photo/generate_presigned_url/?filename=fish.png&filetype=image/png')
      .set(bearer(diver))
      .expect(200);
    const put = new URL(presigned.body.uploadUrl);
    await api.http().put(`${put.pathname}${put.search}`).set('Content-Type', 'image/png').send(bytes).expect(200);
    const res = await api.http().post('/api/photo/').set(bearer(diver)).send({ title, image_url: presigned.body.fileUrl }).expect(201);
    return res.body.id;
  }

  const photo = async (id: number, diver = owner) => (await api.http().get(`/api/photo/${id}/`).set(bearer(diver)).expect(200)).body;
  const settled = (id: number) =>
    waitFor(`photo ${id} to finish`, async () => {
      const p = await photo(id);
      return p.status === 'done' || p.status === 'failed' ? p : undefined;
    });

  it('uploads through the presigned URL and classifies with Prefer: wait → 200 with the species', async () => {
    const bytes = variant(1);
    const presigned = await api
      .http()
      .get('/api/photo/generate_presigned_url/?filename=my%20fish.png&filetype=image/png')
      .set(bearer(owner))
      .expect(200);
    expect(Object.keys(presigned.body)).toEqual(['uploadUrl', 'fileUrl']);
    const put = new URL(presigned.body.uploadUrl);
    await api.http().put(`${put.pathname}${put.search}`).set('Content-Type', 'image/png').send(bytes).expect(200);
    const file = await api.http().get(new URL(presigned.body.fileUrl).pathname).expect(200);
    expect(Buffer.compare(file.body, bytes)).toBe(0);

    const created = await api
      .http()
      .post('/api/photo/')
      .set(bearer(owner))
      .send({ title: 'clownfish', image_url: presigned.body.fileUrl })
      .expect(201);
    expect(created.body).toMatchObject({ title: 'clownfish', image_url: presigned.body.fileUrl, status: null, classified_as: null });

    const res = await api.http().post(`/api/photo/${created.body.id}/classify/`).set(bearer(owner)).set('Prefer', 'wait=10').expect(200);
    expect(res.body).toMatchObject({ id: created.body.id, status: 'done', classified_as: expectedBestSpecies(bytes), error: null });
    expect(res.body.species.length).toBeGreaterThan(0);
    expect(res.headers['preference-applied']).toBe('wait=10');
    // Already recognised: answered at once, without calling Fishial again.
    const calls = fake.state.stats.calls.recognize;
    await api.http().post(`/api/photo/${created.body.id}/classify/`).set(bearer(owner)).expect(200);
    expect(fake.state.stats.calls.recognize).toBe(calls);
  });

  it('without Prefer answers 202 pending, then the photo is done', async () => {
    const id = await uploadPhoto(owner, variant(2));
    await api.http().post(`/api/photo/${id}/classify/`).set(bearer(owner)).expect(202, { photo_id: id, status: 'pending' });
    expect(await settled(id)).toMatchObject({ status: 'done', error: null });
  });

  it('sends a pending photo to Fishial once however often it is classified, and a file backs one photo only', async () => {
    fake.state.faults.slowMs = 300;
    const id = await uploadPhoto(owner, variant(20));
    const answers = await Promise.all([1, 2, 3].map(() => api.http().post(`/api/photo/${id}/classify/`).set(bearer(owner))));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    await settled(id);
    expect(fake.state.stats.calls.recognize).toBe(1);

    const presigned = await api
      .http()
      .get('/api/photo/generate_presigned_url/?filename=a.png&filetype=image/png')
      .set(bearer(owner))
      .expect(200);
    const put = new URL(presigned.body.uploadUrl);
    await api.http().put(`${put.pathname}${put.search}`).set('Content-Type', 'image/png').send(variant(21)).expect(200);
    await api.http().post('/api/photo/').set(bearer(owner)).send({ title: 'one', image_url: presigned.body.fileUrl }).expect(201);
    await api.http().post('/api/photo/').set(bearer(owner)).send({ title: 'two', image_url: presigned.body.fileUrl }).expect(400);
  });

  it('keeps a failed photo and its reason when a new classification cannot be queued', async () => {
    fake.state.faults.failAll = true;
    const id = await uploadPhoto(owner, variant(22));
    const failed = (await api.http().post(`/api/photo/${id}/classify/`).set(bearer(owner)).set('Prefer', 'wait=10').expect(200)).body;
    expect(failed.status).toBe('failed');
    const brokerless = await startApi({ RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:1' });
    try {
      await brokerless.http().post(`/api/photo/${id}/classify/`).set(bearer(owner)).expect(503);
    } finally {
      await brokerless.close();
    }
    expect(await photo(id)).toMatchObject({ status: 'failed', error: failed.error });
  });

  it('accepts the image itself by multipart, JPEG/PNG/GIF only', async () => {
    const res = await api
      .http()
      .post('/api/photo/')
      .set(bearer(owner))
      .field('title', 'direct')
      .attach('image', variant(3), 'x.png')
      .expect(201);
    expect(res.body.image_url).toMatch(/\/media\/photos\/\d+\/[0-9a-f-]{36}\.png$/);
    await api.http().post('/api/photo/').set(bearer(owner)).field('title', 'fake').attach('image', NOT_AN_IMAGE, 'x.png').expect(400);
    await api.http().post('/api/photo/').set(bearer(owner)).send({ title: 'none' }).expect(400);
    await api
      .http()
      .post('/api/photo/')
      .set(bearer(owner))
      .send({ title: 'elsewhere', image_url: 'http://169.254.169.254/latest' })
      .expect(400);
  });

  it("recognises 40 photos concurrently through API, queue and consumer with the Fishial fake's default latencies", async () => {
    await fake.app.inject({ method: 'POST', url: '/_fake/faults', payload: { delays: FISHIAL_PROFILE } });
    const images = Array.from({ length: 40 }, (_, i) => variant(100 + i));
    const ids = await Promise.all(images.map((bytes, i) => uploadPhoto(owner, bytes, `batch ${i}`)));
    const repeated = await api
      .http()
      .post('/api/photo/classify/')
      .set(bearer(owner))
      .send({ photo_ids: [ids[0], ids[0]] })
      .expect(400);
    expect(repeated.body.photo_ids).toEqual(['photo_ids must not repeat an id']);
    const queued = await api.http().post('/api/photo/classify/').set(bearer(owner)).send({ photo_ids: ids }).expect(202);
    expect(queued.body).toEqual(ids.map((id) => ({ photo_id: id, status: 'pending' })));
    const done = await Promise.all(ids.map(settled));
    done.forEach((p, i) => expect(p).toMatchObject({ status: 'done', classified_as: expectedBestSpecies(images[i]) }));
    expect(fake.state.stats.calls.token).toBe(1);
    expect(fake.state.stats.peakRecognitions).toBeGreaterThanOrEqual(20);
  });

  it('retries Fishial 5xx until it recovers, and records failed with a reason when it never does', async () => {
    fake.state.faults.failNext = 3;
    const a = await uploadPhoto(owner, variant(4));
    await api.http().post(`/api/photo/${a}/classify/`).set(bearer(owner)).set('Prefer', 'wait=10').expect(200);
    expect(await photo(a)).toMatchObject({ status: 'done', error: null });

    fake.state.faults.failAll = true;
    const b = await uploadPhoto(owner, variant(5));
    const res = await api.http().post(`/api/photo/${b}/classify/`).set(bearer(owner)).set('Prefer', 'wait=10').expect(200);
    expect(res.body).toMatchObject({ status: 'failed', classified_as: null });
    expect(res.body.error).toMatch(/HTTP 500.*after 4 attempts/);
  });

  it('renews an expired token once mid-run, and fails a photo whose upload URL is on another host without sending to it', async () => {
    const first = await Promise.all([6, 7].map((i) => uploadPhoto(owner, variant(i))));
    await api.http().post('/api/photo/classify/').set(bearer(owner)).send({ photo_ids: first }).expect(202);
    await Promise.all(first.map(settled));
    await fake.app.inject({ method: 'POST', url: '/_fake/faults', payload: { expireTokens: true } });
    const second = await Promise.all([8, 9, 10].map((i) => uploadPhoto(owner, variant(i))));
    await api.http().post('/api/photo/classify/').set(bearer(owner)).send({ photo_ids: second }).expect(202);
    for (const p of await Promise.all(second.map(settled))) expect(p.status).toBe('done');
    expect(fake.state.stats.calls.token).toBe(2);

    fake.state.faults.uploadOrigin = 'http://uploads.example.net';
    const puts = fake.state.stats.calls.put;
    const c = await uploadPhoto(owner, variant(11));
    const res = await api.http().post(`/api/photo/${c}/classify/`).set(bearer(owner)).set('Prefer', 'wait=10').expect(200);
    expect(res.body.status).toBe('failed');
    expect(res.body.error).toMatch(/not allowed/);
    expect(fake.state.stats.calls.put).toBe(puts);
  });

  it('keeps every photo route to its owner: another user gets 404, anonymous 401', async () => {
    const id = await uploadPhoto(owner, variant(12));
    const as = bearer(other);
    await api.http().get(`/api/photo/${id}/`).set(as).expect(404);
    await api.http().patch(`/api/photo/${id}/`).set(as).send({ title: 'mine' }).expect(404);
    await api.http().put(`/api/photo/${id}/`).set(as).send({ title: 'mine' }).expect(404);
    await api.http().delete(`/api/photo/${id}/`).set(as).expect(404);
    await api.http().post(`/api/photo/${id}/classify/`).set(as).expect(404);
    await api
      .http()
      .post('/api/photo/classify/')
      .set(as)
      .send({ photo_ids: [id] })
      .expect(404);
    expect((await api.http().get('/api/photo/').set(as).expect(200)).body.results.map((p: { id: number }) => p.id)).not.toContain(id);
    for (const [method, url] of [
      ['get', '/api/photo/'],
      ['get', `/api/photo/${id}/`],
      ['post', `/api/photo/${id}/classify/`],
      ['get', '/api/photo/generate_presigned_url/?filename=a.png&filetype=image/png'],
    ] as const) {
      await api.http()[method](url).expect(401);
    }
    // Someone else's upload cannot become my photo either.
    const theirs = await api
      .http()
      .get('/api/photo/generate_presigned_url/?filename=a.png&filetype=image/png')
      .set(bearer(owner))
      .expect(200);
    const put = new URL(theirs.body.uploadUrl);
    await api.http().put(`${put.pathname}${put.search}`).set('Content-Type', 'image/png').send(variant(13)).expect(200);
    await api.http().post('/api/photo/').set(as).send({ title: 'stolen', image_url: theirs.body.fileUrl }).expect(400);

    const renamed = await api.http().patch(`/api/photo/${id}/`).set(bearer(owner)).send({ title: 'renamed' }).expect(200);
    expect(renamed.body.title).toBe('renamed');
    await api.http().delete(`/api/photo/${id}/`).set(bearer(owner)).expect(204);
    await api.http().get(`/api/photo/${id}/`).set(bearer(owner)).expect(404);
  });

  it('checks presigned uploads: type, signature, single use, content and size before storing', async () => {
    await api
      .http()
      .get('/api/photo/generate_presigned_url/?filename=a.svg&filetype=image/svg%2Bxml')
      .set(bearer(owner))
      .expect(400, { error: 'Invalid file type' });
    // Raw images are for signed upload URLs only, refused elsewhere before the body is read.
    await api.http().post('/api/auths/signin/').set('Content-Type', 'image/png').send(PNG).expect(415);
    await api
      .http()
      .put('/api/uploads/1/x.png?type=image/png&expires=9999999999&sig=forged')
      .set('Content-Type', 'image/png')
      .send(PNG)
      .expect(403);
    const presign = async () => {
      const res = await api
        .http()
        .get('/api/photo/generate_presigned_url/?filename=a.png&filetype=image/png')
        .set(bearer(owner))
        .expect(200);
      const url = new URL(res.body.uploadUrl);
      return { path: `${url.pathname}${url.search}`, url, fileUrl: res.body.fileUrl as string };
    };
    const spoof = await presign();
    await api.http().put(spoof.path).set('Content-Type', 'image/png').send(NOT_AN_IMAGE).expect(400);
    await api.http().get(new URL(spoof.fileUrl).pathname).expect(404);

    const wrongType = await presign();
    await api.http().put(wrongType.path).set('Content-Type', 'image/gif').send(Buffer.from('GIF89a')).expect(403);
    const tampered = await presign();
    tampered.url.searchParams.set('type', 'image/gif');
    await api
      .http()
      .put(`${tampered.url.pathname}${tampered.url.search}`)
      .set('Content-Type', 'image/gif')
      .send(Buffer.from('GIF89a'))
      .expect(403);

    const once = await presign();
    await api.http().put(once.path).set('Content-Type', 'image/png').send(variant(14)).expect(200);
    await api.http().put(once.path).set('Content-Type', 'image/png').send(variant(15)).expect(403);

    const small = await startApi({ UPLOAD_MAX_BYTES: '2048' });
    try {
      const me = await signupAndSignin(small, 'small');
      const res = await small
        .http()
        .get('/api/photo/generate_presigned_url/?filename=big.png&filetype=image/png')
        .set('Authorization', `Bearer ${me.access}`)
        .expect(200);
      const url = new URL(res.body.uploadUrl);
      const big = await small
        .http()
        .put(`${url.pathname}${url.search}`)
        .set('Content-Type', 'image/png')
        .send(Buffer.concat([PNG, Buffer.alloc(5_000)]));
      expect(big.status).toBe(413);
      await small.http().get(new URL(res.body.fileUrl).pathname).expect(404);
    } finally {
      await small.close();
    }
  });
});
