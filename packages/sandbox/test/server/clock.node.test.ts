import { describe, expect, it } from 'vitest';
import { createClock } from '../../src/server.js';

const wait = (ms: number) => new Promise((resume) => setTimeout(resume, ms));

describe('createClock', () => {
  it('stands still where it is set, by default', async () => {
    const clock = createClock(1_000_000);
    await wait(20);
    expect(clock.now()).toBe(1_000_000);
    clock.advance(500);
    await wait(20);
    expect(clock.now()).toBe(1_000_500);
  });

  it('goes on with real time from where it is set when running', async () => {
    const clock = createClock(1_000_000, { running: true });
    await wait(20);
    expect(clock.now()).toBeGreaterThan(1_000_000);
    clock.set(5_000_000);
    const afterSet = clock.now();
    expect(afterSet).toBeGreaterThanOrEqual(5_000_000);
    await wait(20);
    expect(clock.now()).toBeGreaterThan(afterSet);
  });

  it('tells its listeners where it moved, either way', () => {
    for (const running of [false, true]) {
      const clock = createClock(0, { running });
      const seen: number[] = [];
      clock.subscribe((ms) => seen.push(ms));
      clock.advance(1000);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toBeGreaterThanOrEqual(1000);
    }
  });
});
