import type { Imp } from '../request/types.js';
import type { WindowLock } from './window-lock.js';

/** The V1 SDK on PortOne's CDN. Tests, stories and demos point `src` at the sandbox instead. */
export const DEFAULT_SDK_SRC = 'https://cdn.iamport.kr/v1/iamport.js';

/**
 * A {@link PortoneLoadError}'s `code` (after retries, the last try's): `not-in-browser` (no `document`: call
 * it from an effect or a handler), `invalid-merchant-code` (not `imp` followed by digits; nothing loaded),
 * `load-failed` (the network, a CSP or a blocker), `timeout` (a try took over `timeoutMs`) or `sdk-missing`
 * (the script loaded but defined no `window.IMP`).
 */
export type PortoneLoadErrorCode =
  | 'not-in-browser'
  | 'invalid-merchant-code'
  | 'load-failed'
  | 'timeout'
  | 'sdk-missing';

/** Why the SDK could not be had. `attempts` counts the script loads tried (0 when none was). */
export class PortoneLoadError extends Error {
  constructor(
    readonly code: PortoneLoadErrorCode,
    message: string,
    readonly attempts = 0,
  ) {
    super(message);
    this.name = 'PortoneLoadError';
  }
}

/** What {@link loadPortone} takes: the merchant code, where the script is, and how long and how often to try. */
export interface LoadPortoneOptions {
  /** 고객사 식별코드 from the PortOne console: `imp` followed by digits. */
  merchantCode: string;
  /** Sub-merchant tier code: the SDK is then set up with `IMP.agency(merchantCode, tierCode)`. */
  tierCode?: string | undefined;
  /** Script URL. Default {@link DEFAULT_SDK_SRC}. */
  src?: string | undefined;
  /** CSP nonce, set as the element's `nonce` property. */
  nonce?: string | undefined;
  integrity?: string | undefined;
  crossOrigin?: 'anonymous' | 'use-credentials' | undefined;
  /** Time allowed for one try. Default 12 000 ms. */
  timeoutMs?: number | undefined;
  /** Tries after the first one fails. Default 2. */
  retries?: number | undefined;
  /** Base of the exponential backoff between tries, jittered. Default 500 ms. */
  retryDelayMs?: number | undefined;
}

interface Load {
  promise: Promise<Imp>;
  /** The tag the current try waits on; `null` between tries. */
  script: HTMLScriptElement | null;
}

/**
 * Loader state lives on `window` under a registered symbol, so that two copies of this library in one
 * bundle share it; each tag it inserts is marked with the `src` it stands for.
 */
interface Registry {
  loads: Map<string, Load>;
  /** The `IMP` last initialised, and for which merchant (and tier) code. */
  initialised?: [Imp, string];
  /** The page's one payment window, for flows outside a provider. */
  lock?: WindowLock;
}

const MARK = 'data-portone-kit';

export const registry = (): Registry =>
  ((window as unknown as Record<symbol, Registry>)[Symbol.for('portone-kit.loader')] ??= { loads: new Map() });

const currentImp = (): Imp | undefined => {
  const imp = (window as { IMP?: Imp }).IMP;
  return typeof imp?.request_pay === 'function' ? imp : undefined;
};

// Written for size: the loader, validators and interpreters share a 1.5 kB budget.
function tryOnce(src: string, options: LoadPortoneOptions, attempt: number, load: Load): Promise<Imp> {
  return new Promise((resolve, reject) => {
    // A tag for this src already in the page (from the HTML or a framework's <Script>) is waited on, not doubled.
    let tag = [...document.scripts].find((script) => script.getAttribute(MARK) === src || script.src === src);
    if (!tag) {
      tag = document.createElement('script');
      // A failed response may be cached: later tries ask for a fresh copy.
      tag.src = attempt > 1 ? `${src}${src.includes('?') ? '&' : '?'}portone_kit_retry=${attempt}` : src;
      tag.setAttribute(MARK, src);
      for (const key of ['nonce', 'integrity', 'crossOrigin'] as const) if (options[key]) tag[key] = options[key];
      document.head.append(tag);
    }
    const script = tag;
    load.script = script;
    const timeoutMs = options.timeoutMs ?? 12_000;
    const settle = (code?: PortoneLoadErrorCode, problem?: string) => {
      clearTimeout(timer);
      const imp = currentImp();
      if (!code && imp) return resolve(imp);
      script.remove();
      reject(
        new PortoneLoadError(
          code ?? 'sdk-missing',
          `PortOne SDK ${src} ${problem ?? 'defined no window.IMP'}`,
          attempt,
        ),
      );
    };
    const timer = setTimeout(settle, timeoutMs, 'timeout', `did not load within ${timeoutMs} ms`);
    script.addEventListener('load', () => settle());
    script.addEventListener('error', () => settle('load-failed', 'failed to load (network, CSP or a blocker)'));
  });
}

function loadSdk(src: string, options: LoadPortoneOptions): Promise<Imp> {
  const imp = currentImp();
  if (imp) return Promise.resolve(imp);
  const { loads } = registry();
  const known = loads.get(src);
  // Reuse a load in flight unless its tag was taken out of the page.
  if (known && known.script?.isConnected !== false) return known.promise;
  const load = { script: null } as Load;
  loads.set(src, load);
  load.promise = (async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await tryOnce(src, options, attempt, load);
      } catch (error) {
        load.script = null;
        if (attempt > (options.retries ?? 2)) {
          // A failure is never cached: the next call starts afresh.
          if (loads.get(src) === load) loads.delete(src);
          throw error;
        }
        const delay = (options.retryDelayMs ?? 500) * 2 ** attempt * (0.25 + Math.random() / 4);
        await new Promise((wake) => setTimeout(wake, delay));
      }
    }
  })();
  return load.promise;
}

/**
 * Loads PortOne's V1 SDK once per page and resolves its `IMP`, initialised for `merchantCode`
 * (`IMP.init` once per code, `IMP.agency` with a tier code, again when the code changes).
 * Rejects with a {@link PortoneLoadError}.
 */
export function loadPortone(options: LoadPortoneOptions): Promise<Imp> {
  const { merchantCode, tierCode } = options;
  if (typeof document === 'undefined') {
    return Promise.reject(
      new PortoneLoadError('not-in-browser', 'loadPortone needs a browser: call it from an effect'),
    );
  }
  if (!/^imp\d+$/.test(merchantCode)) {
    return Promise.reject(
      new PortoneLoadError('invalid-merchant-code', `merchant code "${merchantCode}" is not "imp" followed by digits`),
    );
  }
  // The executor turns a malformed src (new URL throws) into a rejection like any other failure.
  return new Promise<Imp>((resolve) =>
    resolve(loadSdk(new URL(options.src ?? DEFAULT_SDK_SRC, document.baseURI).href, options)),
  ).then((imp) => {
    const state = registry();
    const key = `${merchantCode}/${tierCode}`;
    if (state.initialised?.[0] !== imp || state.initialised[1] !== key) {
      if (tierCode) imp.agency(merchantCode, tierCode);
      else imp.init(merchantCode);
      state.initialised = [imp, key];
    }
    return imp;
  });
}

/**
 * Takes the SDK off the page: removes `window.IMP` and the tags this loader inserted, and forgets every
 * load, so that the next {@link loadPortone} starts afresh. For tests, stories and a page that must
 * switch SDKs; a payment window still open is left to itself.
 */
export function unloadPortone(): void {
  if (typeof document === 'undefined') return;
  for (const tag of document.querySelectorAll(`script[${MARK}]`)) tag.remove();
  delete (window as { IMP?: Imp }).IMP;
  delete (window as unknown as Record<symbol, Registry>)[Symbol.for('portone-kit.loader')];
}
