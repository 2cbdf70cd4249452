import type { FakeDelays, FakeStep } from './fishial-fake.config.js';

/** Misbehaviour a test or benchmark can switch on at runtime (POST /_fake/faults). */
export interface Faults {
  /** Share of non-token calls answered 500. */
  errorRate: number;
  /** The next N non-token calls answer 500 (a transient outage). */
  failNext: number;
  /** Every non-token call answers 500 (failing for good). */
  failAll: boolean;
  /** Tokens issued so far are rejected with 401, as if they had expired. */
  expireIssuedTokens: boolean;
  /** Extra latency on every call, ms. */
  slowMs: number;
  /** Direct-upload URLs point at this origin instead of the fake itself. */
  uploadOrigin: string | null;
  /** Recognition answers with a body that is not JSON. */
  malformedJson: boolean;
  /** Recognition answers with a redirect to this URL. */
  redirectTo: string | null;
}

export const NO_FAULTS: Faults = {
  errorRate: 0,
  failNext: 0,
  failAll: false,
  expireIssuedTokens: false,
  slowMs: 0,
  uploadOrigin: null,
  malformedJson: false,
  redirectTo: null,
};

export interface Stats {
  calls: Record<FakeStep, number>;
  errors: number;
  inFlight: number;
  peakInFlight: number;
  /** Peak of recognitions in flight at once: the concurrency a client really achieved. */
  peakRecognitions: number;
}

/** What the fake remembers: tokens, declared blobs, uploaded bytes, counters and faults. */
export class FishialFakeState {
  delays: FakeDelays;
  faults: Faults = { ...NO_FAULTS };
  stats: Stats = FishialFakeState.emptyStats();
  readonly tokens = new Map<string, number>();
  readonly blobs = new Map<string, { byteSize: number; checksum: string; disposition: string; bytes?: Buffer }>();
  recognitionsInFlight = 0;

  constructor(delays: FakeDelays) {
    this.delays = delays;
  }

  static emptyStats(): Stats {
    return { calls: { token: 0, upload: 0, put: 0, recognize: 0 }, errors: 0, inFlight: 0, peakInFlight: 0, peakRecognitions: 0 };
  }

  reset(): void {
    this.faults = { ...NO_FAULTS };
    this.stats = FishialFakeState.emptyStats();
    this.tokens.clear();
    this.blobs.clear();
  }

  /** Whether this call should fail with a 500 under the current faults. */
  shouldFail(): boolean {
    if (this.faults.failAll) return true;
    if (this.faults.failNext > 0) {
      this.faults.failNext--;
      return true;
    }
    return this.faults.errorRate > 0 && Math.random() < this.faults.errorRate;
  }
}
