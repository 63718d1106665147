import { join } from 'node:path';
import type { EmulatorCommands } from '@portone-kit/sandbox/testing';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';

const root = import.meta.dirname;

// The browser tests' emulator commands, from the sandbox's public testing entry (its build, as Node loads
// this config). Imported when a test first calls one, so that the config, and every project that needs no
// command, also loads before `pnpm build`.
const sandboxTesting = () => import('@portone-kit/sandbox/testing');
const emulatorCommands: EmulatorCommands = {
  sandboxRest: async (...args) => (await sandboxTesting()).emulatorCommands.sandboxRest(...args),
  sandboxFault: async (...args) => (await sandboxTesting()).emulatorCommands.sandboxFault(...args),
};

const chromium = playwright({
  launchOptions: {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    // Playwright turns Chromium's popup blocker off; the popup tests need it on, as buyers have it.
    ignoreDefaultArgs: ['--disable-popup-blocking'],
  },
});

// A fresh object per project: Vitest names each browser instance after the project that owns it.
const browser = () => ({
  enabled: true,
  headless: true,
  provider: chromium,
  instances: [{ browser: 'chromium' as const }],
});

// Sources, not builds: tests, stories and the typecheck see the workspace packages as they are written.
const entries: Record<string, string> = {
  '@portone-kit/core': 'packages/core/src/index.ts',
  '@portone-kit/core/rest': 'packages/core/src/rest/index.ts',
  '@portone-kit/core/calendar': 'packages/core/src/calendar/index.ts',
  '@portone-kit/react': 'packages/react/src/index.ts',
  '@portone-kit/server': 'packages/server/src/index.ts',
  '@portone-kit/sandbox': 'packages/sandbox/src/index.ts',
  '@portone-kit/sandbox/server': 'packages/sandbox/src/server.ts',
  '@portone-kit/sandbox/testing': 'packages/sandbox/src/testing.ts',
};
// Exact matches: '@portone-kit/sandbox' must not swallow '@portone-kit/sandbox/server'.
const alias = Object.entries(entries).map(([name, file]) => ({
  find: new RegExp(`^${name}$`),
  replacement: join(root, file),
}));

export default defineConfig({
  plugins: [react()],
  resolve: { alias },
  server: { host: '127.0.0.1' },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'jsdom',
          setupFiles: ['scripts/vitest/dom-setup.ts'],
          testTimeout: 30_000,
          include: ['packages/*/test/**/*.test.{ts,tsx}'],
          exclude: ['**/*.node.test.*', '**/*.browser.test.*'],
        },
      },
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['packages/*/test/**/*.node.test.{ts,tsx}'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['packages/*/test/**/*.browser.test.{ts,tsx}'],
          globalSetup: [
            'packages/core/test/support/script-server.ts',
            'packages/sandbox/test/support/emulator-setup.ts',
          ],
          browser: { ...browser(), commands: emulatorCommands },
        },
      },
      {
        extends: true,
        plugins: [storybookTest({ configDir: join(root, '.storybook') })],
        test: {
          name: 'storybook',
          browser: browser(),
        },
      },
    ],
  },
});
