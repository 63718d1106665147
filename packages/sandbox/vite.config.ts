import { libraryConfig } from '../../vite.library.ts';

export default libraryConfig(import.meta.dirname, {
  entries: { index: 'src/index.ts', server: 'src/server.ts', testing: 'src/testing.ts', cli: 'src/cli.ts' },
});
