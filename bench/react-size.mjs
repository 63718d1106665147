// Minified + gzipped size of a typical React import, ours beside the peer kits, measured the same way:
// esbuild bundles each entry for the browser with react and react-dom left external, then gzip -9.
// Run after `pnpm build`: `pnpm bench`. Prints figures; asserts nothing.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const entries = [
  {
    name: '@portone-kit/react (usePortone, MobiliansPayButton, RedirectResultHandler; with core)',
    code: `export { usePortone, MobiliansPayButton, RedirectResultHandler } from '@portone-kit/react';`,
  },
  {
    name: '@portone-kit/core (loader, validators, interpreters)',
    code: `export { loadPortone, validatePaymentRequest, validateBillingKeyRequest, interpretPaymentResponse, parseRedirectResult } from '@portone-kit/core';`,
  },
  {
    name: '@paypal/react-paypal-js (PayPalScriptProvider, PayPalButtons, usePayPalScriptReducer)',
    code: `export { PayPalScriptProvider, PayPalButtons, usePayPalScriptReducer } from '@paypal/react-paypal-js';`,
  },
  {
    name: '@stripe/react-stripe-js + loadStripe (Elements, PaymentElement, useStripe, useElements)',
    code: `export { Elements, PaymentElement, useStripe, useElements } from '@stripe/react-stripe-js'; export { loadStripe } from '@stripe/stripe-js';`,
  },
];

const rows = [];
for (const entry of entries) {
  const result = await build({
    stdin: { contents: entry.code, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['browser'],
    external: ['react', 'react-dom', 'react/jsx-runtime'],
    define: { 'process.env.NODE_ENV': '"production"' },
    // The built packages, as users get them (not the sources the tsconfig paths point at).
    tsconfigRaw: {},
    alias: {
      '@portone-kit/react': './packages/react/dist/index.js',
      '@portone-kit/core': './packages/core/dist/index.js',
    },
    write: false,
    logLevel: 'error',
  });
  const bytes = result.outputFiles[0].contents;

  rows.push({ name: entry.name, minified: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length });
}

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;
console.log('Typical import, minified and gzipped (react external):');
for (const row of rows) console.log(`  ${kb(row.gzipped).padStart(9)}  (${kb(row.minified)} min)  ${row.name}`);

// Where our typical import's bytes go, module by module: the same import bundled from the sources (the
// builds are one file per package), minified bytes, and the gzipped total shared out in proportion (gzip
// works across modules, so a module's share is an estimate, not a separate measure).
const fromSources = await build({
  stdin: { contents: entries[0].code, resolveDir: process.cwd(), loader: 'js' },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  jsx: 'automatic',
  external: ['react', 'react-dom', 'react/jsx-runtime'],
  define: { 'process.env.NODE_ENV': '"production"' },
  tsconfigRaw: {},
  alias: {
    '@portone-kit/react': './packages/react/src/index.ts',
    '@portone-kit/core': './packages/core/src/index.ts',
  },
  write: false,
  metafile: true,
  logLevel: 'error',
});
const breakdown = {
  bytes: fromSources.outputFiles[0].contents,
  output: Object.values(fromSources.metafile.outputs)[0],
};
const total = gzipSync(breakdown.bytes, { level: 9 }).length;
const minified = breakdown.bytes.length;
console.log(`\nOur typical import by module (${kb(total)} gzipped in all; share of it by minified size):`);
for (const [file, input] of Object.entries(breakdown.output.inputs).sort(
  (a, b) => b[1].bytesInOutput - a[1].bytesInOutput,
)) {
  if (input.bytesInOutput === 0) continue;
  const share = Math.round((total * input.bytesInOutput) / minified);
  console.log(`  ${String(share).padStart(5)} B  (${String(input.bytesInOutput).padStart(5)} B min)  ${file}`);
}
