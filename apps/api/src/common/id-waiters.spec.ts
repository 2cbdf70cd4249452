import { IdWaiters } from './id-waiters.js';

describe('IdWaiters', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('wakes every waiter of a named id, and only those', async () => {
    vi.useFakeTimers();
    const waiters = new IdWaiters();
    const woken: string[] = [];
    void waiters.next(1, 10_000).then(() => woken.push('1a'));
    void waiters.next(1, 10_000).then(() => woken.push('1b'));
    void waiters.next(2, 10_000).then(() => woken.push('2'));
    waiters.wake([1, 3]);
    await vi.advanceTimersByTimeAsync(0);
    expect(woken).toEqual(['1a', '1b']);
    waiters.wake([2]);
    await vi.advanceTimersByTimeAsync(0);
    expect(woken).toEqual(['1a', '1b', '2']);
  });

  it('resolves a waiter nobody wakes after its timeout, and a wake after that finds no one', async () => {
    vi.useFakeTimers();
    const waiters = new IdWaiters();
    let resolved = false;
    void waiters.next(5, 100).then(() => (resolved = true));
    await vi.advanceTimersByTimeAsync(99);
    expect(resolved).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(resolved).toBe(true);
    expect(() => waiters.wake([5])).not.toThrow();
  });

  it('wakes a waiter once: its timer is cleared by the wake', async () => {
    vi.useFakeTimers();
    const waiters = new IdWaiters();
    const next = waiters.next(7, 100);
    waiters.wake([7]);
    await next;
    expect(vi.getTimerCount()).toBe(0);
  });
});
