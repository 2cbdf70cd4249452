import { Page } from '../../common/dto/page.dto.js';

/** A post on the community board. */
export class Job {
  id: number;
  /** @example "Looking for a buddy in Jeju" */
  title: string;
  location: string | null;
  description: string | null;
  /**
   * ISO 8601, UTC
   * @example "2025-06-01T09:30:00.000000Z"
   */
  created_at: string;
  /** The author's user id */
  user: number;
}

export class JobPage extends Page {
  results: Job[];
}
