import type pg from 'pg';
import { MessagePatterns } from '@app/messaging';
import { type Diver, signupAndSignin, startApi, type TestApi } from '../support/api.js';
import { type ConsumerProcess, killIfRunning, spawnConsumer } from '../support/consumer-process.js';
import { type RunningFake, startFishialFake } from '../support/fishial-fake.js';
import { PNG } from '../support/fixtures.js';
import { driveLikes, settleOnModel } from '../support/like-load.js';
import { connectDb, publishLikes, queueDepths, seedWorld, waitFor } from '../support/likes-model.js';
import { codeIn, type RunningSink, startSmtpSink } from '../support/smtp-sink.js';

const envelope = (pattern: string, data: unknown) => Buffer.from(JSON.stringify({ pattern, data }));

/** Bodies no consumer can act on, for each queue: each must be dead-lettered once, at once. */
const poisonFor = (pattern: string, valid: Record<string, unknown>): Buffer[] => [
  Buffer.from('not json'),
  Buffer.from(''),
  Buffer.from('{"pattern":'),
  Buffer.from(JSON.stringify([1, 2, 3])),
  envelope('some.other.command', valid),
  envelope(pattern, null),
  envelope(pattern, { ...valid, id: 42 }),
  envelope(pattern, Object.fromEntries(Object.keys(valid).map((k) => [k, 'x'.repeat(10_000)]))),
  envelope(pattern, { ...valid, userId: -1 }),
  envelope(pattern, JSON.stringify(valid)), // the command double-encoded
];
// Unknown extra fields are not poison: a newer producer may add some, and only known fields are read.

/** A malformed message goes to the dead-letter queue at once; valid ones flow on. */
describe('fault: poison messages in every command queue under load', () => {
  let api: TestApi;
  let db: pg.Client;
  let fake: RunningFake;
  let consumer: ConsumerProcess | undefined;

  beforeAll(async () => {
    fake = await startFishialFake();
    api = await startApi();
    db = await connectDb();
  });
  afterAll(async () => {
    killIfRunning(consumer);
    await db?.end();
    await api?.close();
    await fake?.app.close();
  });

  it('dead-letters every poison message exactly once while likes, recognitions and recommendations go through', async () => {
    const { logbookIds } = await seedWorld(db, 'poison', 1, 20);
    // Three sites for the community recommender to choose from.
    await db.query(`UPDATE logbooks SET dive_site = 'Poison Reef ' || (id % 3) WHERE id = ANY($1::bigint[])`, [logbookIds]);
    const likers: Diver[] = [];
    for (let i = 0; i < 5; i++) likers.push(await signupAndSignin(api, `poison${i}`));
    const before = {
      likes: (await queueDepths('likes')).dead,
      recognitions: (await queueDepths('recognitions')).dead,
      recommendations: (await queueDepths('recommendations')).dead,
    };
    consumer = await spawnConsumer({ ...fake.clientEnv, RECOGNITION_RETRY_BASE_MS: '20', LIKE_BATCH_SIZE: '50', LIKE_BATCH_WAIT_MS: '10' });

    const likePoison = poisonFor(MessagePatterns.like, {
      id: 'c1',
      userId: likers[0].id,
      logbookId: logbookIds[0],
      liked: true,
      version: '1',
    });
    const recognitionPoison = poisonFor(MessagePatterns.recognition, { id: 'r1', photoId: 1, userId: likers[0].id });
    const recommendationPoison = poisonFor(MessagePatterns.recommendation, { id: 's1', userId: likers[0].id });
    const photoIds: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await api
        .http()
        .post('/api/photo/')
        .set('Authorization', `Bearer ${likers[0].access}`)
        .field('title', `poison ${i}`)
        .attach('image', Buffer.concat([PNG, Buffer.from(`p${i}`)]), 'x.png')
        .expect(201);
      photoIds.push(res.body.id);
    }

    let sent = 0;
    const poisoner = (async () => {
      for (let i = 0; i < likePoison.length; i++) {
        await publishLikes([likePoison[i]], 'likes');
        await publishLikes([recognitionPoison[i]], 'recognitions');
        await publishLikes([recommendationPoison[i]], 'recommendations');
        await new Promise((r) => setTimeout(r, 100));
      }
      sent = likePoison.length + recognitionPoison.length + recommendationPoison.length;
    })();
    const load = driveLikes({ url: api.url, likers, logbookIds, lanes: 8, done: () => sent > 0 });
    await api
      .http()
      .post('/api/photo/classify/')
      .set('Authorization', `Bearer ${likers[0].access}`)
      .send({ photo_ids: photoIds })
      .expect(202);
    // A valid recommendation amid the poison: it is stored, the poison around it dead-lettered.
    const recommended = await api
      .http()
      .post('/api/recommend/spots/')
      .set('Authorization', `Bearer ${likers[1].access}`)
      .set('Prefer', 'wait=0')
      .send({})
      .expect(202);
    expect(recommended.body.status).toBe('pending');
    await poisoner;
    const likes = await load;

    const final = await settleOnModel(db, logbookIds, likes.expected);
    const statuses = await waitFor('the photos to be classified', async () => {
      const { rows } = await db.query<{ status: string }>('SELECT status FROM photos WHERE id = ANY($1::bigint[])', [photoIds]);
      return rows.every((r) => r.status === 'done') ? rows.map((r) => r.status) : undefined;
    });
    const recommendation = await waitFor('the recommendation to finish', async () => {
      const { rows } = await db.query<{ status: string }>('SELECT status FROM spot_requests WHERE user_id = $1', [likers[1].id]);
      return rows[0]?.status === 'pending' ? undefined : rows[0]?.status;
    });
    const dead = {
      likes: (await queueDepths('likes')).dead - before.likes,
      recognitions: (await queueDepths('recognitions')).dead - before.recognitions,
      recommendations: (await queueDepths('recommendations')).dead - before.recommendations,
    };
    console.log(
      `poison: ${likePoison.length} bodies into the likes queue and ${recognitionPoison.length} into the recognitions queue ` +
        `and ${recommendationPoison.length} into the recommendations queue ` +
        `amid ${likes.accepted} accepted likes, ${photoIds.length} recognitions and 1 recommendation; ` +
        `dead-lettered ${dead.likes} + ${dead.recognitions} + ${dead.recommendations}; ` +
        `likes lost ${final.lost}, applied without a 202 ${final.unexpected}; photos ${statuses.join(',')}; recommendation ${recommendation}`,
    );
    expect(dead).toEqual({
      likes: likePoison.length,
      recognitions: recognitionPoison.length,
      recommendations: recommendationPoison.length,
    });
    expect(recommendation).toBe('done');
    expect(final).toMatchObject({ lost: 0, unexpected: 0, countsOk: true });
    expect(likes.statuses).toEqual({ 202: likes.sent });
    expect(consumer.child.exitCode).toBeNull();
  });
});

/** The mail queue: poison dead-lettered at once, a real reset mail still sent, and no log line holds a code or an address. */
describe('fault: poison messages in the mail queue', () => {
  let api: TestApi;
  let sink: RunningSink;
  let consumer: ConsumerProcess | undefined;

  beforeAll(async () => {
    sink = await startSmtpSink();
    api = await startApi({ PASSWORD_RESET_MAX_PER_IP: '100000' });
  });
  afterAll(async () => {
    killIfRunning(consumer);
    await api?.close();
    await sink?.close();
  });

  it('dead-letters every poison mail command exactly once while reset mails go out', async () => {
    const divers: Diver[] = [];
    for (let i = 0; i < 3; i++) divers.push(await signupAndSignin(api, `mailpoison${i}`));
    const before = (await queueDepths('mails')).dead;
    consumer = await spawnConsumer({ ...sink.clientEnv, MAIL_RETRY_BASE_MS: '20' });
    const valid = {
      id: 'm1',
      template: 'password-reset',
      to: divers[0].email,
      code: '123456',
      codeHash: 'h'.repeat(43),
      issuedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    };
    const poison = [
      // Less the one with a stray userId: for a mail command that is an unknown field, not poison.
      ...poisonFor(MessagePatterns.mail, valid).filter((b) => !b.equals(envelope(MessagePatterns.mail, { ...valid, userId: -1 }))),
      envelope(MessagePatterns.mail, { ...valid, template: 'anything-else' }),
      envelope(MessagePatterns.mail, { ...valid, to: 'Eve <eve@example.com>, bob@example.com' }),
      envelope(MessagePatterns.mail, { ...valid, to: 'x@example.com\r\nBcc: all@example.com' }),
      envelope(MessagePatterns.mail, { ...valid, code: '12345' }),
      envelope(MessagePatterns.mail, { ...valid, codeHash: 'not base64url!' }),
      envelope(MessagePatterns.mail, { ...valid, expiresAt: 'tomorrow' }),
    ];
    const poisoner = (async () => {
      for (const body of poison) {
        await publishLikes([body], 'mails');
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    for (const d of divers) await api.http().post('/api/password-reset/request/').send({ email: d.email }).expect(200);
    await poisoner;
    const mails = await waitFor('a reset mail for every diver', async () => {
      const got = await Promise.all(divers.map((d) => sink.mailsTo(d.email)));
      return got.every((m) => m.length === 1) ? got.flat() : undefined;
    });
    const dead = await waitFor('the poison in the dead-letter queue', async () => {
      const n = (await queueDepths('mails')).dead - before;
      return n >= poison.length ? n : undefined;
    });
    await new Promise((r) => setTimeout(r, 300));
    const codes = mails.map(codeIn);
    const leaks = consumer.logs
      .map((l) => JSON.stringify(l))
      .filter((line) => codes.some((c) => line.includes(c)) || divers.some((d) => line.includes(d.email)));
    console.log(
      `mail poison: ${poison.length} bodies into the mails queue amid ${divers.length} reset requests; ` +
        `dead-lettered ${dead}, mails sent ${mails.length}, log lines with a code or an address ${leaks.length}`,
    );
    expect((await queueDepths('mails')).dead - before).toBe(poison.length);
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(leaks).toEqual([]);
    expect(consumer.logs.some((l) => String(l.msg).includes('sent'))).toBe(true);
    expect(consumer.child.exitCode).toBeNull();
  });
});
