import { randomInt } from 'node:crypto';

const SEQ_BITS = 11n;
const NODE_BITS = 10n;
const SEQ_LIMIT = 1 << Number(SEQ_BITS);

/**
 * Stamps like commands with a time-ordered, unique 63-bit version: milliseconds since the epoch,
 * then a per-millisecond sequence, then a random node id, so two API processes stamping in the same
 * millisecond still differ. It never goes backwards within a process, even if the wall clock does;
 * past 2048 stamps in one millisecond it borrows the next one. Fits a Postgres bigint until 2109.
 */
export class VersionClock {
  private lastMs = 0;
  private seq = 0;

  constructor(private readonly node = BigInt(randomInt(1 << Number(NODE_BITS)))) {}

  next(now = Date.now()): string {
    if (now > this.lastMs) {
      this.lastMs = now;
      this.seq = 0;
    } else if (++this.seq === SEQ_LIMIT) {
      this.lastMs += 1;
      this.seq = 0;
    }
    return ((BigInt(this.lastMs) << (SEQ_BITS + NODE_BITS)) | (BigInt(this.seq) << NODE_BITS) | this.node).toString();
  }
}
