import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseEnv } from './database.config.js';
import { Comment } from './entities/comment.entity.js';
import { DiveCenter } from './entities/dive-center.entity.js';
import { Equipment } from './entities/equipment.entity.js';
import { Like } from './entities/like.entity.js';
import { Logbook } from './entities/logbook.entity.js';
import { LogbookEquipment } from './entities/logbook-equipment.entity.js';
import { Photo } from './entities/photo.entity.js';
import { RefreshToken } from './entities/refresh-token.entity.js';
import { User } from './entities/user.entity.js';
import { BucketList } from './entities/bucket-list.entity.js';
import { Friend } from './entities/friend.entity.js';
import { Job } from './entities/job.entity.js';
import { Message } from './entities/message.entity.js';
import { Notification } from './entities/notification.entity.js';
import { PasswordReset } from './entities/password-reset.entity.js';
import { Preferences } from './entities/preferences.entity.js';
import { SkillSet } from './entities/skill-set.entity.js';
import { TableCount } from './entities/table-count.entity.js';
import { LikesListDocument } from './entities/likes-list-document.entity.js';
import { Spot } from './entities/spot.entity.js';
import { SpotRequest } from './entities/spot-request.entity.js';
import { CreateUsers1763770000000 } from './migrations/1763770000000-create-users.js';
import { CreateLogbooks1763860000000 } from './migrations/1763860000000-create-logbooks.js';
import { CreatePhotos1763900000000 } from './migrations/1763900000000-create-photos.js';
import { CreateCommunity1764000000000 } from './migrations/1764000000000-create-community.js';
import { CreateNotifications1764100000000 } from './migrations/1764100000000-create-notifications.js';
import { CreateMessages1764200000000 } from './migrations/1764200000000-create-messages.js';
import { ScaleWithData1764500000000 } from './migrations/1764500000000-scale-with-data.js';
import { CreateSpots1764650000000 } from './migrations/1764650000000-create-spots.js';
import { CreatePasswordResets1764600000000 } from './migrations/1764600000000-create-password-resets.js';
import { LogbookLikers1764700000000 } from './migrations/1764700000000-logbook-likers.js';
import { LikersFillFunction1764800000000 } from './migrations/1764800000000-likers-fill-function.js';
import { LikesListDocument1764900000000 } from './migrations/1764900000000-likes-list-document.js';
import { DropUsersJoinedIndex1765000000000 } from './migrations/1765000000000-drop-users-joined-index.js';

// Ids and counts are bigint in Postgres; the API contract wants JSON integers, and ours stay far
// below 2^53, so parse int8 as a number once, for every query, rather than per column.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

/** Explicit lists: a glob would miss files in a bundled or partial build and silently skip a table. */
export const entities = [
  User,
  RefreshToken,
  Logbook,
  Equipment,
  LogbookEquipment,
  DiveCenter,
  Like,
  Comment,
  Photo,
  Friend,
  BucketList,
  SkillSet,
  Job,
  Preferences,
  Notification,
  Message,
  TableCount,
  LikesListDocument,
  Spot,
  SpotRequest,
  PasswordReset,
];
export const migrations = [
  CreateUsers1763770000000,
  CreateLogbooks1763860000000,
  CreatePhotos1763900000000,
  CreateCommunity1764000000000,
  CreateNotifications1764100000000,
  CreateMessages1764200000000,
  ScaleWithData1764500000000,
  CreateSpots1764650000000,
  CreatePasswordResets1764600000000,
  LogbookLikers1764700000000,
  LikersFillFunction1764800000000,
  LikesListDocument1764900000000,
  DropUsersJoinedIndex1765000000000,
];

export function dataSourceOptions(env: DatabaseEnv): DataSourceOptions {
  return {
    type: 'postgres',
    url: env.DATABASE_URL,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    extra: {
      max: env.DATABASE_POOL_SIZE,
      idleTimeoutMillis: env.DATABASE_POOL_IDLE_MS,
      connectionTimeoutMillis: 5_000,
      statement_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS,
      application_name: process.env.APP_NAME ?? 'scoopadive',
      // Our reads are single statements that build whole JSON documents; their cost estimates grow
      // with the data and cross jit_above_cost at ten times dataset v1 and the inlining and
      // optimisation thresholds at a hundred times, where compiling took 2 s of a 10 s mypage/all/
      // and saved less than it cost. They are short OLTP statements, which JIT does not pay off for.
      // plan_cache_mode: a named statement (search's) is planned for its values every time, as every
      // unnamed one is. After five runs Postgres may otherwise keep one generic plan, made without the
      // term, which walks the newest rows testing each until 20 match: the whole table for a rare term
      // (80 ms at 50,000 logbooks, against 1 ms from the trigram index).
      options: '-c jit=off -c plan_cache_mode=force_custom_plan',
    },
  };
}
