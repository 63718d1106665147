import { createContext, type ReactNode, useContext } from 'react';
import type { PortoneOptions } from './options.js';

const PortoneContext = createContext<Partial<PortoneOptions> | null>(null);

export interface PortoneProviderProps extends PortoneOptions {
  children?: ReactNode;
}

/** Shares the merchant code and SDK options with every `usePortone` and payment button below it. */
export function PortoneProvider({ children, ...options }: PortoneProviderProps) {
  return <PortoneContext.Provider value={options}>{children}</PortoneContext.Provider>;
}

/** The provider's options overridden by the hook's own; throws a message that says what to do when neither names a merchant. */
export function usePortoneOptions(own: Partial<PortoneOptions> | undefined): PortoneOptions {
  const shared = useContext(PortoneContext);
  const options = { ...shared, ...own };
  if (!options.merchantCode) {
    throw new Error(
      'usePortone needs a merchant code: wrap the part of your app that pays in <PortoneProvider merchantCode="imp…">, ' +
        'or pass { merchantCode: "imp…" } to usePortone() or to the button.',
    );
  }
  return options as PortoneOptions;
}
