import { isoUtc } from '../common/sql-text.js';
import { BOTTOM_TIME } from '../logbook/logbook.queries.js';

/** Each category returns at most this many matches, newest first. */
export const SEARCH_CAP = 20;

/**
 * The whole search in one statement: $1 = an ILIKE pattern (containsPattern), $2 = the media URL
 * prefix for `profile_image`. Every match is an ILIKE on a column with a pg_trgm GIN index (several
 * columns of one table combine into a BitmapOr), so Postgres reads index entries, then only the
 * matching rows. Users match on their username only (email, country and the free texts have no
 * such index) and no email is ever part of the answer: search is public.
 *
 * Buddies are the pairs of the divers listed, not of every diver who matches: a name fragment ("kim",
 * "user1") can match a share of all divers that grows with them, and reading every pair of each of
 * those to keep the newest 20 made the statement's cost follow the number of divers.
 */
export const SEARCH_SQL = `
  WITH divers AS (SELECT * FROM users WHERE username ILIKE $1 AND is_active ORDER BY date_joined DESC, id DESC LIMIT ${SEARCH_CAP})
  SELECT json_build_object(
    'users', (SELECT coalesce(json_agg(json_build_object('id', u.id, 'username', u.username, 'country', u.country,
                'license', u.license, 'introduction', u.introduction,
                'profile_image', CASE WHEN u.profile_image IS NULL THEN NULL ELSE $2 || u.profile_image END)
                ORDER BY u.date_joined DESC, u.id DESC), '[]')
                FROM divers u),
    'logbooks', (SELECT coalesce(json_agg(json_build_object('id', l.id, 'dive_title', l.dive_title, 'dive_site', l.dive_site,
                'feeling', l.feeling, 'dive_date', l.dive_date, 'max_depth', l.max_depth, 'bottom_time', ${BOTTOM_TIME},
                'weather', l.weather, 'type_of_dive', l.type_of_dive, 'weight', l.weight,
                'start_pressure', l.start_pressure, 'end_pressure', l.end_pressure)
                ORDER BY l.created_at DESC, l.id DESC), '[]')
                FROM (SELECT * FROM logbooks WHERE dive_title ILIKE $1 OR dive_site ILIKE $1 OR feeling ILIKE $1
                       ORDER BY created_at DESC, id DESC LIMIT ${SEARCH_CAP}) l),
    'comments', (SELECT coalesce(json_agg(json_build_object('id', c.id, 'text', c.text, 'created_at', ${isoUtc('c.created_at')},
                'author_username', a.username) ORDER BY c.created_at DESC, c.id DESC), '[]')
                FROM (SELECT * FROM comments WHERE text ILIKE $1 ORDER BY created_at DESC, id DESC LIMIT ${SEARCH_CAP}) c
                JOIN users a ON a.id = c.author_id),
    'bucketlists', (SELECT coalesce(json_agg(json_build_object('id', b.id, 'title', b.title, 'created_at', ${isoUtc('b.created_at')})
                ORDER BY b.created_at DESC, b.id DESC), '[]')
                FROM (SELECT * FROM bucket_lists WHERE title ILIKE $1 ORDER BY created_at DESC, id DESC LIMIT ${SEARCH_CAP}) b),
    'friends', (SELECT coalesce(json_agg(json_build_object('id', f.id, 'user_username', a.username, 'friend_username', o.username,
                'created_at', ${isoUtc('f.created_at')}) ORDER BY f.created_at DESC, f.id DESC), '[]')
                FROM (SELECT * FROM friends
                       WHERE user_id = ANY (ARRAY(SELECT id FROM divers)) OR friend_id = ANY (ARRAY(SELECT id FROM divers))
                       ORDER BY created_at DESC, id DESC LIMIT ${SEARCH_CAP}) f
                JOIN users a ON a.id = f.user_id JOIN users o ON o.id = f.friend_id),
    'jobs', (SELECT coalesce(json_agg(json_build_object('id', j.id, 'title', j.title, 'location', j.location,
                'description', j.description) ORDER BY j.created_at DESC, j.id DESC), '[]')
                FROM (SELECT * FROM jobs WHERE title ILIKE $1 OR location ILIKE $1 OR description ILIKE $1
                       ORDER BY created_at DESC, id DESC LIMIT ${SEARCH_CAP}) j)
  )::text AS doc`;
