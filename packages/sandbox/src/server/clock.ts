/** The time the sandbox lives in: tokens expire, schedules fall due and payments are dated by it. */
export interface SandboxClock {
  /** Milliseconds since the UNIX epoch. */
  now(): number;
  /** Jumps to `ms` and stays there; due schedules then run. */
  set(ms: number): void;
  /** Moves `ms` forward (or back, when negative) and stays there; due schedules then run. */
  advance(ms: number): void;
  /** Calls `listener` after every `set` and `advance`; returns the unsubscribe function. */
  subscribe(listener: (nowMs: number) => void): () => void;
}

/** How a clock made by {@link createClock} goes on once it is set. */
export interface ClockOptions {
  /**
   * Keep running with real time from `startMs`, and from wherever `set` or `advance` put it, as PortOne's
   * clock does: payments made one after the other are dated one after the other. Default false: the clock
   * stands still once set, so that a test decides exactly when a token expires or a schedule falls due.
   */
  running?: boolean;
}

/**
 * A clock that follows real time until it is set, then stands still where it was put (or, `running`,
 * goes on from there). `startMs` sets it at once.
 */
export function createClock(startMs?: number, options: ClockOptions = {}): SandboxClock {
  const running = options.running ?? false;
  let fixed: number | null = null;
  let offsetMs = 0;
  const listeners = new Set<(nowMs: number) => void>();
  const now = () => fixed ?? Date.now() + offsetMs;
  const place = (ms: number) => {
    if (!Number.isFinite(ms)) throw new RangeError(`the sandbox clock needs a finite time, got ${ms}`);
    if (running) offsetMs = ms - Date.now();
    else fixed = ms;
  };
  if (startMs !== undefined) place(startMs);
  const moveTo = (ms: number) => {
    place(ms);
    for (const listener of [...listeners]) listener(ms);
  };
  return {
    now,
    set: moveTo,
    advance: (ms) => moveTo(now() + ms),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** UNIX seconds, the unit of every time PortOne's V1 API reports. */
export const toSeconds = (ms: number): number => Math.floor(ms / 1000);
