import { libraryConfig } from '../../vite.library.ts';

export default libraryConfig(import.meta.dirname, {
  entries: { index: 'src/index.ts', node: 'src/node.ts', browser: 'src/browser.ts' },
});
