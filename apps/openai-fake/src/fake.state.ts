/** Misbehaviour a test can switch on at runtime (POST /_fake/faults). */
export interface Faults {
  /** Share of completions answered with `errorStatus`. */
  errorRate: number;
  /** The next N completions answer `errorStatus` (a transient outage). */
  failNext: number;
  /** Every completion answers `errorStatus` (failing for good). */
  failAll: boolean;
  /** The status of the failures above (500 unless set: 502, 503, 429…). */
  errorStatus: number;
  /** Extra latency on every completion, ms. */
  slowMs: number;
  /** The message content is not JSON. */
  malformed: boolean;
  /** The answer holds this many spots instead of three. */
  spotCount: number | null;
  /** The model refuses (`message.refusal`, no content). */
  refuse: boolean;
}

export const NO_FAULTS: Faults = {
  errorRate: 0,
  failNext: 0,
  failAll: false,
  errorStatus: 500,
  slowMs: 0,
  malformed: false,
  spotCount: null,
  refuse: false,
};

export interface Stats {
  /** Completion requests received, answered or not. */
  calls: number;
  errors: number;
  /** Requests refused for a missing or wrong key. */
  unauthorized: number;
}

/** What the fake remembers: counters, faults and the last request body (for tests to inspect). */
export class OpenAiFakeState {
  delayMs: number;
  faults: Faults = { ...NO_FAULTS };
  stats: Stats = { calls: 0, errors: 0, unauthorized: 0 };
  lastRequest: unknown = null;

  constructor(delayMs: number) {
    this.delayMs = delayMs;
  }

  reset(delayMs: number): void {
    this.delayMs = delayMs;
    this.faults = { ...NO_FAULTS };
    this.stats = { calls: 0, errors: 0, unauthorized: 0 };
    this.lastRequest = null;
  }

  shouldFail(): boolean {
    if (this.faults.failAll) return true;
    if (this.faults.failNext > 0) {
      this.faults.failNext--;
      return true;
    }
    return this.faults.errorRate > 0 && Math.random() < this.faults.errorRate;
  }
}
