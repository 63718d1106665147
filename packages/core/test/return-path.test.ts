import { safeReturnPath } from '@portone-kit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const origin = 'https://shop.example';

describe('safeReturnPath', () => {
  it('keeps a same-origin path with its query and fragment', () => {
    expect(safeReturnPath('/orders/1?x=1#y', origin)).toBe('/orders/1?x=1#y');
    expect(safeReturnPath('/', origin)).toBe('/');
    expect(safeReturnPath('/주문/1', origin)).toBe('/%EC%A3%BC%EB%AC%B8/1');
    expect(safeReturnPath('https://shop.example/orders/1', origin)).toBe('/orders/1');
  });

  it('gives the normalised path: dot segments resolved, %2e read as a dot, backslashes as slashes', () => {
    expect(safeReturnPath('/a/./b/../c', origin)).toBe('/a/c');
    expect(safeReturnPath('/a/%2e%2E/c', origin)).toBe('/c');
    expect(safeReturnPath('/a\\b', origin)).toBe('/a/b');
    expect(safeReturnPath('/../../orders/1', origin)).toBe('/orders/1');
  });

  it('refuses every path that leaves the site, before or after normalisation', () => {
    for (const path of [
      '/.//evil.example',
      '/a/..//evil.example',
      '/%2e//evil.example',
      '/%2E%2E//evil.example',
      '/./\\evil.example',
      '/.\\/evil.example',
      '/a/../\\evil.example',
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '\\/evil.example',
      '/\t/evil.example',
      ' //evil.example',
      '///evil.example',
      'https://evil.example/',
      'http://shop.example/',
      'https://shop.example.evil.example/',
      'https://shop.example@evil.example/',
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'blob:https://shop.example/0b3c7e0e-8d9b-4f4e-9a1b-3d8e5f0c1a2b',
    ]) {
      expect(safeReturnPath(path, origin), path).toBeNull();
    }
  });

  it('refuses nothing, an opaque origin or an unreadable origin, without throwing', () => {
    for (const path of [undefined, null, '']) expect(safeReturnPath(path, origin)).toBeNull();
    expect(safeReturnPath('/orders/1', 'null')).toBeNull();
    expect(safeReturnPath('/orders/1', 'file:///')).toBeNull();
    expect(safeReturnPath('/orders/1', '')).toBeNull();
    const hostile = {
      toString: () => {
        throw new Error('boom');
      },
    } as unknown as string;
    expect(safeReturnPath(hostile, origin)).toBeNull();
    expect(safeReturnPath('/orders/1', hostile)).toBeNull();
  });

  it('accepts the origin as location.origin gives it, or as an href', () => {
    expect(safeReturnPath('/orders/1', 'http://127.0.0.1:4300')).toBe('/orders/1');
    expect(safeReturnPath('http://127.0.0.1:4300/x', 'http://127.0.0.1:4300/pay/return?y=1')).toBe('/x');
    expect(safeReturnPath('http://127.0.0.1:4301/x', 'http://127.0.0.1:4300')).toBeNull();
  });

  it('always gives null or a same-origin path that starts with a single slash (property)', () => {
    const piece = fc.constantFrom(
      '/',
      '\\',
      '.',
      '..',
      '%2e',
      '%2E',
      '%2f',
      '%5c',
      'evil.example',
      ':',
      '@',
      '?',
      '#',
      '\t',
      ' ',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')),
          fc.string(),
          fc.webUrl(),
        ),
        (path) => {
          const result = safeReturnPath(path, origin);
          if (result === null) return;
          expect(result).toMatch(/^\/(?![/\\])/);
          const again = new URL(result, origin);
          expect(again.origin).toBe(origin);
          // Normalised: a second pass changes nothing.
          expect(safeReturnPath(result, origin)).toBe(result);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
