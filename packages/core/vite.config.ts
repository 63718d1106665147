import { libraryConfig } from '../../vite.library.ts';

// `rest` is types only (an empty module at run time); `calendar` is for servers. Neither is reachable from
// the main entry, so a browser bundle of the core stays as it was.
export default libraryConfig(import.meta.dirname, {
  entries: { index: 'src/index.ts', rest: 'src/rest/index.ts', calendar: 'src/calendar/index.ts' },
});
