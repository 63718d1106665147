import {
  type Imp,
  initialSdkState,
  loadPortone,
  PortoneLoadError,
  type SdkEvent,
  type SdkState,
  sdkReducer,
} from '@portone-kit/core';
import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import type { PortoneOptions } from '../options.js';

export interface SdkController {
  status: SdkState['status'];
  error: PortoneLoadError | null;
  isLoading: boolean;
  isReady: boolean;
  isError: boolean;
  /** Loads again after an error; does nothing otherwise. */
  retry(): void;
}

/** Loads the SDK on mount (and again when a load option changes or after `retry`). */
export function useSdk(options: PortoneOptions): { sdk: SdkController; impRef: RefObject<Imp | null> } {
  const [state, setState] = useState<SdkState>(initialSdkState);
  const stateRef = useRef(state);
  const impRef = useRef<Imp | null>(null);
  const [generation, setGeneration] = useState(0);
  const send = useCallback((event: SdkEvent) => {
    const next = sdkReducer(stateRef.current, event);
    if (next !== stateRef.current) {
      stateRef.current = next;
      setState(next);
    }
  }, []);
  const { merchantCode, tierCode, src, nonce, integrity, crossOrigin, timeoutMs, retries, retryDelayMs } = options;

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is the retry trigger
  useEffect(() => {
    let active = true;
    send({ type: 'load' });
    // The loader shares one script and one promise per page: StrictMode's second run joins the first.
    loadPortone({ merchantCode, tierCode, src, nonce, integrity, crossOrigin, timeoutMs, retries, retryDelayMs }).then(
      (imp) => {
        if (!active) return;
        impRef.current = imp;
        send({ type: 'loaded' });
      },
      (error: unknown) => {
        if (!active) return;
        impRef.current = null;
        send({
          type: 'failed',
          error: error instanceof PortoneLoadError ? error : new PortoneLoadError('load-failed', String(error)),
        });
      },
    );
    return () => {
      active = false;
    };
  }, [merchantCode, tierCode, src, nonce, integrity, crossOrigin, timeoutMs, retries, retryDelayMs, generation, send]);

  const retry = useCallback(() => {
    if (stateRef.current.status === 'error') setGeneration((value) => value + 1);
  }, []);

  return {
    impRef,
    sdk: {
      status: state.status,
      error: state.error,
      isLoading: state.status === 'idle' || state.status === 'loading',
      isReady: state.status === 'ready',
      isError: state.status === 'error',
      retry,
    },
  };
}
