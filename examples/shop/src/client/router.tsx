import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

// A router of a few lines: the shop has six pages, and the mobile return page must be able to replace
// its own history entry with the order page.

const listeners = new Set<() => void>();
let moved = false;

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** What a page may leave for the next one in its history entry: a notice to show there. */
export interface NavigationState {
  notice?: { tone: 'info' | 'success' | 'error'; text: string };
}

export function navigate(path: string, options: { replace?: boolean; state?: NavigationState } = {}) {
  const state = options.state ?? null;
  if (options.replace) window.history.replaceState(state, '', path);
  else window.history.pushState(state, '', path);
  moved = true;
  for (const listener of listeners) listener();
  window.scrollTo(0, 0);
}

/** True once the app has moved between pages: only then does a new page take the focus. */
export const hasNavigated = () => moved;

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function Link({ href, onClick, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={follow} {...props} />;
}

/** The notice the page that navigated here left in this history entry, if any. */
export function navigationNotice(): NonNullable<NavigationState['notice']> | null {
  const state = window.history.state as NavigationState | null;
  return state?.notice ?? null;
}
