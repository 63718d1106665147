import { loadPortone, PortoneLoadError } from '@portone-kit/core';
import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { hits, impCalls, resetPage, scriptUrl, tagsFor } from './support/loader-page.js';

const merchantCode = 'imp12345678';

afterEach(resetPage);

describe('loadPortone in Chromium', () => {
  it('inserts one script and makes one request for 20 concurrent calls, and inits once', async () => {
    const src = scriptUrl('/imp.js');
    const imps = await Promise.all(Array.from({ length: 20 }, () => loadPortone({ merchantCode, src })));
    expect(new Set(imps).size).toBe(1);
    expect(imps[0]).toBe((window as unknown as { IMP: unknown }).IMP);
    expect(tagsFor(src)).toHaveLength(1);
    expect(await hits(src)).toBe(1);
    expect(impCalls()).toEqual([['init', merchantCode]]);
  });

  it('inserts one script and inits once when StrictMode runs the effect twice', async () => {
    const src = scriptUrl('/imp.js');
    const loads: Promise<unknown>[] = [];
    function Checkout() {
      useEffect(() => {
        loads.push(loadPortone({ merchantCode, src }));
      }, []);
      return null;
    }
    const host = document.createElement('div');
    const root = createRoot(host);
    root.render(
      <StrictMode>
        <Checkout />
      </StrictMode>,
    );
    await expect.poll(() => loads.length).toBe(2);
    await Promise.all(loads);
    root.unmount();
    expect(tagsFor(src)).toHaveLength(1);
    expect(await hits(src)).toBe(1);
    expect(impCalls()).toEqual([['init', merchantCode]]);
  });

  it('retries after a 500 with a cache-busting parameter and ends ready', async () => {
    const src = scriptUrl('/flaky.js', { fail: '1' });
    const imp = await loadPortone({ merchantCode, src, retryDelayMs: 10 });
    expect(typeof imp.request_pay).toBe('function');
    expect(await hits(src)).toBe(2);
    const [tag] = tagsFor(src);
    expect(tagsFor(src)).toHaveLength(1);
    expect(new URL(tag?.src ?? '').searchParams.get('portone_kit_retry')).toBe('2');
  });

  it('gives up with a load-failed error after the retries, removes the tag, and does not cache the failure', async () => {
    const src = scriptUrl('/flaky.js', { fail: '3' });
    const failure = await loadPortone({ merchantCode, src, retries: 2, retryDelayMs: 10 }).catch((error) => error);
    expect(failure).toBeInstanceOf(PortoneLoadError);
    expect(failure).toMatchObject({ code: 'load-failed', attempts: 3 });
    expect(tagsFor(src)).toHaveLength(0);
    expect(await hits(src)).toBe(3);
    // The fourth request succeeds: a later call starts afresh instead of replaying the rejection.
    await expect(loadPortone({ merchantCode, src, retries: 0 })).resolves.toBeDefined();
    expect(await hits(src)).toBe(4);
  });

  it('ends in a timeout error when the script never answers', async () => {
    const src = scriptUrl('/hang.js');
    const failure = await loadPortone({ merchantCode, src, timeoutMs: 150, retries: 1, retryDelayMs: 10 }).catch(
      (error) => error,
    );
    expect(failure).toMatchObject({ name: 'PortoneLoadError', code: 'timeout', attempts: 2 });
    expect(failure.message).toContain('150 ms');
    expect(tagsFor(src)).toHaveLength(0);
  });

  it('reports a missing SDK when the script defines no IMP', async () => {
    const src = scriptUrl('/no-imp.js');
    const failure = await loadPortone({ merchantCode, src, retries: 0 }).catch((error) => error);
    expect(failure).toMatchObject({ code: 'sdk-missing' });
    expect(failure.message).toContain('window.IMP');
  });

  it('sets the nonce as a property, not as a data- attribute, and passes integrity and crossOrigin', async () => {
    const src = scriptUrl('/hang.js');
    const pending = loadPortone({
      merchantCode,
      src,
      nonce: 'n0nc3',
      integrity: 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC',
      crossOrigin: 'anonymous',
      timeoutMs: 100,
      retries: 0,
    }).catch(() => undefined);
    const [tag] = tagsFor(src);
    expect(tag?.nonce).toBe('n0nc3');
    expect(tag?.crossOrigin).toBe('anonymous');
    expect(tag?.integrity).toBe('sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC');
    expect(tag?.getAttributeNames().filter((name) => name.includes('nonce') && name.startsWith('data-'))).toEqual([]);
    await pending;
  });

  it('waits on a tag already in the page instead of adding another', async () => {
    const src = scriptUrl('/imp.js');
    const existing = document.createElement('script');
    existing.src = src;
    document.head.append(existing);
    await loadPortone({ merchantCode, src });
    expect(tagsFor(src)).toEqual([existing]);
    expect(await hits(src)).toBe(1);
  });

  it('inserts no script when window.IMP is already there', async () => {
    const src = scriptUrl('/imp.js');
    const calls: string[] = [];
    const imp = { init: (code: string) => calls.push(code), agency: () => {}, request_pay: () => {} };
    Object.assign(window, { IMP: imp });
    await expect(loadPortone({ merchantCode, src })).resolves.toBe(imp);
    expect(tagsFor(src)).toHaveLength(0);
    expect(calls).toEqual([merchantCode]);
  });

  it('shares one script between two copies of the library in one page', async () => {
    const copy = (await import(
      /* @vite-ignore */ `${new URL('../src/loader/load-portone.ts', import.meta.url).pathname}?second-copy`
    )) as typeof import('@portone-kit/core');
    expect(copy.loadPortone).not.toBe(loadPortone);
    const src = scriptUrl('/imp.js');
    await Promise.all([loadPortone({ merchantCode, src }), copy.loadPortone({ merchantCode, src })]);
    expect(tagsFor(src)).toHaveLength(1);
    expect(await hits(src)).toBe(1);
    expect(impCalls()).toEqual([['init', merchantCode]]);
  });

  it('starts a new load when the in-flight tag was removed from the page', async () => {
    const src = scriptUrl('/hang.js');
    const first = loadPortone({ merchantCode, src, timeoutMs: 300, retries: 0 }).catch((error) => error);
    const [tag] = tagsFor(src);
    tag?.remove();
    const second = loadPortone({ merchantCode, src, timeoutMs: 300, retries: 0 }).catch((error) => error);
    expect(tagsFor(src)).toHaveLength(1);
    expect(tagsFor(src)[0]).not.toBe(tag);
    await Promise.all([first, second]);
  });

  it('inits again when the merchant code changes, and uses agency for a tier code', async () => {
    const src = scriptUrl('/imp.js');
    await loadPortone({ merchantCode, src });
    await loadPortone({ merchantCode, src });
    await loadPortone({ merchantCode: 'imp87654321', src });
    await loadPortone({ merchantCode: 'imp87654321', tierCode: 'A1B', src });
    expect(impCalls()).toEqual([
      ['init', merchantCode],
      ['init', 'imp87654321'],
      ['agency', 'imp87654321', 'A1B'],
    ]);
    expect(tagsFor(src)).toHaveLength(1);
  });

  it('refuses a malformed merchant code before touching the page', async () => {
    const src = scriptUrl('/imp.js');
    const failure = await loadPortone({ merchantCode: 'imp_1234', src }).catch((error) => error);
    expect(failure).toMatchObject({ code: 'invalid-merchant-code', attempts: 0 });
    expect(failure.message).toContain('"imp" followed by digits');
    expect(tagsFor(src)).toHaveLength(0);
    expect(await hits(src)).toBe(0);
  });
});
