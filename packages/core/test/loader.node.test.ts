import { loadPortone, PortoneLoadError } from '@portone-kit/core';
import { JSDOM } from 'jsdom';
import { afterEach, describe, expect, it } from 'vitest';

const globals = globalThis as Record<string | symbol, unknown>;

afterEach(() => {
  delete globals.window;
  delete globals.document;
});

describe('loadPortone outside a browser', () => {
  it('rejects with a typed not-in-browser error and touches no globals', async () => {
    const before = Reflect.ownKeys(globalThis);
    const failure = await loadPortone({ merchantCode: 'imp12345678' }).catch((error) => error);
    expect(failure).toBeInstanceOf(PortoneLoadError);
    expect(failure).toMatchObject({ code: 'not-in-browser', attempts: 0 });
    expect(Reflect.ownKeys(globalThis)).toEqual(before);
    expect(globals[Symbol.for('portone-kit.loader')]).toBeUndefined();
  });

  it('leaves nothing behind that breaks a later call in a browser', async () => {
    await loadPortone({ merchantCode: 'imp12345678' }).catch(() => undefined);
    const { window } = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
      url: 'https://shop.test/',
    });
    const inits: string[] = [];
    const imp = { init: (code: string) => inits.push(code), agency: () => {}, request_pay: () => {} };
    Object.assign(window, { IMP: imp });
    globals.window = window;
    globals.document = window.document;
    await expect(loadPortone({ merchantCode: 'imp12345678' })).resolves.toBe(imp);
    expect(inits).toEqual(['imp12345678']);
  });
});
