import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type pg from 'pg';
import type { LikeCommand } from '@app/messaging';
import { createConsumer } from '../apps/consumer/src/consumer.factory.js';
import { connectDb, publishLikes, seedWorld, waitFor } from './support/likes-model.js';

let nextVersion = 2n * 10n ** 15n;
const like = (userId: number, logbookId: number, liked = true): LikeCommand => ({
  id: randomUUID(),
  userId,
  logbookId,
  liked,
  version: String(nextVersion++),
});

describe('like notifications, written by the consumer in the like batch (e2e)', () => {
  let db: pg.Client;
  let consumer: NestFastifyApplication;

  beforeAll(async () => {
    db = await connectDb();
    consumer = await createConsumer();
  });
  afterAll(async () => {
    await consumer?.close();
    await db?.end();
  });

  const notificationsOf = async (logbookId: number) =>
    (await db.query('SELECT user_id, type, actor_id FROM notifications WHERE logbook_id = $1 ORDER BY id', [logbookId])).rows.map((r) => ({
      userId: Number(r.user_id),
      type: r.type,
      actorId: Number(r.actor_id),
    }));

  const likeState = async (userId: number, logbookId: number) =>
    (await db.query('SELECT liked FROM likes WHERE user_id = $1 AND logbook_id = $2', [userId, logbookId])).rows[0]?.liked as
      boolean | undefined;

  /** Batches are written in delivery order: once `sentinel` is committed, everything before it is too. */
  const afterSentinel = async (userId: number, logbookId: number) => {
    const sentinel = like(userId, logbookId);
    await publishLikes([sentinel]);
    const committed = async () =>
      (
        await db.query('SELECT 1 FROM likes WHERE user_id = $1 AND logbook_id = $2 AND version::text = $3', [
          userId,
          logbookId,
          sentinel.version,
        ])
      ).rowCount;
    await waitFor('the sentinel like', async () => ((await committed()) ? true : undefined));
  };

  it('notifies the owner once per liker, never of their own like, and not again on a replayed command', async () => {
    const { userIds, logbookIds } = await seedWorld(db, 'notif', 4, 2);
    const [owner, b, c, d] = userIds;
    const [target, other] = logbookIds;
    const first = like(b, target);
    await publishLikes([first, like(owner, target)]);
    await waitFor('both likes', async () => ((await likeState(b, target)) && (await likeState(owner, target)) ? true : undefined));
    expect(await notificationsOf(target)).toEqual([{ userId: owner, type: 'like', actorId: b }]);

    // The same command again, as a redelivery or a replay after a crash would bring it.
    await publishLikes([first]);
    await afterSentinel(d, other);
    expect(await notificationsOf(target)).toHaveLength(1);

    // Like → unlike → like in one batch collapses to the last like: one notification.
    await publishLikes([like(c, target), like(c, target, false), like(c, target)]);
    await afterSentinel(d, other);
    expect(await notificationsOf(target)).toEqual([
      { userId: owner, type: 'like', actorId: b },
      { userId: owner, type: 'like', actorId: c },
    ]);
    expect(await notificationsOf(other)).toEqual([{ userId: owner, type: 'like', actorId: d }]);
  });

  it('notifies one like per (actor, logbook): an unlike and a new like in later batches add nothing', async () => {
    const { userIds, logbookIds } = await seedWorld(db, 'notif', 2, 1);
    const [owner, b] = userIds;
    const [target] = logbookIds;
    await publishLikes([like(b, target)]);
    await waitFor('the like', async () => ((await likeState(b, target)) ? true : undefined));
    await publishLikes([like(b, target, false)]);
    await waitFor('the unlike', async () => ((await likeState(b, target)) === false ? true : undefined));
    await publishLikes([like(b, target)]);
    await waitFor('the like again', async () => ((await likeState(b, target)) ? true : undefined));
    expect(await notificationsOf(target)).toEqual([{ userId: owner, type: 'like', actorId: b }]);
    const [{ likes_count }] = (await db.query('SELECT likes_count FROM logbooks WHERE id = $1', [target])).rows;
    expect(Number(likes_count)).toBe(1);
  });
});
