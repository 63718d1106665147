import type { Sandbox } from '@portone-kit/sandbox/server';
import type { ClientTimers } from '../src/node.js';

/**
 * The network between a client and the sandbox, with time on the sandbox's clock and driven by the test:
 * the clock moves to the next timer (a client's timeout, retry pause or settle pause, or a misfortune
 * below) only once no request is on its way, so that whether an answer was lost is decided here, never by
 * how fast the machine is. Best on a sandbox clock that stands still (`createClock(start)`), which only
 * this then moves.
 */
export interface DrivenNetwork {
  /** Give both to the client. */
  readonly fetch: typeof fetch;
  readonly timers: ClientTimers;
  /**
   * The next `times` requests to `route` (`'POST /subscribe/payments/again'`) meet a misfortune:
   * - `late`: held until the client gives up (its timeout), then delivered `afterMs` later on the clock
   *   (default 0: once the client's first lookup is over): PortOne does the work after the client left;
   * - `lost`: held until the client gives up, and never delivered;
   * - `gateway-then-commit`: a gateway answers 504 at once, and the request reaches PortOne `afterMs`
   *   later on the clock.
   */
  misfortune(route: string, misfortune: Misfortune, times: number): void;
  /** Runs `action` once the `count`-th request from now has left (e.g. to expire the tokens mid-batch). */
  afterRequests(count: number, action: () => void): void;
  /** Clears every misfortune and pending `afterRequests`. */
  clear(): void;
  /** Requests the client sent to `route`, delivered or not. */
  sent(route: string): number;
  /**
   * Waits for `work`, moving the clock whenever everything else waits for it; then for every request and
   * misfortune it set off, so that nothing of it reaches the next test.
   */
  drive<T>(work: Promise<T>): Promise<T>;
}

export type Misfortune =
  | { kind: 'late'; afterMs?: number }
  | { kind: 'lost' }
  | { kind: 'gateway-then-commit'; afterMs: number };

interface Timer {
  atMs: number;
  order: number;
  callback: () => void;
}

const ROUTE_PATTERNS: Record<string, RegExp> = {
  'POST /subscribe/payments/again': /^\/subscribe\/payments\/again$/,
  'POST /users/getToken': /^\/users\/getToken$/,
  'GET /payments/find/:merchant_uid': /^\/payments\/find\/[^/]+$/,
  'GET /payments/find/:merchant_uid/:payment_status': /^\/payments\/find\/[^/]+\/[^/]+$/,
  'GET /payments/:imp_uid': /^\/payments\/(?!find\/)[^/]+$/,
};

const routeOf = (method: string, path: string): string | null =>
  Object.entries(ROUTE_PATTERNS).find(
    ([route, pattern]) => route.startsWith(`${method} `) && pattern.test(path),
  )?.[0] ?? null;

/** A turn of the event loop: whatever the last answer set off has run by then, up to its next wait. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createDrivenNetwork(sandbox: Sandbox): DrivenNetwork {
  const clock = sandbox.clock;
  const queue: Timer[] = [];
  let order = 0;
  let inFlight = 0;
  let idle: (() => void) | null = null;
  const misfortunes = new Map<string, { misfortune: Misfortune; left: number }>();
  const sentCounts = new Map<string, number>();
  let watchers: { left: number; action: () => void }[] = [];

  const timers: ClientTimers = {
    now: () => clock.now(),
    setTimeout(callback, ms) {
      const timer: Timer = { atMs: clock.now() + Math.max(0, ms), order: order++, callback };
      queue.push(timer);
      return timer;
    },
    clearTimeout(handle) {
      const index = queue.indexOf(handle as Timer);
      if (index >= 0) queue.splice(index, 1);
    },
  };

  /** Delivers a request to the sandbox; counted in flight until its whole answer is read. */
  async function deliver(url: string, init: RequestInit): Promise<{ status: number; body: string }> {
    inFlight++;
    try {
      const { signal: _ignored, ...rest } = init;
      const response = await fetch(url, rest);
      return { status: response.status, body: await response.text() };
    } finally {
      inFlight--;
      if (inFlight === 0) idle?.();
    }
  }

  const answer = ({ status, body }: { status: number; body: string }) =>
    ({ status, text: async () => body }) as unknown as Response;

  const untilAborted = (signal: AbortSignal | null | undefined, then: () => void) =>
    new Promise<Response>((_resolve, reject) => {
      signal?.addEventListener(
        'abort',
        () => {
          then();
          reject(new DOMException('The operation was aborted.', 'AbortError'));
        },
        { once: true },
      );
    });

  const networkFetch = async (input: Parameters<typeof fetch>[0], init: RequestInit = {}): Promise<Response> => {
    const url = String(input);
    const route = routeOf(init.method ?? 'GET', new URL(url).pathname);
    if (route !== null) sentCounts.set(route, (sentCounts.get(route) ?? 0) + 1);
    for (const watcher of watchers) if (--watcher.left === 0) watcher.action();
    watchers = watchers.filter((watcher) => watcher.left > 0);
    const entry = route === null ? undefined : misfortunes.get(route);
    if (route !== null && entry) {
      entry.left -= 1;
      if (entry.left <= 0) misfortunes.delete(route);
      const { misfortune } = entry;
      const deliverLater = (afterMs: number) =>
        timers.setTimeout(() => void deliver(url, init).catch(() => undefined), afterMs);
      if (misfortune.kind === 'late') return untilAborted(init.signal, () => deliverLater(misfortune.afterMs ?? 0));
      if (misfortune.kind === 'lost') return untilAborted(init.signal, () => undefined);
      deliverLater(misfortune.afterMs);
      return answer({ status: 504, body: '<html><body>504 Gateway Time-out</body></html>' });
    }
    return answer(await deliver(url, init));
  };

  /** Moves the clock to the earliest timer and runs it; false when there is none. */
  function fireNext(): boolean {
    queue.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
    const timer = queue.shift();
    if (!timer) return false;
    if (timer.atMs > clock.now()) clock.set(timer.atMs);
    timer.callback();
    return true;
  }

  async function drive<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const settled = work.then(
      () => {
        done = true;
      },
      () => {
        done = true;
      },
    );
    for (let stuckTurns = 0; !done || inFlight > 0 || queue.length > 0; ) {
      if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
      idle = null;
      // Two turns with nothing in flight: the client is waiting on a timer, or done.
      await turn();
      await turn();
      if (inFlight > 0) continue;
      if (fireNext()) stuckTurns = 0;
      else if (++stuckTurns > 100) throw new Error('the work waits on neither a request nor a timer');
    }
    await settled;
    return work;
  }

  return {
    fetch: networkFetch as typeof fetch,
    timers,
    misfortune(route, misfortune, times) {
      if (!(route in ROUTE_PATTERNS)) throw new Error(`no pattern for ${route}`);
      misfortunes.set(route, { misfortune, left: times });
    },
    afterRequests(count, action) {
      watchers.push({ left: count, action });
    },
    clear() {
      misfortunes.clear();
      watchers = [];
    },
    sent: (route) => sentCounts.get(route) ?? 0,
    drive,
  };
}
