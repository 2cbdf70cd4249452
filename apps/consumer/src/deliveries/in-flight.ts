/**
 * Work started per delivery and running concurrently (recognitions, recommendations, mails; the
 * prefetch bounds how many): tracked so that shutdown can wait for all of it.
 */
export class InFlight {
  private readonly running = new Set<Promise<void>>();

  /** How many are running, the caller's own included when it asks from inside its work. */
  get size(): number {
    return this.running.size;
  }

  track(work: Promise<void>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  /** Resolves once everything tracked so far has finished, however it ended. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.running);
  }
}
