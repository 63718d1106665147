import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const packageDir = join(import.meta.dirname, '..');

/** Every `node:` module a source entry imports, following its relative imports (types left out). */
function nodeModulesReachedFrom(entry: string): string[] {
  const seen = new Set<string>();
  const found = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, typeOnly, specifier] of source.matchAll(/^(?:import|export)( type)?[^'";]*?from '([^']+)'/gms)) {
      if (typeOnly || !specifier) continue;
      if (specifier.startsWith('node:')) found.add(specifier);
      else if (specifier.startsWith('.')) visit(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
    }
  };
  visit(join(packageDir, 'src', entry));
  return [...found].sort();
}

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
      'bun',
      'browser',
      'node',
      'default',
    ]);
    // Runtimes with fetch get the fetch client; Node, its http module; a page, the guard that throws.
    for (const edge of ['workerd', 'edge-light', 'worker', 'deno', 'bun', 'default'] as const) {
      expect(manifest.exports['.'][edge]).toBe('./dist/index.js');
    }
    expect(manifest.exports['.'].browser).toBe('./dist/browser.js');
    expect(manifest.exports['.'].node).toBe('./dist/node.js');
    expect(manifest.sideEffects).toEqual(['./dist/browser.js']);
  });

  it('leaves the fetch entry free of node: modules, which edge runtimes do not have', () => {
    expect(nodeModulesReachedFrom('index.ts')).toEqual([]);
    expect(nodeModulesReachedFrom('node.ts')).toEqual(['node:http', 'node:https']);
  });

  it('throws a clear error as soon as a browser loads it', async () => {
    await expect(import('../src/browser.js')).rejects.toThrow(/runs on your server only.*imp_secret/);
  });
});
