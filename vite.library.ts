import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

interface PackageManifest {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface LibraryOptions {
  /** Entry points by output name, relative to the package folder. Default: `{ index: 'src/index.ts' }`. */
  entries?: Record<string, string>;
  /** Text placed before each output file, e.g. the React package's `"use client"` directive. */
  banner?: string;
}

/**
 * One library build shape for every package: unminified ESM (consumers minify), one file per entry,
 * every dependency and Node built-in left as an import.
 */
export function libraryConfig(packageDir: string, options: LibraryOptions = {}): UserConfig {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as PackageManifest;
  const external = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})];
  const entries = options.entries ?? { index: 'src/index.ts' };
  return defineConfig({
    root: packageDir,
    logLevel: 'warn',
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      minify: false,
      sourcemap: false,
      target: 'es2022',
      lib: {
        entry: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, join(packageDir, file)])),
        formats: ['es'],
      },
      rolldownOptions: {
        external: (id) => id.startsWith('node:') || external.some((name) => id === name || id.startsWith(`${name}/`)),
        output: {
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
          ...(options.banner ? { banner: options.banner } : {}),
        },
      },
    },
  });
}
