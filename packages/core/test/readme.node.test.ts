import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('the README', () => {
  it.each(['react-checkout.tsx', 'core-only.ts', 'server-verify.ts'])(
    'shows docs/snippets/%s, which the typecheck compiles',
    (file) => {
      const snippet = readFileSync(join(root, 'docs/snippets', file), 'utf8');
      expect(readme).toContain(snippet);
    },
  );

  it('names the two commands, and .ci/run runs the test one', () => {
    expect(readme).toContain('pnpm install && pnpm start');
    expect(readme).toContain('pnpm install && pnpm test');
    expect(readFileSync(join(root, '.ci/run'), 'utf8')).toMatch(/^pnpm test$/m);
  });
});
