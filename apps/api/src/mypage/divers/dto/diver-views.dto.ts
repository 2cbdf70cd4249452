import { Logbook } from '../../../logbook/dto/logbook-views.dto.js';
import { BucketListItem } from '../../dto/owned-items.dto.js';

/** A diver in the navbar's directory (no email). */
export class DirectoryEntry {
  id: number;
  /** Absolute URL */
  profile_image: string | null;
  /** @example "diver" */
  username: string;
  /** @example "KR" */
  country: string;
  introduction: string | null;
  license: string | null;
}

/** The original's UserDetail: a diver with their lists and logbooks. */
export class Diver extends DirectoryEntry {
  /** The caller's own address in the caller's own entry, null in everyone else's */
  email: string | null;
  /** ISO 8601, UTC */
  date_joined: string;
  bucketlists: BucketListItem[];
  /** Newest dive first */
  own_logbooks: Logbook[];
  /** Buddies' user ids */
  friends: number[];
}

/** A confirmation in the original's words. */
export class BuddyAdded {
  /** @example "Buddy added." */
  message: string;
}
