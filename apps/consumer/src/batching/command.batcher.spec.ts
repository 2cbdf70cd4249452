import { Logger } from '@nestjs/common';
import { ConsumerState } from '../consumer.state.js';
import { type BatcherOptions, CommandBatcher } from './command.batcher.js';

/** A batcher over plain numbers whose commit and settle only record what they were given. */
function batcher(options: Partial<BatcherOptions<number, number>> = {}) {
  const writes: number[][] = [];
  const settled: number[][] = [];
  const state = new ConsumerState();
  state.status = 'consuming';
  const b = new CommandBatcher<number, number>(
    {
      name: 'test batch',
      queue: 'test',
      maxSize: 3,
      maxWaitMs: 10_000,
      logger: new Logger('CommandBatcherSpec'),
      write: async (items) => {
        writes.push(items);
        return items.length;
      },
      settle: async (items) => {
        settled.push(items);
      },
      ...options,
    },
    state,
  );
  return { b, writes, settled, state };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('CommandBatcher', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']));
  afterEach(() => {
    vi.useRealTimers();
  });

  it('cuts a batch at maxSize and keeps the rest for the next one', async () => {
    const { b, writes, settled } = batcher();
    for (const n of [1, 2, 3, 4]) b.add(n);
    await turn();
    expect(writes).toEqual([[1, 2, 3]]);
    expect(settled).toEqual([[1, 2, 3]]);
    await b.drain();
    expect(writes).toEqual([[1, 2, 3], [4]]);
  });

  it("keeps a group's items in one batch, cut after the group even past maxSize", async () => {
    const { b, writes, settled } = batcher();
    b.add(1);
    b.addAll([2, 3, 4, 5]);
    b.addAll([6]);
    await turn();
    expect(writes).toEqual([[1, 2, 3, 4, 5]]);
    expect(settled).toEqual([[1, 2, 3, 4, 5]]);
    await b.drain();
    expect(writes).toEqual([[1, 2, 3, 4, 5], [6]]);
  });

  it('cuts a batch maxWaitMs after its first item, not after its last', async () => {
    vi.useFakeTimers();
    const { b, writes } = batcher({ maxWaitMs: 50 });
    b.add(1);
    await vi.advanceTimersByTimeAsync(30);
    b.add(2);
    await vi.advanceTimersByTimeAsync(19);
    expect(writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(writes).toEqual([[1, 2]]);
  });

  it('cuts at once when asked to, without waiting', async () => {
    const { b, writes } = batcher();
    b.add(1, true);
    await turn();
    expect(writes).toEqual([[1]]);
  });

  it('settles nothing while the commit fails, retries it with a growing backoff and pauses readiness meanwhile', async () => {
    const attempts: number[] = [];
    const statuses: string[] = [];
    const { b, settled, state } = batcher({
      retryBaseMs: 20,
      write: async (items) => {
        attempts.push(performance.now());
        statuses.push(state.status);
        if (attempts.length < 3) throw new Error('connection refused');
        return items.length;
      },
    });
    b.add(1);
    b.add(2);
    const drained = b.drain();
    await turn();
    expect(settled).toEqual([]);
    expect(state.status).toBe('paused');
    await drained;
    expect(attempts).toHaveLength(3);
    expect(statuses).toEqual(['consuming', 'paused', 'paused']);
    // 20 ms, then 40 ms (a timer may fire up to a millisecond early).
    expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(19);
    expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(39);
    expect(settled).toEqual([[1, 2]]);
    expect(state.status).toBe('consuming');
  });

  it('on drain writes and settles a half-filled batch, after the batch in flight, in order', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { b, writes, settled } = batcher({
      maxSize: 2,
      write: async (items) => {
        writes.push(items);
        if (writes.length === 1) await gate;
        return items.length;
      },
    });
    b.add(1);
    b.add(2); // cut: its write is now blocked on the gate
    b.add(3); // held, its timer 10 s away
    let done = false;
    const drained = b.drain().then(() => (done = true));
    await turn();
    expect(writes).toEqual([[1, 2]]);
    expect(done).toBe(false);
    release();
    await drained;
    expect(writes).toEqual([[1, 2], [3]]);
    expect(settled).toEqual([[1, 2], [3]]);
  });

  it('keeps writing later batches when settling one fails', async () => {
    const { b, writes } = batcher({
      maxSize: 1,
      settle: async () => {
        throw new Error('redis away');
      },
    });
    b.add(1);
    b.add(2);
    await b.drain();
    expect(writes).toEqual([[1], [2]]);
  });
});
