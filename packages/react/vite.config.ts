import { libraryConfig } from '../../vite.library.ts';

// Every module of this package uses hooks: the build keeps React Server Components from importing it as server code.
export default libraryConfig(import.meta.dirname, { banner: '"use client";' });
