import { libraryConfig } from '../../vite.library.ts';

export default libraryConfig(import.meta.dirname, {
  entries: { index: 'src/index.ts', server: 'src/server.ts', cli: 'src/cli.ts' },
});
