import { PortoneProvider, type PortoneProviderProps } from '@portone-kit/react';
import type { Decorator } from '@storybook/react-vite';
import { merchantCode } from './fake-portone';

/**
 * Wraps a story in the provider every checkout has, with the stories' merchant code and whatever
 * `parameters.portoneProvider` adds (a `src` that fails, a `windowTimeoutMs`, …).
 */
export const withPortoneProvider: Decorator = (Story, { parameters }) => (
  <PortoneProvider
    merchantCode={merchantCode}
    {...(parameters.portoneProvider as Partial<PortoneProviderProps> | undefined)}
  >
    <Story />
  </PortoneProvider>
);
