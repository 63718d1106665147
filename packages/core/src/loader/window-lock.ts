import { registry } from './load-portone.js';

/**
 * One payment window at a time: a start while a window is open is refused (`busy`), never handed the open
 * window's outcome. Each window holds its own claim, so that a late answer to an old window never frees
 * the page from a newer one. A React provider owns one lock; outside one, the page's lock serves.
 */
export interface WindowLock {
  /** A claim on the window, or null when another claim holds it. */
  claim(): symbol | null;
  /** Frees the window, if this claim still holds it. */
  release(claim: symbol | null | undefined): void;
  isHeld(): boolean;
  subscribe(listener: () => void): () => void;
}

/** A new, free {@link WindowLock}. A `PortoneProvider` owns one; outside one, {@link pageWindowLock} serves. */
export function createWindowLock(): WindowLock {
  let held: symbol | null = null;
  const listeners = new Set<() => void>();
  const set = (claim: symbol | null) => {
    held = claim;
    for (const listener of listeners) listener();
  };
  return {
    claim() {
      if (held) return null;
      const claim = Symbol();
      set(claim);
      return claim;
    },
    release: (claim) => {
      if (claim && claim === held) set(null);
    },
    isHeld: () => held !== null,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

let serverLock: WindowLock | undefined;

/**
 * The page's own lock, for hooks and buttons outside a provider. It lives beside the loader's state, so
 * {@link unloadPortone} forgets it too; on a server (no window) nothing is ever open.
 */
export function pageWindowLock(): WindowLock {
  if (typeof window === 'undefined') {
    serverLock ??= createWindowLock();
    return serverLock;
  }
  const page = registry();
  page.lock ??= createWindowLock();
  return page.lock;
}
