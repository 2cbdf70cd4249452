import { VersionClock } from './version.clock.js';

describe('VersionClock', () => {
  it('is strictly increasing, within a millisecond, past 2048 stamps in one, and when the wall clock goes back', () => {
    const clock = new VersionClock(5n);
    const stamps = [
      ...Array.from({ length: 3_000 }, () => clock.next(1_700_000_000_000)),
      clock.next(1_699_999_999_000), // clock stepped back
      clock.next(1_700_000_000_500),
    ].map(BigInt);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i] > stamps[i - 1]).toBe(true);
  });

  it('orders by time first and differs between nodes stamping in the same millisecond', () => {
    const a = new VersionClock(1n);
    const b = new VersionClock(2n);
    const t = 1_800_000_000_000;
    expect(a.next(t)).not.toBe(b.next(t));
    expect(BigInt(a.next(t + 1)) > BigInt(b.next(t))).toBe(true);
    expect(BigInt(a.next(4_398_046_511_103)) < 2n ** 63n).toBe(true); // fits a bigint until 2109
  });
});
