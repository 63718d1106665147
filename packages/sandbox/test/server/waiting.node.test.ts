import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type WaitEnd, WaitingRoom } from '../../src/server/waiting.js';
import { createClock } from '../../src/server.js';

// Real time is faked: the test moves it, and `vi.advanceTimersByTime` runs every timer due by then, so
// "still waiting" is read after those timers ran, not after a sleep.
beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
});
afterEach(() => {
  vi.useRealTimers();
});

const request = { method: 'POST', route: 'POST /subscribe/payments/again', path: '/x', settled: Promise.resolve() };

function track(promise: Promise<WaitEnd>) {
  const outcome: { end: WaitEnd | null } = { end: null };
  void promise.then((end) => {
    outcome.end = end;
  });
  return outcome;
}

describe('WaitingRoom', () => {
  it('keeps a request waiting on a clock that stands still, however much real time passes', async () => {
    const clock = createClock(1_000_000);
    const room = new WaitingRoom(clock, new AbortController().signal);
    const outcome = track(room.wait({ ...request, stage: 'latency' }, clock.now() + 400));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(outcome.end).toBeNull();
    expect(room.list()).toHaveLength(1);
    clock.advance(400);
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome.end).toBe('go');
    expect(room.list()).toEqual([]);
  });

  it('lets a request go with real time on a running clock', async () => {
    const clock = createClock(1_000_000, { running: true });
    const room = new WaitingRoom(clock, new AbortController().signal);
    const outcome = track(room.wait({ ...request, stage: 'latency' }, clock.now() + 400));
    await vi.advanceTimersByTimeAsync(399);
    expect(outcome.end).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome.end).toBe('go');
  });

  it('hands the next waiting request to a test, which releases or drops it; closing ends every wait', async () => {
    const clock = createClock(0);
    const closing = new AbortController();
    const room = new WaitingRoom(clock, closing.signal);
    const next = room.next('POST /subscribe/payments/again');
    const first = track(room.wait({ ...request, stage: 'hold' }, null));
    const second = track(room.wait({ ...request, stage: 'hold' }, null));
    const third = track(room.wait({ ...request, stage: 'commit' }, 10));
    (await next).release();
    (await room.next()).drop();
    closing.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect([first.end, second.end, third.end]).toEqual(['go', 'drop', 'closed']);
  });

  it('holds any number of requests on one closing listener, and closing still ends each of them', async () => {
    // One listener per held request made Node warn (MaxListenersExceededWarning) past ten held requests.
    const clock = createClock(0);
    const closing = new AbortController();
    const room = new WaitingRoom(clock, closing.signal);
    const held = Array.from({ length: 50 }, (_, index) =>
      track(room.wait({ ...request, stage: index % 2 ? 'hold' : 'latency' }, index % 2 ? null : 1_000)),
    );
    expect(room.list()).toHaveLength(50);
    expect(getEventListeners(closing.signal, 'abort')).toHaveLength(1);
    (await room.next()).release();
    closing.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(held[0]?.end).toBe('go');
    expect(held.slice(1).every((outcome) => outcome.end === 'closed')).toBe(true);
    expect(room.list()).toEqual([]);
  });

  it('stops looking for a request when the signal aborts', async () => {
    const room = new WaitingRoom(createClock(0), new AbortController().signal);
    await expect(room.next(undefined, AbortSignal.abort(new Error('gave up')))).rejects.toThrow('gave up');
  });
});
