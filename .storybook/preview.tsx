import type { Preview } from '@storybook/react-vite';

const preview: Preview = {
  parameters: {
    // An accessibility violation fails the story's test, not just a panel warning.
    a11y: { test: 'error' },
    controls: { expanded: true },
  },
  tags: ['autodocs'],
};

export default preview;
