/**
 * A way to misbehave, for testing how a client copes. Times are on the sandbox clock: on a clock that
 * stands still a `latencyMs` ends when the test advances the clock past it (or releases the request, see
 * `Sandbox.nextWaiting`), so the test, not the machine's speed, decides what comes late.
 */
export interface SandboxFault {
  /** Wait this long on the sandbox clock before handling the request. */
  latencyMs?: number;
  /**
   * Hold the request before handling it until the test lets it go: `(await sandbox.nextWaiting(route))`
   * then `.release()` (the rest of the fault applies) or `.drop()` (no work, the socket destroyed).
   */
  hold?: boolean;
  /** Answer this status (e.g. 500) before doing anything. */
  status?: number;
  /** Do the work, then destroy the socket without answering. */
  dropAfterCommit?: boolean;
  /** Do the work, then answer this status instead of the real answer. */
  statusAfterCommit?: number;
  /**
   * Answer this status at once (e.g. 504, as a gateway that gave up), then do the work anyway after
   * `commitAfterMs`, as the server behind it still would.
   */
  statusThenCommit?: number;
  /** With `statusThenCommit`: how long after the answer, on the sandbox clock, the work is done. Default 0. */
  commitAfterMs?: number;
  /** How many requests it applies to. Default: all of them until cleared. */
  times?: number;
}

/** A sandbox's `faults`: makes its routes misbehave, for testing a client (see {@link SandboxFault}). */
export interface SandboxFaults {
  /**
   * Applies `fault` to `route`: `'METHOD /pattern'` as the sandbox names its routes (e.g.
   * `'POST /subscribe/payments/again'`, `'GET /payments/:imp_uid'`), or `'*'` for every request.
   * Replaces the route's previous fault. Throws for a route the sandbox does not have.
   */
  set(route: string, fault: SandboxFault): void;
  /** Removes the fault of `route`, or every fault. */
  clear(route?: string): void;
}

export interface FaultRegistry extends SandboxFaults {
  /** The fault that applies to this request, counted as used; the route's own before `'*'`. */
  take(route: string | null): SandboxFault | null;
}

export function createFaults(routes: readonly string[]): FaultRegistry {
  const faults = new Map<string, { fault: SandboxFault; left: number }>();
  const use = (key: string) => {
    const entry = faults.get(key);
    if (!entry) return null;
    entry.left -= 1;
    if (entry.left <= 0) faults.delete(key);
    return entry.fault;
  };
  return {
    set(route, fault) {
      if (route !== '*' && !routes.includes(route)) {
        throw new Error(`the sandbox has no route "${route}"; it has: ${routes.join(', ')}`);
      }
      const times = fault.times ?? Number.POSITIVE_INFINITY;
      if (!(times > 0)) throw new RangeError('a fault needs times of at least 1');
      faults.set(route, { fault: { ...fault }, left: times });
    },
    clear(route) {
      if (route === undefined) faults.clear();
      else faults.delete(route);
    },
    take(route) {
      return (route === null ? null : use(route)) ?? use('*');
    },
  };
}
