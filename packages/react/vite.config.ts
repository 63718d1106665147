import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { libraryConfig } from '../../vite.library.ts';

/**
 * The optional stylesheet, `@portone-kit/react/styles.css`: copied into dist as written (consumers minify),
 * with an empty declaration beside it, so that TypeScript resolves `import '@portone-kit/react/styles.css'`
 * (`noUncheckedSideEffectImports`) with no `declare module '*.css'` of the app's own.
 */
const stylesheet = (): Plugin => ({
  name: 'portone-kit-stylesheet',
  generateBundle() {
    const source = readFileSync(join(import.meta.dirname, 'src/styles.css'), 'utf8');
    this.emitFile({ type: 'asset', fileName: 'styles.css', source });
    this.emitFile({ type: 'asset', fileName: 'styles.css.d.ts', source: 'export {};\n' });
  },
});

// Every module of this package uses hooks: the build keeps React Server Components from importing it as server code.
const config = libraryConfig(import.meta.dirname, { banner: '"use client";' });
export default { ...config, plugins: [...(config.plugins ?? []), stylesheet()] };
