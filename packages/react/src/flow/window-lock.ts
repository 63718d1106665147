/**
 * One payment window per page: a second start, from the same hook or another, gets the promise of the
 * window already open instead of opening another.
 */
interface OpenWindow {
  owner: symbol;
  promise: Promise<unknown>;
}

let open: OpenWindow | null = null;

export function openWindowPromise(): Promise<unknown> | null {
  return open?.promise ?? null;
}

export function claimWindow(owner: symbol, promise: Promise<unknown>): void {
  open = { owner, promise };
}

/** Frees the page for a new window, if `owner` still holds it. */
export function releaseWindow(owner: symbol): void {
  if (open?.owner === owner) open = null;
}
