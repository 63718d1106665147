import type { StorybookConfig } from '@storybook/react-vite';
import { sandboxMiddleware } from './sandbox-middleware.ts';

const config: StorybookConfig = {
  framework: '@storybook/react-vite',
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  viteFinal: (config) => ({
    ...config,
    plugins: [...(config.plugins ?? []), sandboxMiddleware()],
    // The stories take the packages from their sources: builds elsewhere in the workspace (the example shop's
    // dist, a package's dist, test output) must not reload the page a reader is on.
    server: {
      ...config.server,
      watch: {
        ...config.server?.watch,
        ignored: ['**/dist/**', '**/examples/**', '**/test-results/**', '**/.vitest-*/**', '**/storybook-static/**'],
      },
    },
    // Found up front, so that the first story does not wait for Vite to discover them and reload the page.
    optimizeDeps: {
      ...config.optimizeDeps,
      include: [...(config.optimizeDeps?.include ?? []), 'react', 'react-dom', 'react-dom/client'],
    },
  }),
  // Storybook shows its spinner only once its own script runs, which on a first visit waits for Vite to
  // transform the whole preview: until then the page stays blank. Show the spinner from the first paint.
  // The preview's own icon too, so that a page opened on iframe.html asks for no /favicon.ico that is not there.
  previewHead: (head) => `${head}
<link rel="icon" type="image/svg+xml" href="./favicon.svg" />
<style>
  body:not([class*='sb-show-']) > .sb-preparing-story { display: block; }
</style>`,
  features: {
    // A kit's Storybook, not a new project: no onboarding checklist in the sidebar or the menu.
    sidebarOnboardingChecklist: false,
    menuOnboardingChecklist: false,
  },
  core: {
    // Nothing here may reach the internet: no telemetry, no "what's new" fetches.
    disableTelemetry: true,
    disableWhatsNewNotifications: true,
  },
};

export default config;
