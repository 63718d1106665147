import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The shop's front end. The server (src/server) is bundled apart by scripts/build-server.mjs.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  logLevel: 'warn',
  build: { outDir: 'dist/client', emptyOutDir: true, target: 'es2022' },
});
