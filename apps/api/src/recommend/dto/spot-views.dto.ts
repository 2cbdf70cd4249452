/** A recommended dive spot (the original's shape). */
export class Spot {
  id: number;
  /** @example "Tulamben" */
  region: string;
  /** @example "Indonesia" */
  country: string;
  /** Why it fits, built from the community's logs (or the recommender's words). */
  intro: string;
  /** ISO 8601, UTC */
  created_at: string;
  /** The diver it was recommended to */
  user: number;
}

/** The three new spots are stored. */
export class SpotsUpdated {
  /** @example "Spots updated" */
  message: string;
}

/** Still running after the wait, or joined to the recommendation already in flight. */
export class SpotsPending {
  /** @example "Your spots are being updated." */
  message: string;
  status: 'pending';
}

/** The caller's latest recommendation. */
export class RecommendationStatus {
  status: 'pending' | 'done' | 'failed';
  /** Why it failed; null otherwise */
  error: string | null;
  /** ISO 8601, UTC */
  requested_at: string;
  /** ISO 8601, UTC; null while pending */
  finished_at: string | null;
}
