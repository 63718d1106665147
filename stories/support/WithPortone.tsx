import { PortoneProvider } from '@portone-kit/react';
import type { Decorator } from '@storybook/react-vite';
import { merchantCode } from './fake-portone';

/** Wraps a story in the provider every checkout has, with the stories' merchant code. */
export const withPortoneProvider: Decorator = (Story) => (
  <PortoneProvider merchantCode={merchantCode}>
    <Story />
  </PortoneProvider>
);
