import type { ViewFamily } from '@app/cache';
import { FEED_ORDER, LOGBOOK_JSON } from '../../logbook/logbook.queries.js';
import { MAX_PAGE_SIZE } from '../../common/pagination.js';
import { isoUtc } from '../../common/sql-text.js';
import { itemJson } from '../owned-items.queries.js';

/** What a UserDetail is built from: a write to any of these changes some diver's entry. */
export const DIVER_FAMILIES: readonly ViewFamily[] = ['users', 'logbooks', 'buddies', 'bucket-lists'];

/**
 * The original's UserDetail, built by Postgres for any number of divers in one statement: bucket
 * lists, logbooks (the logbook views' own JSON) and buddy ids are correlated subqueries on indexed
 * user keys, never a statement per diver. $1 = viewer id (0 = anonymous), $2 = media URL prefix.
 * `email` is the viewer's own only: every other entry carries null, so no address ever leaves.
 * The nested lists are capped as the bare lists are (MAX_PAGE_SIZE): the newest logbooks and the first
 * bucket lists, the rest through friend_logbooks/ and bucketlists/. Uncapped, one diver's flood of
 * logbooks made every profile page of theirs (and mypage/all/) a body of many megabytes.
 */
const DIVER_JSON = `json_build_object(
  'id', u.id,
  'profile_image', CASE WHEN u.profile_image IS NULL THEN NULL ELSE $2 || u.profile_image END,
  'email', CASE WHEN u.id = $1 THEN u.email END,
  'username', u.username,
  'country', u.country,
  'introduction', u.introduction,
  'date_joined', ${isoUtc('u.date_joined')},
  'bucketlists', (SELECT coalesce(json_agg(${itemJson('b', 'title')} ORDER BY b.created_at, b.id), '[]')
                  FROM (SELECT * FROM bucket_lists b WHERE b.user_id = u.id
                        ORDER BY b.created_at, b.id LIMIT ${MAX_PAGE_SIZE}) b),
  'own_logbooks', (SELECT coalesce(json_agg(${LOGBOOK_JSON} ORDER BY ${FEED_ORDER}), '[]')
                   FROM (SELECT * FROM logbooks l WHERE l.user_id = u.id ORDER BY ${FEED_ORDER} LIMIT ${MAX_PAGE_SIZE}) l),
  'friends', (SELECT coalesce(json_agg(f.friend_id ORDER BY f.friend_id), '[]')
              FROM friends f JOIN users fu ON fu.id = f.friend_id AND fu.is_active WHERE f.user_id = u.id),
  'license', u.license)`;

/**
 * The divers come in id order from the primary key and the aggregate takes them as they come
 * (Postgres keeps a sorted subquery's order for an aggregate over it): `ORDER BY` inside json_agg
 * sorted the finished entries instead, which at 10,000 divers was 36 MB spilled to disk.
 */
const divers = (where: string) =>
  `SELECT coalesce(json_agg(${DIVER_JSON}), '[]')::text AS doc
     FROM (SELECT * FROM users u WHERE u.is_active AND ${where} ORDER BY u.id) u`;

/** Every active diver, oldest account first. */
export const ALL_DIVERS_SQL = divers('true');

/** $3 = diver id → {doc}, or no row for no such diver. */
export const ONE_DIVER_SQL = `SELECT ${DIVER_JSON}::text AS doc FROM users u WHERE u.is_active AND u.id = $3`;

/** $3 = diver id → that diver's buddies. */
export const BUDDIES_OF_SQL = divers('u.id IN (SELECT friend_id FROM friends WHERE user_id = $3)');

/** The navbar's directory: who there is, without what each diver keeps (and without any email). */
export const DIRECTORY_SQL = `
  SELECT coalesce(json_agg(json_build_object(
    'id', u.id,
    'profile_image', CASE WHEN u.profile_image IS NULL THEN NULL ELSE $1 || u.profile_image END,
    'username', u.username,
    'country', u.country,
    'introduction', u.introduction,
    'license', u.license) ORDER BY u.id), '[]')::text AS doc
  FROM users u WHERE u.is_active`;
