import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotificationEvents, ViewCache } from '@app/cache';
import { NOT_OWNER } from './logbooks.service.js';

const COMMENT_JSON = `json_build_object('id', c.id, 'text', c.text, 'author_username', u.username,
  'created_at', to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))`;

/** $2 = limit, $3 = offset, oldest first. */
const LIST_SQL = `
  SELECT EXISTS (SELECT 1 FROM logbooks WHERE id = $1) AS found,
         (SELECT coalesce(json_agg(${COMMENT_JSON} ORDER BY c.id), '[]')::text
            FROM (SELECT * FROM comments WHERE logbook_id = $1 ORDER BY id LIMIT $2 OFFSET $3) c
            JOIN users u ON u.id = c.author_id) AS doc`;

/**
 * The comment and its owner's notification in one statement, hence one transaction: both commit or
 * neither does. No command is needed, as for likes: the API writes the comment itself, so it can write
 * the notification beside it. None when the author comments on their own logbook.
 */
const CREATE_SQL = `
  WITH c AS (INSERT INTO comments (logbook_id, author_id, text)
             SELECT id, $2, $3 FROM logbooks WHERE id = $1
             RETURNING *),
       n AS (INSERT INTO notifications (user_id, type, actor_id, logbook_id)
             SELECT l.user_id, 'comment', c.author_id, c.logbook_id FROM c JOIN logbooks l ON l.id = c.logbook_id
              WHERE l.user_id <> c.author_id
             RETURNING user_id)
  SELECT ${COMMENT_JSON}::text AS doc, (SELECT user_id FROM n) AS notified FROM c JOIN users u ON u.id = c.author_id`;

/**
 * Comments: public to read, written by any signed-in user, deleted by their author or the logbook's
 * owner. Their lists are cached as the `comments` view family, which every comment write bumps: a
 * comment leaves the cached logbook pages alone.
 */
@Injectable()
export class CommentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: ViewCache,
    private readonly notifications: NotificationEvents,
  ) {}

  async list(logbookId: number, limit: number, offset: number): Promise<string> {
    const [row] = await this.db.query(LIST_SQL, [logbookId, limit, offset]);
    if (!row.found) throw new NotFoundException({ detail: 'Not found.' });
    return row.doc;
  }

  async create(userId: number, logbookId: number, text: string): Promise<string> {
    const [row] = await this.db.query(CREATE_SQL, [logbookId, userId, text]);
    if (!row) throw new NotFoundException({ detail: 'Not found.' });
    await this.views.bump('comments');
    if (row.notified) await this.notifications.announce([row.notified]);
    return row.doc;
  }

  async remove(userId: number, logbookId: number, commentId: number): Promise<void> {
    const [row] = await this.db.query(
      `SELECT c.author_id, l.user_id AS owner_id FROM comments c JOIN logbooks l ON l.id = c.logbook_id
        WHERE c.id = $1 AND c.logbook_id = $2`,
      [commentId, logbookId],
    );
    if (!row) throw new NotFoundException({ detail: 'Not found.' });
    if (row.author_id !== userId && row.owner_id !== userId) throw new ForbiddenException({ detail: NOT_OWNER });
    await this.db.query('DELETE FROM comments WHERE id = $1', [commentId]);
    await this.views.bump('comments');
  }
}
