import { libraryConfig } from '../../vite.library.ts';

export default libraryConfig(import.meta.dirname);
