import type { PortoneLoadError } from '../loader/load-portone.js';

/** Where the SDK script stands: `idle` (no load asked yet), `loading`, `ready` (`IMP` initialised) or `error`. */
export type SdkStatus = 'idle' | 'loading' | 'ready' | 'error';

/** The SDK's status, with the {@link PortoneLoadError} when it is `error`. */
export type SdkState =
  | { status: 'idle' | 'loading' | 'ready'; error: null }
  | { status: 'error'; error: PortoneLoadError };

/**
 * What moves {@link sdkReducer}: `load` (a load, a retry or a re-init starts), then `loaded` or `failed`,
 * which count only while `loading`.
 */
export type SdkEvent = { type: 'load' } | { type: 'loaded' } | { type: 'failed'; error: PortoneLoadError };

/** Where the SDK starts: `idle`, no error. */
export const initialSdkState: SdkState = { status: 'idle', error: null };

/**
 * `idle -> loading -> ready | error`; `load` again from `error` is a retry, and from `ready` a re-init
 * for another merchant code (the SDK may lose a payment requested before it is ready again).
 * Pure: the hook does the loading.
 */
export function sdkReducer(state: SdkState, event: SdkEvent): SdkState {
  switch (event.type) {
    case 'load':
      return state.status === 'loading' ? state : { status: 'loading', error: null };
    case 'loaded':
      return state.status === 'loading' ? { status: 'ready', error: null } : state;
    case 'failed':
      return state.status === 'loading' ? { status: 'error', error: event.error } : state;
  }
}
