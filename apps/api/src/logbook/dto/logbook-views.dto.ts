import { Page } from '../../common/dto/page.dto.js';

/** A logbook as every logbook view shows it, in the original's field order. */
export class Logbook {
  /** @example 42 */
  id: number;
  /** Whether the caller likes it (false for anonymous callers and in the shared diver lists) */
  liked_by_current_user: boolean;
  likes_count: number;
  /** A URL the client gave instead of a file */
  dive_image_url: string | null;
  /**
   * Absolute URL of the uploaded image
   * @example "https://scoopadive.com/media/logbooks/3/5f1c.png"
   */
  dive_image: string | null;
  feeling: string | null;
  buddy: string | null;
  /** @example "Morning drift" */
  dive_title: string;
  /** @example "Seogwipo" */
  dive_site: string;
  /** @example "2025-06-01" */
  dive_date: string;
  /**
   * Metres
   * @example 18.5
   */
  max_depth: number;
  /**
   * A duration as DRF writes it: HH:MM:SS, or "D HH:MM:SS" from a day on
   * @example "00:45:00"
   */
  bottom_time: string;
  weather: string | null;
  type_of_dive: string | null;
  /** Kilograms */
  weight: number;
  /** Bar */
  start_pressure: number;
  /** Bar */
  end_pressure: number;
  /** The author's user id */
  user: number;
  dive_center: number | null;
  /** @example ["mask","fins"] */
  equipment: string[];
  /** Ids of the users who like it */
  likes: number[];
  latitude: number | null;
  longitude: number | null;
}

export class LogbookPage extends Page {
  results: Logbook[];
}

/** A comment on a logbook. */
export class LogbookComment {
  id: number;
  /** @example "Great visibility!" */
  text: string;
  /** @example "diver" */
  author_username: string;
  /**
   * ISO 8601, UTC
   * @example "2025-06-01T09:30:00.000000Z"
   */
  created_at: string;
}

/** The answer to a like or unlike command: the state once the consumer applies it. */
export class LikeState {
  liked: boolean;
  /** The count with this change applied */
  likes_count: number;
}

/** Who likes one logbook. */
export class LogbookLikes {
  /**
   * Usernames
   * @example ["diver","buddy"]
   */
  likes: string[];
  likes_count: number;
}

/** One liked logbook in the list of all likes. */
export class LikedLogbook {
  id: number;
  /**
   * Usernames of the divers who like it
   * @example ["diver"]
   */
  likes: string[];
}
