import { Page } from '../../common/dto/page.dto.js';

/** A diver's answers to the preferences survey ("" or null where unanswered). */
export class Preferences {
  id: number;
  /** @example "1990-01-01" */
  birthday: string;
  residence: string | null;
  budget_min: string | null;
  budget_max: string | null;
  gender: string | null;
  preferred_depth_range: string | null;
  hobbies: string | null;
  preferred_activities: string | null;
  preferred_atmosphere: string | null;
  last_dive_date: string | null;
  preferred_diving: string | null;
  /** The owner's user id */
  user: number;
}

export class PreferencesPage extends Page {
  results: Preferences[];
}
