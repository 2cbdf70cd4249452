import { randomBytes } from 'node:crypto';
import { validateEnv } from '@app/config';
import { MessagesEnv } from '../apps/api/src/messages/messages.config.js';
import { bearer, type Diver, signupAndSignin, startApi, type TestApi } from './support/api.js';

const unique = (tag: string) => `${tag}${randomBytes(4).toString('hex')}`;

describe('direct messages (e2e)', () => {
  let api: TestApi;
  let alice: Diver & { username: string };
  let bob: Diver & { username: string };
  let carol: Diver & { username: string };

  const diver = async (tag: string) => {
    const username = unique(tag);
    return { ...(await signupAndSignin(api, username)), username };
  };

  beforeAll(async () => {
    api = await startApi({ MESSAGE_LIMIT_PER_MINUTE: '5' });
    alice = await diver('alice');
    bob = await diver('bob');
    carol = await diver('carol');
  });
  afterAll(() => api?.close());

  const send = (from: Diver, body: Record<string, unknown>) => api.http().post('/api/messages/').set(bearer(from)).send(body);

  it('sends by id or username, lists inbox and sent newest first, and tells the receiver with a preview', async () => {
    const long = 'x'.repeat(200);
    const first = await send(alice, { content: 'Dive on Sunday?', template: 'INVITE', receiver_id: bob.id }).expect(201);
    expect(first.body).toEqual({
      id: expect.any(Number),
      template: 'INVITE',
      content: 'Dive on Sunday?',
      is_read: false,
      created_at: expect.stringMatching(/Z$/),
      sender: { id: alice.id, username: alice.username },
      receiver: { id: bob.id, username: bob.username },
    });
    const second = await send(alice, { content: long, template: 'SHORT_DM', receiver_username: bob.username }).expect(201);

    const inbox = await api.http().get('/api/messages/inbox/').set(bearer(bob)).expect(200);
    expect(inbox.body).toMatchObject({ count: 2, next: null, previous: null });
    expect(inbox.body.results.map((m: { id: number }) => m.id)).toEqual([second.body.id, first.body.id]);
    const sent = await api.http().get('/api/messages/sent/?page_size=1').set(bearer(alice)).expect(200);
    expect(sent.body).toMatchObject({ count: 2, results: [{ id: second.body.id }] });
    expect(sent.body.next).toMatch(/page=2/);
    expect((await api.http().get('/api/messages/inbox/').set(bearer(alice)).expect(200)).body.count).toBe(0);

    const notes = (await api.http().get('/api/notifications/').set(bearer(bob)).expect(200)).body.results;
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatchObject({
      type: 'message',
      title: `${alice.username} sent you a message`,
      is_read: false,
      meta: { actor: alice.username, sender: { id: alice.id, username: alice.username }, preview: 'x'.repeat(80) },
    });

    // Only the receiver reads it; reading it reads its notification too.
    await api.http().post(`/api/messages/read/${first.body.id}/`).set(bearer(alice)).expect(404);
    await api.http().post(`/api/messages/read/${first.body.id}/`).set(bearer(carol)).expect(404);
    await api.http().post('/api/messages/read/99999999/').set(bearer(bob)).expect(404);
    const read = await api.http().post(`/api/messages/read/${first.body.id}/`).set(bearer(bob)).expect(200);
    expect(read.body).toMatchObject({ id: first.body.id, is_read: true });
    const after = (await api.http().get('/api/notifications/').set(bearer(bob)).expect(200)).body.results;
    expect(after.map((n: { is_read: boolean }) => n.is_read)).toEqual([false, true]);

    for (const path of ['inbox/', 'sent/']) await api.http().get(`/api/messages/${path}`).expect(401);
    await api.http().post('/api/messages/').send({ content: 'hi', template: 'INVITE', receiver_id: bob.id }).expect(401);
  });

  it('refuses unknown receivers (404), oneself, both or neither receiver fields and bad bodies (400)', async () => {
    await send(carol, { content: 'hi', template: 'INVITE', receiver_id: 99999999 }).expect(404);
    await send(carol, { content: 'hi', template: 'INVITE', receiver_username: unique('nobody') }).expect(404);
    await send(carol, { content: 'hi', template: 'INVITE', receiver_id: carol.id }).expect(400);
    await send(carol, { content: 'hi', template: 'INVITE', receiver_username: carol.username }).expect(400);
    await send(carol, { content: 'hi', template: 'INVITE', receiver_id: bob.id, receiver_username: bob.username }).expect(400);
    await send(carol, { content: 'hi', template: 'INVITE' }).expect(400);
  });

  it('limits sends per sender with a 429 and Retry-After, other senders unaffected', async () => {
    const dave = await diver('dave');
    const body = { content: 'hi', template: 'SHORT_DM', receiver_id: alice.id };
    await send(alice, { content: '', template: 'INVITE', receiver_id: bob.id }).expect(400);
    await send(alice, { content: 'x'.repeat(201), template: 'INVITE', receiver_id: bob.id }).expect(400);
    await send(alice, { content: 'hi', template: 'SPAM', receiver_id: bob.id }).expect(400);
    await send(alice, { content: 'hi', template: 'INVITE', receiver_id: bob.id, extra: 1 }).expect(400);
    for (let i = 0; i < 5; i++) await send(dave, body).expect(201);
    const refused = await send(dave, body).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await send(carol, body).expect(201);

    expect(validateEnv(MessagesEnv, {}).MESSAGE_LIMIT_PER_MINUTE).toBe(10);
    expect(() => validateEnv(MessagesEnv, { MESSAGE_LIMIT_PER_MINUTE: '0' })).toThrow();
  });
});
