import { initialSdkState, type LoadPortoneOptions, type PortoneLoadError, type SdkState } from '@portone-kit/core';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { createSdkStore, type SdkStore } from './sdk-store.js';

/**
 * The SDK script, as `usePortone().sdk` gives it: its status, the typed error, and `retry()`. `isLoading` is
 * also true before the load starts (`idle`).
 */
export interface SdkController {
  status: SdkState['status'];
  error: PortoneLoadError | null;
  isLoading: boolean;
  isReady: boolean;
  isError: boolean;
  /** Loads again after an error (for every hook and button that shares this SDK); does nothing otherwise. */
  retry(): void;
}

const serverState = (): SdkState => initialSdkState;

/** The options that decide a load: the same values always share one load. */
export function loadKeyOf(options: LoadPortoneOptions & { mobile?: unknown; windowTimeoutMs?: unknown }): string {
  const { mobile, windowTimeoutMs, ...load } = options;
  return JSON.stringify(load);
}

/** Loads into `store` on mount and whenever a load option changes. */
export function useLoad(store: SdkStore | null, options: LoadPortoneOptions): void {
  const key = loadKeyOf(options);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the options
  useEffect(() => store?.load(options), [store, key]);
}

/**
 * The SDK of the nearest provider, or (`shared` null, or other load options than the provider's) this
 * hook's own load of the page-wide loader.
 */
export function useSdk(shared: SdkStore | null, options: LoadPortoneOptions): { sdk: SdkController; store: SdkStore } {
  const [own] = useState(createSdkStore);
  const store = shared ?? own;
  useLoad(shared ? null : own, options);
  const state = useSyncExternalStore(store.subscribe, store.getState, serverState);
  const { status } = state;
  return {
    store,
    sdk: {
      status,
      error: state.error,
      isLoading: status === 'idle' || status === 'loading',
      isReady: status === 'ready',
      isError: status === 'error',
      retry: store.retry,
    },
  };
}
