/**
 * The same-origin path to send the buyer back to, normalised, or `null` when `path` would leave `origin`
 * (or cannot be read). The URL parser normalises first (backslashes to slashes, dot segments resolved,
 * `%2e` read as a dot); only then is the result checked: same origin, and a path that starts with a single
 * `/`, never `//`, which a browser would read as another host. Gives `pathname + search + hash`. Never throws.
 *
 * @param path A path such as `/orders/1?x=1#y`, as saved before the payment window.
 * @param origin The page's origin, e.g. `window.location.origin`.
 */
export function safeReturnPath(path: string | null | undefined, origin: string): string | null {
  try {
    const base = new URL(origin);
    const url = new URL(path ?? '', base);
    const result = `${url.pathname}${url.search}${url.hash}`;
    // `/.//host`, `/a/..//host` and `/%2e//host` become `//host` only now, after the parser's normalisation.
    // An opaque origin ('null', as file: pages have) is the same as no other: refused.
    return path && url.origin === base.origin && base.origin !== 'null' && /^\/(?![/\\])/.test(result) ? result : null;
  } catch {
    return null;
  }
}
