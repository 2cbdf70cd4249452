import { Page } from '../../common/dto/page.dto.js';

/** An entry of a diver's bucket list. */
export class BucketListItem {
  id: number;
  /** @example "Dive the Blue Hole" */
  title: string;
  /** ISO 8601, UTC */
  created_at: string;
  /** The owner's user id */
  user: number;
}

export class BucketListPage extends Page {
  results: BucketListItem[];
}

/** One of a diver's skills. */
export class Skill {
  id: number;
  /** @example "Night diving" */
  skill: string;
  /** ISO 8601, UTC */
  created_at: string;
  /** The owner's user id */
  user: number;
}

export class SkillPage extends Page {
  results: Skill[];
}
