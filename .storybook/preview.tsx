// The kit's optional stylesheet (`@portone-kit/react/styles.css` in an app), from its source as the stories
// take the packages: it styles only what carries its classes.
import '../packages/react/src/styles.css';
import './preview.css';
import type { Decorator, Preview } from '@storybook/react-vite';
import { forgetPortone, type StorySandbox, sandboxSdk } from '../stories/support/fake-portone.ts';

type Theme = 'light' | 'dark' | 'system';

/**
 * Light or dark around every story, from the toolbar (or a story's `globals`): `data-portone-kit-theme` is
 * the stylesheet's own switch; "system" leaves it to `prefers-color-scheme`, as a shop's page does.
 */
const withTheme: Decorator = (Story, { globals }) => {
  const theme: Theme = globals.theme === 'dark' || globals.theme === 'system' ? globals.theme : 'light';
  return (
    <div className="story-surface" data-portone-kit-theme={theme === 'system' ? undefined : theme}>
      <Story />
    </div>
  );
};

/**
 * The sandbox's fake SDK on the page, answering each story's orders as `parameters.sandbox` says. Done
 * while rendering, so that a docs page, which shows many stories at once, runs each on the sandbox too.
 */
const withSandbox: Decorator = (Story, { args, parameters, viewMode }) => {
  const setup = parameters.sandbox as StorySandbox | false | undefined;
  if (setup !== false) {
    const sdk = sandboxSdk();
    const request = (args as { request?: { merchant_uid?: unknown } }).request;
    // Only a play function answers a held window: on a docs page, where none runs, windows answer by themselves.
    const hold = Boolean(setup?.hold) && viewMode === 'story';
    if (typeof request?.merchant_uid === 'string') sdk.configure(request.merchant_uid, { ...setup, hold });
  }
  return <Story />;
};

const preview: Preview = {
  parameters: {
    // An accessibility violation fails the story's test, not just a panel warning.
    a11y: { test: 'error' },
    controls: { expanded: true },
    options: {
      storySort: {
        order: [
          'Docs',
          [
            'Quick start',
            'Verifying on the server',
            'Styling the button',
            "Billing keys and Mobilians' monthly rule",
            'Testing your app with the sandbox',
            'Next.js App Router',
            'Content Security Policy',
          ],
          'Components',
          'Hooks',
          'Flows',
          'Styling',
          'Playground',
        ],
      },
    },
  },
  globalTypes: {
    theme: {
      description: 'Light or dark, for the stylesheet',
      toolbar: {
        title: 'Theme',
        icon: 'contrast',
        items: [
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
          { value: 'system', title: 'As the system (prefers-color-scheme)' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light' },
  decorators: [withSandbox, withTheme],
  // Whatever a story left (the SDK, the fakes' payments, sessionStorage) goes with it.
  beforeEach: () => forgetPortone,
  tags: ['autodocs'],
};

export default preview;
