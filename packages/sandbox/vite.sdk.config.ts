import { join } from 'node:path';
import { defineConfig } from 'vite';

// The emulator's /v1/iamport.js: one classic script with everything inlined, as PortOne's SDK is.
export default defineConfig({
  root: import.meta.dirname,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    minify: true,
    target: 'es2020',
    lib: {
      entry: join(import.meta.dirname, 'src/browser-sdk.ts'),
      formats: ['iife'],
      name: 'PortoneSandboxSdk',
      fileName: () => 'sandbox-sdk.js',
    },
  },
});
