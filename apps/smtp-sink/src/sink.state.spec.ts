import { SinkState } from './sink.state.js';

describe('SinkState refusals', () => {
  it('refuses 421 at connect and other codes at MAIL FROM, as many times as asked', () => {
    const state = new SinkState(10);
    state.refusal = { code: 421, remaining: 2, until: null };
    expect(state.refuses('mail')).toBeUndefined();
    expect([state.refuses('connect'), state.refuses('connect'), state.refuses('connect')]).toEqual([421, 421, undefined]);
    state.refusal = { code: 451, remaining: null, until: Date.now() - 1 };
    expect(state.refuses('mail')).toBeUndefined();
    expect(state.refusal).toBeNull();
    expect(state.refused).toBe(2);
  });

  it('keeps the newest messages up to its bound', () => {
    const state = new SinkState(2);
    for (const subject of ['a', 'b', 'c']) state.add({ from: '', to: ['x@example.com'], subject, text: '', receivedAt: '' });
    expect(state.messages.map((m) => [m.id, m.subject])).toEqual([
      [2, 'b'],
      [3, 'c'],
    ]);
  });
});
