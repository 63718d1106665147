/**
 * Where the client takes its time from: the wall clock and the runtime's timers by default. A test gives
 * its own, so that it, not the machine's speed, decides when a wait is over.
 */
export interface ClientTimers {
  /** Milliseconds since the UNIX epoch. */
  now(): number;
  /** Calls `callback` once after `ms`; returns what `clearTimeout` takes. */
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: ClientTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const sleep = (timers: ClientTimers, ms: number): Promise<void> =>
  new Promise((resume) => {
    timers.setTimeout(resume, ms);
  });
