import {
  type Imp,
  initialSdkState,
  type LoadPortoneOptions,
  loadPortone,
  PortoneLoadError,
  type SdkState,
  sdkReducer,
} from '@portone-kit/core';

/** One SDK load and its status, shared by every hook and button that reads it (a provider's, or a hook's own). */
export interface SdkStore {
  getState(): SdkState;
  /** The initialised `IMP`, once `ready`. */
  imp(): Imp | null;
  subscribe(listener: () => void): () => void;
  /** Loads with these options; the returned function makes a load still in flight change nothing. */
  load(options: LoadPortoneOptions): () => void;
  /** Loads again after an error, with the last options; does nothing otherwise. */
  retry(): void;
}

export function createSdkStore(): SdkStore {
  let state: SdkState = initialSdkState;
  let imp: Imp | null = null;
  let last: LoadPortoneOptions | undefined;
  let current = 0;
  const listeners = new Set<() => void>();
  const send = (next: SdkState) => {
    if (next === state) return;
    state = next;
    for (const listener of listeners) listener();
  };
  const store: SdkStore = {
    getState: () => state,
    imp: () => imp,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load(options) {
      last = options;
      const load = ++current;
      send(sdkReducer(state, { type: 'load' }));
      // The loader shares one script and one promise per page: StrictMode's second run joins the first.
      loadPortone(options).then(
        (loaded) => {
          if (load !== current) return;
          imp = loaded;
          send(sdkReducer(state, { type: 'loaded' }));
        },
        (error: unknown) => {
          if (load !== current) return;
          imp = null;
          const typed = error instanceof PortoneLoadError ? error : new PortoneLoadError('load-failed', String(error));
          send(sdkReducer(state, { type: 'failed', error: typed }));
        },
      );
      return () => {
        if (load === current) current++;
      };
    },
    retry() {
      if (state.status === 'error' && last) store.load(last);
    },
  };
  return store;
}
