import type { StorybookConfig } from '@storybook/react-vite';
import { sandboxMiddleware } from './sandbox-middleware';

const config: StorybookConfig = {
  framework: '@storybook/react-vite',
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  viteFinal: (config) => ({ ...config, plugins: [...(config.plugins ?? []), sandboxMiddleware()] }),
  core: {
    // Nothing here may reach the internet: no telemetry, no "what's new" fetches.
    disableTelemetry: true,
    disableWhatsNewNotifications: true,
  },
};

export default config;
