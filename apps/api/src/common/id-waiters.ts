/**
 * Requests waiting for news of an id (a photo, a user): `next` resolves at the next `wake` that names
 * the id, or after its timeout. Only a wake-up: waiters re-read what they wait for.
 */
export class IdWaiters {
  private readonly waiting = new Map<number, Set<() => void>>();

  /** Resolves at the next wake naming `id`, or after `ms`. */
  next(id: number, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiting.get(id) ?? new Set();
      this.waiting.set(id, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiting.delete(id);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      set.add(done);
    });
  }

  wake(ids: number[]): void {
    // Each waiter deletes itself from the set as it runs, which iterating a Set allows.
    for (const id of ids) for (const done of this.waiting.get(id) ?? []) done();
  }
}
