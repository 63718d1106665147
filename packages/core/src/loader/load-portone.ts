import type { Imp } from '../request/types.js';

/** The V1 SDK on PortOne's CDN. Tests, stories and demos point `src` at the sandbox instead. */
export const DEFAULT_SDK_SRC = 'https://cdn.iamport.kr/v1/iamport.js';

export type PortoneLoadErrorCode =
  | 'not-in-browser'
  | 'invalid-merchant-code'
  | 'load-failed'
  | 'timeout'
  | 'sdk-missing';

/** Why the SDK could not be had. `attempts` counts the script loads tried (0 when none was). */
export class PortoneLoadError extends Error {
  override name = 'PortoneLoadError';
  constructor(
    readonly code: PortoneLoadErrorCode,
    message: string,
    readonly attempts = 0,
  ) {
    super(message);
  }
}

export interface LoadPortoneOptions {
  /** 고객사 식별코드 from the PortOne console: `imp` followed by digits. */
  merchantCode: string;
  /** Sub-merchant tier code: the SDK is then set up with `IMP.agency(merchantCode, tierCode)`. */
  tierCode?: string;
  /** Script URL. Default {@link DEFAULT_SDK_SRC}. */
  src?: string;
  /** CSP nonce, set as the element's `nonce` property. */
  nonce?: string;
  integrity?: string;
  crossOrigin?: 'anonymous' | 'use-credentials';
  /** Time allowed for one try. Default 12 000 ms. */
  timeoutMs?: number;
  /** Tries after the first one fails. Default 2. */
  retries?: number;
  /** Base of the exponential backoff between tries, jittered. Default 500 ms. */
  retryDelayMs?: number;
}

interface Load {
  promise: Promise<Imp>;
  /** The tag the current try waits on; `null` between tries. */
  script: HTMLScriptElement | null;
}

/**
 * Loader state lives on `window` under a registered symbol, so that two copies of this library in one
 * bundle share it; the tag it inserts carries the same mark.
 */
interface Registry {
  loads: Map<string, Load>;
  initialised: WeakMap<object, string>;
}

const REGISTRY = Symbol.for('portone-kit.loader');
const MARK = 'data-portone-kit';

const registry = (): Registry =>
  ((window as unknown as Record<symbol, Registry>)[REGISTRY] ??= { loads: new Map(), initialised: new WeakMap() });

const currentImp = (): Imp | undefined => {
  const imp = (window as { IMP?: Partial<Imp> }).IMP;
  return typeof imp?.request_pay === 'function' ? (imp as Imp) : undefined;
};

const findTag = (src: string): HTMLScriptElement | undefined =>
  [...document.scripts].find((tag) => tag.getAttribute(MARK) === src || tag.src === src);

function tryOnce(src: string, options: LoadPortoneOptions, attempt: number, load: Load): Promise<Imp> {
  return new Promise((resolve, reject) => {
    // A tag for this src already in the page (from the HTML or a framework's <Script>) is waited on, not doubled.
    let script = findTag(src);
    if (!script) {
      script = document.createElement('script');
      const url = new URL(src);
      // A failed response may be cached: later tries ask for a fresh copy.
      if (attempt > 1) url.searchParams.set('portone_kit_retry', String(attempt));
      script.src = url.href;
      script.async = true;
      script.setAttribute(MARK, src);
      if (options.nonce) script.nonce = options.nonce;
      if (options.integrity) script.integrity = options.integrity;
      if (options.crossOrigin) script.crossOrigin = options.crossOrigin;
      document.head.append(script);
    }
    const tag = script;
    load.script = tag;
    const settle = (error?: PortoneLoadError, imp?: Imp) => {
      clearTimeout(timer);
      tag.removeEventListener('load', onLoad);
      tag.removeEventListener('error', onError);
      if (imp) return resolve(imp);
      tag.remove();
      reject(error);
    };
    const onLoad = () => {
      const imp = currentImp();
      settle(
        imp ? undefined : new PortoneLoadError('sdk-missing', `${src} loaded but defined no window.IMP`, attempt),
        imp,
      );
    };
    const onError = () =>
      settle(
        new PortoneLoadError(
          'load-failed',
          `the PortOne SDK failed to load from ${src} (network, CSP or a blocker)`,
          attempt,
        ),
      );
    const timeoutMs = options.timeoutMs ?? 12_000;
    const timer = setTimeout(
      () =>
        settle(
          new PortoneLoadError('timeout', `the PortOne SDK did not load from ${src} within ${timeoutMs} ms`, attempt),
        ),
      timeoutMs,
    );
    tag.addEventListener('load', onLoad);
    tag.addEventListener('error', onError);
  });
}

function loadSdk(src: string, options: LoadPortoneOptions): Promise<Imp> {
  const { loads } = registry();
  const existing = loads.get(src);
  if (existing && (!existing.script || existing.script.isConnected)) return existing.promise;
  const imp = currentImp();
  if (imp) return Promise.resolve(imp);
  const load: Load = { script: null, promise: Promise.resolve() as unknown as Promise<Imp> };
  loads.set(src, load);
  load.promise = (async () => {
    const retries = options.retries ?? 2;
    for (let attempt = 1; ; attempt++) {
      try {
        return await tryOnce(src, options, attempt, load);
      } catch (error) {
        load.script = null;
        if (attempt > retries) {
          // A failure is never cached: the next call starts afresh.
          if (loads.get(src) === load) loads.delete(src);
          throw error;
        }
        const delay = (options.retryDelayMs ?? 500) * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
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
  if (typeof window === 'undefined' || typeof document === 'undefined') {
    return Promise.reject(
      new PortoneLoadError('not-in-browser', 'loadPortone needs a browser: call it from an effect or an event handler'),
    );
  }
  if (!/^imp\d+$/.test(merchantCode)) {
    return Promise.reject(
      new PortoneLoadError(
        'invalid-merchant-code',
        `"${merchantCode}" is not a merchant code: it is "imp" followed by digits, e.g. imp12345678`,
      ),
    );
  }
  let src: string;
  try {
    src = new URL(options.src ?? DEFAULT_SDK_SRC, document.baseURI).href;
  } catch {
    return Promise.reject(new PortoneLoadError('load-failed', `"${options.src}" is not a URL`));
  }
  return loadSdk(src, options).then((imp) => {
    const { initialised } = registry();
    const key = tierCode ? `${merchantCode}/${tierCode}` : merchantCode;
    if (initialised.get(imp) !== key) {
      if (tierCode) imp.agency(merchantCode, tierCode);
      else imp.init(merchantCode);
      initialised.set(imp, key);
    }
    return imp;
  });
}
