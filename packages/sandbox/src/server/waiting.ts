import type { SandboxClock } from './clock.js';

/**
 * Where a request waits: `latency` (a fault's `latencyMs`, before the work), `hold` (a fault's `hold`, until
 * the test lets it go) or `commit` (`statusThenCommit`: answered already, the work still to come).
 */
export type WaitStage = 'latency' | 'hold' | 'commit';

/** A request the sandbox is holding back, for a test to look at and let go when it decides. */
export interface WaitingRequest {
  readonly method: string;
  /** The route as faults name it, e.g. `'POST /subscribe/payments/again'`; null when none matched. */
  readonly route: string | null;
  readonly path: string;
  readonly stage: WaitStage;
  /** Resolves once the sandbox is done with the request: answered, dropped, or its late work committed. */
  readonly settled: Promise<void>;
  /** Goes on now, as if the time had passed: the rest of the fault (a status, a drop…) still applies. */
  release(): void;
  /**
   * Destroys the socket now: the caller sees a network error. Before the work (`latency`, `hold`) the work
   * is never done; at `commit` the late work is skipped.
   */
  drop(): void;
}

/** How a wait ended. `closed`: the sandbox is closing. */
export type WaitEnd = 'go' | 'drop' | 'closed';

interface Watcher {
  route: string | undefined;
  found(request: WaitingRequest): void;
}

/** The requests waiting on the sandbox clock or on a test, and the tests waiting for them. */
export class WaitingRoom {
  private readonly waiting: WaitingRequest[] = [];
  private readonly watchers = new Set<Watcher>();
  /** How to end each waiting request; closing ends them all through one listener, not one per request. */
  private readonly ends = new Map<WaitingRequest, (how: WaitEnd) => void>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly closing: AbortSignal,
  ) {
    closing.addEventListener(
      'abort',
      () => {
        for (const end of [...this.ends.values()]) end('closed');
      },
      { once: true },
    );
  }

  list(): readonly WaitingRequest[] {
    return [...this.waiting];
  }

  /** The first request waiting on `route` (any route when undefined), now or once one starts waiting. */
  next(route?: string, signal?: AbortSignal): Promise<WaitingRequest> {
    const present = this.waiting.find((request) => route === undefined || request.route === route);
    if (present) return Promise.resolve(present);
    return new Promise((resolve, reject) => {
      const watcher: Watcher = {
        route,
        found: (request) => {
          signal?.removeEventListener('abort', stop);
          resolve(request);
        },
      };
      const stop = () => {
        this.watchers.delete(watcher);
        reject(signal?.reason);
      };
      if (signal?.aborted) return stop();
      signal?.addEventListener('abort', stop, { once: true });
      this.watchers.add(watcher);
    });
  }

  /**
   * Waits until the sandbox clock reads `untilMs` (never, when null: a hold), or the test releases or drops
   * the request, or the sandbox closes. The clock decides, not a wall-clock timer: a clock that stands
   * still keeps the request waiting until a test moves it; one that runs gets there with real time.
   */
  wait(request: Omit<WaitingRequest, 'release' | 'drop'>, untilMs: number | null): Promise<WaitEnd> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let unsubscribe = () => {};
      const end = (how: WaitEnd) => {
        const index = this.waiting.indexOf(entry);
        if (index === -1) return;
        this.waiting.splice(index, 1);
        this.ends.delete(entry);
        clearTimeout(timer);
        unsubscribe();
        resolve(how);
      };
      const entry: WaitingRequest = { ...request, release: () => end('go'), drop: () => end('drop') };
      const due = () => untilMs !== null && this.clock.now() >= untilMs;
      if (this.closing.aborted) return resolve('closed');
      if (due()) return resolve('go');
      this.waiting.push(entry);
      this.ends.set(entry, end);
      if (untilMs !== null) {
        unsubscribe = this.clock.subscribe(() => {
          if (due()) end('go');
        });
        // A running clock moves with real time and tells no listener: look again when it should be there.
        const look = () => {
          if (due()) return end('go');
          timer = setTimeout(look, Math.max(1, untilMs - this.clock.now()));
          timer.unref?.();
        };
        look();
      }
      for (const watcher of [...this.watchers]) {
        if (watcher.route === undefined || watcher.route === entry.route) {
          this.watchers.delete(watcher);
          watcher.found(entry);
        }
      }
    });
  }
}
