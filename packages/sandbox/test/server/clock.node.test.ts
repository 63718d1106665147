import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClock } from '../../src/server.js';

// Real time is faked, so "time passes" is a step the test takes, not a sleep.
beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createClock', () => {
  it('stands still where it is set, by default', () => {
    const clock = createClock(1_000_000);
    vi.advanceTimersByTime(20);
    expect(clock.now()).toBe(1_000_000);
    clock.advance(500);
    vi.advanceTimersByTime(20);
    expect(clock.now()).toBe(1_000_500);
  });

  it('follows real time until it is set', () => {
    const clock = createClock();
    vi.advanceTimersByTime(20);
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1) + 20);
    clock.set(5_000_000);
    vi.advanceTimersByTime(20);
    expect(clock.now()).toBe(5_000_000);
  });

  it('goes on with real time from where it is set when running', () => {
    const clock = createClock(1_000_000, { running: true });
    vi.advanceTimersByTime(20);
    expect(clock.now()).toBe(1_000_020);
    clock.set(5_000_000);
    expect(clock.now()).toBe(5_000_000);
    vi.advanceTimersByTime(20);
    expect(clock.now()).toBe(5_000_020);
  });

  it('tells its listeners where it moved, either way', () => {
    for (const running of [false, true]) {
      const clock = createClock(0, { running });
      const seen: number[] = [];
      clock.subscribe((ms) => seen.push(ms));
      clock.advance(1000);
      expect(seen).toEqual([1000]);
    }
  });
});
