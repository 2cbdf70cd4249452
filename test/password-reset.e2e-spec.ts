import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type pg from 'pg';
import type { Response } from 'supertest';
import { CacheKeys, REDIS_CLIENT, type RedisClient } from '@app/cache';
import { type MailCommand, MessagePatterns } from '@app/messaging';
import { ResetCodeHasher } from '../apps/api/src/password-reset/reset-code.hasher.js';
import { bearer, type Diver, signupAndSignin, startApi, startConsumer, type TestApi, uniqueEmail } from './support/api.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { connectDb, publishLikes, queueDepths, waitFor } from './support/likes-model.js';
import { codeIn, type RunningSink, startSmtpSink } from './support/smtp-sink.js';

const REQUEST = '/api/password-reset/request/';
const VERIFY = '/api/password-reset/verify/';
const CONFIRM = '/api/password-reset/confirm/';
const SIGNIN = '/api/auths/signin/';
const REFRESH = '/api/auths/token/refresh/';
const NEW_PASSWORD = 'a-new-password-42';

/** The `name=value` of the proof cookie a verify set, as the browser would send it back. */
const proofOf = (res: Response): string => {
  const header = res.headers['set-cookie'] as unknown as string[] | undefined;
  const cookie = header?.find((c) => c.startsWith('password_reset='));
  if (!cookie) throw new Error(`no proof cookie in ${JSON.stringify(header)}`);
  return cookie.split(';')[0];
};
const at = (ms: number) => new Date(ms).toISOString();
/** A mail command written straight to the queue, as the API would publish it. */
const send = (c: MailCommand) => publishLikes([Buffer.from(JSON.stringify({ pattern: MessagePatterns.mail, data: c }))], 'mails');
/** The header names of a response, less those that differ between any two responses. */
const headerNames = (res: Response) => Object.keys(res.headers).filter((h) => !['date', 'x-request-id'].includes(h));
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** "Forgot password?" end to end: the API, the consumer, RabbitMQ, Postgres, Redis and a real SMTP server. */
describe('password reset (e2e)', () => {
  let sink: RunningSink;
  let api: TestApi;
  let consumer: NestFastifyApplication;
  let db: pg.Client;

  beforeAll(async () => {
    sink = await startSmtpSink();
    // Every test here calls from 127.0.0.1: the per-client limits are lifted on this app and tested on their own one.
    api = await startApi({
      PASSWORD_RESET_MAX_PER_IP: '100000',
      PASSWORD_RESET_MAX_CHECKS_PER_IP: '100000',
      PASSWORD_RESET_MAX_PER_EMAIL: '3',
    });
    consumer = await startConsumer({ ...sink.clientEnv, MAIL_RETRY_BASE_MS: '50', MAIL_RETRY_MAX_MS: '200', MAIL_SEND_ATTEMPTS: '10' });
    db = await connectDb();
  });
  afterAll(async () => {
    await db?.end();
    await consumer?.close();
    await api?.close();
    await sink?.close();
  });

  const post = (path: string, body: object, cookie?: string, on: TestApi = api) => {
    const req = on.http().post(path).send(body);
    return cookie ? req.set('Cookie', cookie) : req;
  };

  /** Requests a code and reads it from the sink once the consumer has mailed it. */
  const requestCode = async (email: string, on: TestApi = api): Promise<string> => {
    const before = (await sink.mailsTo(email)).length;
    await post(REQUEST, { email }, undefined, on).expect(200);
    const mails = await waitFor('the reset mail', async () => {
      const got = await sink.mailsTo(email);
      return got.length > before ? got : undefined;
    });
    return codeIn(mails.at(-1)!);
  };

  const verified = async (diver: Diver): Promise<string> => {
    const code = await requestCode(diver.email);
    return proofOf(await post(VERIFY, { email: diver.email, code }).expect(200));
  };

  it('request → code from the mail → verify → confirm: the new password signs in, the old one and the old refresh token are refused', async () => {
    const diver = await signupAndSignin(api, 'reset');
    const redis = api.app.get<RedisClient>(REDIS_CLIENT);
    const authKey = api.app.get(CacheKeys).authUser(diver.id);
    await api.http().get('/api/auths/me/').set(bearer(diver)).expect(200); // the guard caches the user

    const asked = await post(REQUEST, { email: diver.email.toUpperCase() }).expect(200);
    expect(asked.body).toEqual({ message: expect.stringMatching(/code has been sent/) });
    const mails = await waitFor('the reset mail', async () =>
      (await sink.mailsTo(diver.email)).length ? sink.mailsTo(diver.email) : undefined,
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      from: 'no-reply@scoopadive.local',
      to: [diver.email],
      subject: 'Your ScoopADive password reset code',
    });
    const code = codeIn(mails[0]);
    expect(code).toMatch(/^\d{6}$/);
    // Only a keyed hash of the code is stored.
    const { rows } = await db.query<{ code_hash: Buffer }>('SELECT code_hash FROM password_resets WHERE user_id = $1', [diver.id]);
    expect(rows[0].code_hash).toHaveLength(32);
    expect(rows[0].code_hash.toString('latin1')).not.toContain(code);

    const ok = await post(VERIFY, { email: diver.email, code }).expect(200);
    expect(ok.body).toEqual({ message: 'Code verified.' });
    const setCookie = (ok.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('password_reset='))!;
    expect(setCookie).toMatch(/; Path=\/api\/password-reset\/confirm\/; Max-Age=600; HttpOnly; SameSite=Strict$/);

    const done = await post(CONFIRM, { email: diver.email, new_password: NEW_PASSWORD }, proofOf(ok)).expect(200);
    expect(done.body).toEqual({ message: 'Password has been reset.' });
    expect(done.headers['set-cookie']).toEqual([
      expect.stringMatching(/^password_reset=; Path=\/api\/password-reset\/confirm\/; Max-Age=0/),
    ]);
    expect(await redis.exists(authKey)).toBe(0);

    await post(SIGNIN, { email: diver.email, password: NEW_PASSWORD }).expect(200);
    await post(SIGNIN, { email: diver.email, password: diver.password }).expect(401);
    expect((await post(REFRESH, { refresh: diver.refresh }).expect(401)).body).toMatchObject({ code: 'token_not_valid' });
    expect((await db.query('SELECT 1 FROM password_resets WHERE user_id = $1', [diver.id])).rowCount).toBe(0);
  });

  it('a code and a proof work once; a newer request replaces both', async () => {
    const diver = await signupAndSignin(api, 'once');
    const code = await requestCode(diver.email);
    const proof = proofOf(await post(VERIFY, { email: diver.email, code }).expect(200));
    expect((await post(VERIFY, { email: diver.email, code }).expect(400)).body).toEqual({
      detail: 'Invalid or expired code.',
      message: 'Invalid or expired code.',
    });
    await post(CONFIRM, { email: diver.email, new_password: NEW_PASSWORD }, proof).expect(200);
    await post(CONFIRM, { email: diver.email, new_password: 'yet-another-one' }, proof).expect(403);
    await post(SIGNIN, { email: diver.email, password: NEW_PASSWORD }).expect(200);

    // A proof of an issue that a later request replaced is dead, and so is that issue's code.
    const first = await verified(diver);
    const second = await requestCode(diver.email);
    await post(CONFIRM, { email: diver.email, new_password: 'replaced-proof' }, first).expect(403);
    await post(VERIFY, { email: diver.email, code: second }).expect(200);
  });

  it('confirm needs a genuine proof for the same account, and the sign-up password rules', async () => {
    const alice = await signupAndSignin(api, 'alice');
    const bob = await signupAndSignin(api, 'bob');
    const body = { email: alice.email, new_password: NEW_PASSWORD };
    expect((await post(CONFIRM, body).expect(403)).body.message).toBe('Verify the code from the e-mail first.');
    const proof = await verified(alice);
    const [name, value] = proof.split('=');
    const parts = value.split('.');
    const forged = `${name}=${[parts[0], parts[1], String(Number(parts[2]) + 3600), parts[3]].join('.')}`;
    await post(CONFIRM, body, forged).expect(403);
    await post(CONFIRM, body, `${name}=${[bob.id, ...parts.slice(1)].join('.')}`).expect(403);
    await post(CONFIRM, { email: bob.email, new_password: NEW_PASSWORD }, proof).expect(403);
    const short = await post(CONFIRM, { email: alice.email, new_password: 'short' }, proof).expect(400);
    expect(short.body).toEqual({ new_password: ['Ensure this field has at least 8 characters.'] });
    await post(CONFIRM, { ...body, extra: 1 }, proof).expect(400);
    // None of these spent the proof.
    await post(CONFIRM, body, proof).expect(200);
    await post(SIGNIN, { email: bob.email, password: bob.password }).expect(200);
    await post(SIGNIN, { email: alice.email, password: NEW_PASSWORD }).expect(200);
  });

  it('five wrong codes kill the code: the right one is refused after them', async () => {
    const diver = await signupAndSignin(api, 'guess');
    const code = await requestCode(diver.email);
    for (let i = 0; i < 5; i++) await post(VERIFY, { email: diver.email, code: wrong(code) }).expect(400);
    await post(VERIFY, { email: diver.email, code }).expect(400);
    const { rows } = await db.query<{ failed_attempts: number }>('SELECT failed_attempts FROM password_resets WHERE user_id = $1', [
      diver.id,
    ]);
    expect(rows[0].failed_attempts).toBe(5);
    // Four wrong codes leave the fifth try to the right one.
    const next = await requestCode(diver.email);
    for (let i = 0; i < 4; i++) await post(VERIFY, { email: diver.email, code: wrong(next) }).expect(400);
    await post(VERIFY, { email: diver.email, code: next }).expect(200);
  });

  it('refuses malformed input with field errors', async () => {
    expect((await post(REQUEST, { email: 'not-an-address' }).expect(400)).body).toEqual({ email: ['Enter a valid email address.'] });
    await post(REQUEST, {}).expect(400);
    await post(REQUEST, { email: `${'a'.repeat(250)}@example.com` }).expect(400);
    expect((await post(VERIFY, { email: 'x@example.com', code: '12ab56' }).expect(400)).body).toEqual({
      code: ['Enter the 6-digit code from the e-mail.'],
    });
    await post(VERIFY, { email: 'x@example.com', code: 123456 }).expect(400);
  });

  it('an unknown address gets the same answer, and no code is stored or mailed', async () => {
    const diver = await signupAndSignin(api, 'known');
    const nobody = uniqueEmail('nobody');
    const unknown = await post(REQUEST, { email: nobody }).expect(200);
    const known = await post(REQUEST, { email: diver.email }).expect(200);
    expect(unknown.text).toBe(known.text);
    expect(headerNames(unknown)).toEqual(headerNames(known));
    for (const h of ['content-type', 'content-length', 'cache-control']) expect(unknown.headers[h]).toBe(known.headers[h]);
    await waitFor('the known address mail', async () => ((await sink.mailsTo(diver.email)).length ? true : undefined));
    // The unknown request was handled before the known one: a mail for it would have come by now.
    expect(await sink.mailsTo(nobody)).toEqual([]);
    await post(VERIFY, { email: nobody, code: '000000' }).expect(400);
  });

  it('the consumer keeps the newest request: one issued earlier but handled later replaces nothing and is not mailed', async () => {
    const diver = await signupAndSignin(api, 'order');
    const hasher = api.app.get(ResetCodeHasher);
    const now = Date.now();
    // What the API publishes for a request, written straight to the queue to choose the order.
    const issue = (to: string, code: string, issuedAt: number): MailCommand => {
      const id = randomUUID();
      const codeHash = hasher.hash(id, code).toString('base64url');
      return { id, template: 'password-reset', to, code, codeHash, issuedAt: at(issuedAt), expiresAt: at(issuedAt + 600_000) };
    };
    const mailed = (n: number) => async () => {
      const got = await sink.mailsTo(diver.email);
      return got.length >= n ? got : undefined;
    };
    const deadBefore = (await queueDepths('mails')).dead;
    const newer = issue(diver.email, '111111', now);
    await send(newer);
    await waitFor('the newer code', mailed(1));
    const nobody = issue(uniqueEmail('nobody'), '333333', now);
    await send(issue(diver.email, '222222', now - 1_000));
    await send(nobody);
    // The same issue again (a redelivery): still the live code, so it is mailed again.
    await send(newer);
    await waitFor('the newer code again', mailed(2));
    await new Promise((r) => setTimeout(r, 300));
    expect((await sink.mailsTo(diver.email)).map(codeIn)).toEqual(['111111', '111111']);
    expect(await sink.mailsTo(nobody.to)).toEqual([]);
    expect(await queueDepths('mails')).toEqual({ ready: 0, dead: deadBefore });
    await post(VERIFY, { email: diver.email, code: '222222' }).expect(400);
    await post(VERIFY, { email: diver.email, code: '111111' }).expect(200);
  });

  it('limits requests per address (429 with Retry-After), for known and unknown addresses alike', async () => {
    const diver = await signupAndSignin(api, 'limited');
    for (const email of [diver.email, uniqueEmail('ghost')]) {
      for (let i = 0; i < 3; i++) await post(REQUEST, { email }).expect(200);
      const held = await post(REQUEST, { email }).expect(429);
      expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(held.headers['retry-after'])).toBeLessThanOrEqual(3600);
      expect(held.body.message).toMatch(/Too many reset requests for this e-mail address/);
    }
    await post(REQUEST, { email: uniqueEmail('other') }).expect(200);
  });

  it('limits requests and code checks per client address (429 with Retry-After)', async () => {
    const limited = await startApi({ TRUST_PROXY: '1', PASSWORD_RESET_MAX_PER_IP: '2', PASSWORD_RESET_MAX_CHECKS_PER_IP: '3' });
    try {
      const from = (ip: string) => (path: string, body: object) => limited.http().post(path).set('X-Forwarded-For', ip).send(body);
      const a = from('198.51.100.21');
      for (let i = 0; i < 2; i++) await a(REQUEST, { email: uniqueEmail('ip') }).expect(200);
      const held = await a(REQUEST, { email: uniqueEmail('ip') }).expect(429);
      expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
      expect(held.body.message).toMatch(/Too many reset requests from this address/);
      await from('198.51.100.22')(REQUEST, { email: uniqueEmail('ip') }).expect(200);

      const c = from('198.51.100.23');
      for (let i = 0; i < 3; i++) await c(VERIFY, { email: 'x@example.com', code: '000000' }).expect(400);
      expect((await c(VERIFY, { email: 'x@example.com', code: '000000' }).expect(429)).headers['retry-after']).toBeDefined();
      await c(CONFIRM, { email: 'x@example.com', new_password: NEW_PASSWORD }).expect(429);
    } finally {
      await limited.close();
    }
  });

  it('an expired code and an expired proof are refused', async () => {
    const quick = await startApi({
      PASSWORD_RESET_CODE_TTL_SECONDS: '3',
      PASSWORD_RESET_PROOF_TTL_SECONDS: '1',
      PASSWORD_RESET_MAX_PER_IP: '100000',
      PASSWORD_RESET_MAX_CHECKS_PER_IP: '100000',
    });
    try {
      const diver = await signupAndSignin(api, 'expiry');
      const stale = await requestCode(diver.email, quick);
      await new Promise((r) => setTimeout(r, 3_200));
      await post(VERIFY, { email: diver.email, code: stale }).expect(400);

      const code = await requestCode(diver.email, quick);
      const proof = proofOf(await post(VERIFY, { email: diver.email, code }, undefined, quick).expect(200));
      await new Promise((r) => setTimeout(r, 1_200));
      await post(CONFIRM, { email: diver.email, new_password: NEW_PASSWORD }, proof).expect(403);
      await post(SIGNIN, { email: diver.email, password: diver.password }).expect(200);
    } finally {
      await quick.close();
    }
  });

  it('a broker away when the code is issued delays the mail: the request is still 200 at once, and the code arrives once it is back', async () => {
    const broker = await startFaultProxy(5672);
    const viaProxy = await startApi({
      RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${broker.port}`,
      PUBLISH_CONFIRM_TIMEOUT_MS: '500',
      PASSWORD_RESET_MAX_PER_IP: '100000',
    });
    try {
      const diver = await signupAndSignin(api, 'broker');
      broker.down();
      const asked = await post(REQUEST, { email: diver.email }, undefined, viaProxy).expect(200);
      expect(asked.body).toEqual({ message: expect.stringMatching(/code has been sent/) });
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await sink.mailsTo(diver.email)).toEqual([]);
      broker.up();
      const mails = await waitFor('the delayed reset mail', async () =>
        (await sink.mailsTo(diver.email)).length ? sink.mailsTo(diver.email) : undefined,
      );
      await post(VERIFY, { email: diver.email, code: codeIn(mails[0]) }).expect(200);
      console.log(
        `broker down 1.5 s at the request: answered ${asked.status}, the code arrived after it came back (${broker.stats().reset} connections reset)`,
      );
    } finally {
      await viaProxy.close();
      await broker.close();
    }
  });

  it('an SMTP server refusing mail for a while (451, then 421) delays the code: it arrives once, when the server is back', async () => {
    for (const refusal of [
      { code: 451, count: 3 },
      { code: 421, ms: 700 },
    ]) {
      const diver = await signupAndSignin(api, `smtp${refusal.code}`);
      const refusedBefore = sink.state.refused;
      await sink.refuse(refusal);
      const code = await requestCode(diver.email);
      const refused = sink.state.refused - refusedBefore;
      console.log(`SMTP refusing ${JSON.stringify(refusal)}: ${refused} refusals, then the code arrived`);
      expect(refused).toBeGreaterThanOrEqual(refusal.count ?? 2);
      await post(VERIFY, { email: diver.email, code }).expect(200);
      await new Promise((r) => setTimeout(r, 300)); // a duplicate would have come by now
      expect(await sink.mailsTo(diver.email)).toHaveLength(1);
    }
  });

  it('a mail the SMTP server refuses for good (550), or past MAIL_SEND_ATTEMPTS, is dead-lettered, not lost', async () => {
    for (const refusal of [
      { code: 550, count: 1 },
      { code: 451, count: 1_000 },
    ]) {
      const diver = await signupAndSignin(api, `dead${refusal.code}`);
      const deadBefore = (await queueDepths('mails')).dead;
      await sink.refuse(refusal);
      await post(REQUEST, { email: diver.email }).expect(200);
      await waitFor('the mail in the dead-letter queue', async () => ((await queueDepths('mails')).dead > deadBefore ? true : undefined));
      await fetch(`${sink.url}/_sink/refuse`, { method: 'DELETE' });
      expect((await queueDepths('mails')).dead).toBe(deadBefore + 1);
      expect(await sink.mailsTo(diver.email)).toEqual([]);
    }
  });
});
