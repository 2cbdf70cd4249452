import { LogbookComment } from '../../logbook/dto/logbook-views.dto.js';
import { DirectoryEntry } from '../../mypage/divers/dto/diver-views.dto.js';

export class FoundLogbook {
  id: number;
  dive_title: string;
  dive_site: string;
  feeling: string | null;
  dive_date: string;
  max_depth: number;
  /** HH:MM:SS, or "D HH:MM:SS" */
  bottom_time: string;
  weather: string | null;
  type_of_dive: string | null;
  weight: number;
  start_pressure: number;
  end_pressure: number;
}

export class FoundBucketListItem {
  id: number;
  title: string;
  /** ISO 8601, UTC */
  created_at: string;
}

export class FoundBuddies {
  id: number;
  user_username: string;
  friend_username: string;
  /** ISO 8601, UTC */
  created_at: string;
}

export class FoundJob {
  id: number;
  title: string;
  location: string | null;
  description: string | null;
}

/** Matches of each kind, newest first. */
export class SearchResult {
  users: DirectoryEntry[];
  logbooks: FoundLogbook[];
  comments: LogbookComment[];
  bucketlists: FoundBucketListItem[];
  friends: FoundBuddies[];
  jobs: FoundJob[];
}
