import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const packageDir = join(import.meta.dirname, '..');

describe('the browser entry of @portone-kit/server', () => {
  it('is what the browser condition of the exports map resolves to', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    // Edge runtimes also match `browser`: their own conditions come first and get the real client.
    expect(Object.keys(manifest.exports['.'])).toEqual([
      'types',
      'workerd',
      'edge-light',
      'worker',
      'deno',
      'browser',
      'default',
    ]);
    for (const edge of ['workerd', 'edge-light', 'worker', 'deno'] as const) {
      expect(manifest.exports['.'][edge]).toBe('./dist/index.js');
    }
    expect(manifest.exports['.'].browser).toBe('./dist/browser.js');
    expect(manifest.sideEffects).toEqual(['./dist/browser.js']);
  });

  it('throws a clear error as soon as a browser loads it', async () => {
    await expect(import('../src/browser.js')).rejects.toThrow(/runs on your server only.*imp_secret/);
  });
});
