import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type pg from 'pg';
import { validateEnv } from '@app/config';
import { createConsumer } from '../apps/consumer/src/consumer.factory.js';
import { NotificationsEnv } from '../apps/api/src/notifications/notifications.config.js';
import { NotificationsService } from '../apps/api/src/notifications/notifications.service.js';
import { NotificationsSql } from '@app/database';
import { bearer, type Diver, signupAndSignin, startApi, type TestApi } from './support/api.js';
import { createLogbook } from './support/fixtures.js';
import { connectDb, waitFor } from './support/likes-model.js';

interface Item {
  id: number;
  type: string;
  title: string;
  is_read: boolean;
  created_at: string;
  link: string;
  meta: { actor: string };
}

describe('notifications: comments, likes, the list and read marks (e2e)', () => {
  let api: TestApi;
  let consumer: NestFastifyApplication;
  let db: pg.Client;
  let owner: Diver;
  let fan: Diver;
  let stranger: Diver;

  beforeAll(async () => {
    api = await startApi();
    consumer = await createConsumer();
    db = await connectDb();
    owner = await signupAndSignin(api, 'owner');
    fan = await signupAndSignin(api, 'fan');
    stranger = await signupAndSignin(api, 'stranger');
  });
  afterAll(async () => {
    await consumer?.close();
    await api?.close();
    await db?.end();
  });

  const list = async (d: Diver, query = '') =>
    (await api.http().get(`/api/notifications/${query}`).set(bearer(d)).expect(200)).body as {
      count: number;
      next: string | null;
      previous: string | null;
      results: Item[];
    };

  it("tells a logbook's owner of others' comments and likes, newest first, and nobody of their own", async () => {
    const logbook = await createLogbook(api, owner.access);
    await api.http().post(`/api/logbooks/${logbook}/comments`).set(bearer(owner)).send({ text: 'my own' }).expect(201);
    await api.http().post(`/api/logbooks/${logbook}/comments`).set(bearer(fan)).send({ text: 'nice dive' }).expect(201);
    await api.http().post(`/api/logbooks/${logbook}/like/`).set(bearer(owner)).expect(202);
    await api.http().post(`/api/logbooks/${logbook}/like/`).set(bearer(fan)).expect(202);

    const page = await waitFor('the like notification', async () => {
      const body = await list(owner);
      return body.results.some((n) => n.type === 'like' && n.link === `/log/${logbook}`) ? body : undefined;
    });
    expect(page).toMatchObject({ count: 2, next: null, previous: null });
    const [liked, commented] = page.results;
    expect(liked).toEqual({
      id: expect.any(Number),
      type: 'like',
      title: 'fan liked your log',
      is_read: false,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      link: `/log/${logbook}`,
      meta: { actor: 'fan' },
    });
    expect(commented).toMatchObject({
      type: 'comment',
      title: 'fan commented on your log',
      link: `/log/${logbook}`,
      meta: { actor: 'fan' },
    });
    expect(liked.id).toBeGreaterThan(commented.id);
    expect((await list(fan)).count).toBe(0);
    expect((await list(owner, '?page_size=1')).next).toMatch(/page=2/);
    await api.http().get('/api/notifications/').expect(401);
  });

  it('marks one read (its owner only, 404 otherwise) and all read', async () => {
    const logbook = await createLogbook(api, stranger.access);
    for (const text of ['one', 'two']) {
      await api.http().post(`/api/logbooks/${logbook}/comments`).set(bearer(fan)).send({ text }).expect(201);
    }
    const [newest, older] = (await list(stranger)).results;
    await api.http().post(`/api/notifications/read/${newest.id}/`).set(bearer(fan)).expect(404);
    await api.http().post('/api/notifications/read/99999999/').set(bearer(stranger)).expect(404);
    await api.http().post(`/api/notifications/read/${newest.id}/`).expect(401);
    const read = await api.http().post(`/api/notifications/read/${newest.id}/`).set(bearer(stranger)).expect(200);
    expect(read.body).toMatchObject({ id: newest.id, is_read: true, type: 'comment' });
    expect((await list(stranger)).results.map((n) => n.is_read)).toEqual([true, false]);

    await api.http().post('/api/notifications/read_all/').set(bearer(stranger)).expect(200, { updated: 1 });
    await api.http().post('/api/notifications/read_all/').set(bearer(stranger)).expect(200, { updated: 0 });
    expect((await list(stranger)).results.find((n) => n.id === older.id)?.is_read).toBe(true);
    await api.http().post('/api/notifications/read_all/').expect(401);
  });

  it('prunes read notifications past the retention and keeps unread ones, however old', async () => {
    const insert = async (isRead: boolean, daysAgo: number) =>
      Number(
        (
          await db.query(
            `INSERT INTO notifications (user_id, type, actor_id, is_read, created_at)
             VALUES ($1, 'friend', $2, $3, now() - make_interval(days => $4)) RETURNING id`,
            [fan.id, stranger.id, isRead, daysAgo],
          )
        ).rows[0].id,
      );
    const oldRead = await insert(true, 91);
    const oldUnread = await insert(false, 400);
    const recentRead = await insert(true, 10);
    expect(await api.app.get(NotificationsService).prune()).toBeGreaterThanOrEqual(1);
    const left = await db.query('SELECT id FROM notifications WHERE id = ANY($1::bigint[]) ORDER BY id', [
      [oldRead, oldUnread, recentRead],
    ]);
    expect(left.rows.map((r) => Number(r.id))).toEqual([oldUnread, recentRead]);

    expect(validateEnv(NotificationsEnv, {}).NOTIFICATION_RETENTION_DAYS).toBe(90);
    expect(() => validateEnv(NotificationsEnv, { NOTIFICATION_RETENTION_DAYS: '0' })).toThrow();
    expect(() => validateEnv(NotificationsEnv, { NOTIFICATION_RETENTION_DAYS: 'soon' })).toThrow();
  });

  it('offers the buddy-add transaction a friend notification for the added user, listed as such', async () => {
    await db.query('BEGIN');
    await db.query('INSERT INTO friends (user_id, friend_id) VALUES ($1, $2), ($2, $1)', [fan.id, owner.id]);
    const created = await db.query(NotificationsSql.friend, [fan.id, owner.id]);
    const self = await db.query(NotificationsSql.friend, [fan.id, fan.id]);
    await db.query('COMMIT');
    expect(created.rowCount).toBe(1);
    expect(self.rowCount).toBe(0);
    const [latest] = (await list(owner)).results;
    expect(latest).toMatchObject({
      id: Number(created.rows[0].id),
      type: 'friend',
      title: 'fan added you as a buddy',
      link: '/mypage',
      meta: { actor: 'fan' },
    });
  });
});
