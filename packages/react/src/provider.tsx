import { createWindowLock, type WindowLock } from '@portone-kit/core';
import { createContext, type ReactNode, useContext, useState } from 'react';
import type { PortoneOptions } from './options.js';
import { createSdkStore, type SdkStore } from './sdk/sdk-store.js';
import { loadKeyOf, useLoad } from './sdk/use-sdk.js';

interface PortoneContextValue {
  options: PortoneOptions;
  sdk: SdkStore;
  lock: WindowLock;
}

const PortoneContext = createContext<PortoneContextValue | null>(null);

export interface PortoneProviderProps extends PortoneOptions {
  children?: ReactNode;
}

/**
 * Owns the SDK (one load, one status, one `retry()` for every hook and button below it) and the page's
 * one payment window (a start while it is open is refused as `busy`), and shares the merchant code and
 * options with them.
 */
export function PortoneProvider({ children, ...options }: PortoneProviderProps) {
  const [sdk] = useState(createSdkStore);
  const [lock] = useState(createWindowLock);
  useLoad(sdk, options);
  return <PortoneContext.Provider value={{ options, sdk, lock }}>{children}</PortoneContext.Provider>;
}

export interface ResolvedPortone {
  options: PortoneOptions;
  /** The provider's SDK, when the hook's own options load the same one. */
  sdk: SdkStore | null;
  lock: WindowLock | null;
}

/**
 * The provider's options overridden by the hook's own, and the provider's SDK and window when the hook
 * loads nothing else. Throws a message that says what to do when neither names a merchant.
 */
export function usePortoneContext(own: Partial<PortoneOptions> | undefined): ResolvedPortone {
  const shared = useContext(PortoneContext);
  const options = { ...shared?.options, ...own } as PortoneOptions;
  if (!options.merchantCode) {
    throw new Error(
      'usePortone needs a merchant code: wrap the part of your app that pays in <PortoneProvider merchantCode="imp…">, ' +
        'or pass { merchantCode: "imp…" } to usePortone() or to the button.',
    );
  }
  const same = shared !== null && loadKeyOf(shared.options) === loadKeyOf(options);
  return { options, sdk: same ? shared.sdk : null, lock: shared?.lock ?? null };
}
