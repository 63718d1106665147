/**
 * One payment window per page: a second start, from the same hook or another, gets the promise of the
 * window already open instead of opening another. Each window holds its own claim, so that a late
 * answer to an old window never frees the page from a newer one.
 */
interface OpenWindow {
  claim: symbol;
  promise: Promise<unknown>;
}

let open: OpenWindow | null = null;

export function openWindowPromise(): Promise<unknown> | null {
  return open?.promise ?? null;
}

export function claimWindow(promise: Promise<unknown>): symbol {
  const claim = Symbol('payment window');
  open = { claim, promise };
  return claim;
}

/** Frees the page for a new window, if this claim still holds it. */
export function releaseWindow(claim: symbol | null): void {
  if (claim !== null && open?.claim === claim) open = null;
}
