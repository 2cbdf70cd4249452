/** A spot as it is stored and shown: bounded, trimmed text of ours or the recommender's. */
export interface RecommendedSpot {
  region: string;
  country: string;
  intro: string;
}

/** What a recommender knows of the diver: the survey's answers (null before the survey) and the sites they logged. */
export interface Diver {
  userId: number;
  preferences: Record<string, string | null> | null;
  divedSites: string[];
}

/** Injection token of the configured recommender. */
export const RECOMMENDER = Symbol('recommender');

/** Both recommenders answer exactly this many spots, or fail. */
export const SPOT_COUNT = 3;
export const SPOT_LIMITS = { region: 120, country: 120, intro: 1000 } as const;

export interface Recommender {
  /** Exactly SPOT_COUNT spots, or a RecommenderError; nothing is stored before a valid answer. */
  recommend(diver: Diver): Promise<RecommendedSpot[]>;
}

/**
 * A recommendation that ends without new spots, in words that can be shown to the diver: never an
 * upstream body, which may echo a credential.
 */
export class RecommenderError extends Error {
  constructor(
    message: string,
    /** The `class` label of the outside-service error metrics (as Fishial's). */
    readonly kind: 'timeout' | 'network' | 'http_5xx' | 'rate_limited' | 'http_4xx' | 'auth' | 'bad_answer' | 'no_data' = 'bad_answer',
  ) {
    super(message);
  }
}

/** Control characters and lone surrogates would make Postgres refuse the whole batch: gone before storing. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function clean(text: string, keepNewlines: boolean): string {
  // Control characters are exactly what this removes.
  // oxlint-disable-next-line no-control-regex
  const controls = keepNewlines ? /[\u0000-\u0009\u000b-\u001f\u007f]/g : /[\u0000-\u001f\u007f]/g;
  const stripped = text.replace(LONE_SURROGATE, '\uFFFD').replace(controls, ' ');
  return stripped.replace(/[ \t]+/g, ' ').trim();
}

/**
 * Checks an answer before anything is stored: exactly SPOT_COUNT objects, each with a non-empty
 * region and intro and a country (empty when unknown), all within the columns' lengths. Extra fields
 * are dropped.
 */
export function validateSpots(answer: unknown): RecommendedSpot[] {
  if (!Array.isArray(answer)) throw new RecommenderError('The recommender did not answer a list of spots.');
  if (answer.length !== SPOT_COUNT) {
    throw new RecommenderError(`The recommender answered ${answer.length} spots instead of ${SPOT_COUNT}.`);
  }
  return answer.map((raw: unknown, i) => {
    const spot = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const text = (field: keyof RecommendedSpot, required: boolean): string => {
      const value = spot[field];
      if (typeof value !== 'string') throw new RecommenderError(`Spot ${i + 1} of the answer has no ${field}.`);
      const cleaned = clean(value, field === 'intro');
      if (required && cleaned.length === 0) throw new RecommenderError(`Spot ${i + 1} of the answer has an empty ${field}.`);
      if (cleaned.length > SPOT_LIMITS[field]) {
        throw new RecommenderError(`Spot ${i + 1} of the answer has a ${field} longer than ${SPOT_LIMITS[field]} characters.`);
      }
      return cleaned;
    };
    return { region: text('region', true), country: text('country', false), intro: text('intro', true) };
  });
}
