// Built as one classic script (dist/sandbox-sdk.js) and served by the emulator at /v1/iamport.js, so that
// loadPortone({ src }) loads it exactly as it loads PortOne's: it defines window.IMP and nothing else.
// The script's own URL says which emulator records the payments (the folder it is served from, so that
// a proxy may mount the emulator under a path) and, for tests and stories, what the buyer does:
// ?outcome=window|approve|decline|cancel&code=…&message=…&delay=ms&redirect=1|0
import { createFakeImp, type FakeOutcome } from './fake-imp.js';

const script = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;
const source = new URL(script?.src ?? window.location.href);
const query = source.searchParams;

function outcomeFrom(value: string | null): FakeOutcome | 'window' {
  switch (value) {
    case 'approve':
    case 'cancel':
      return { kind: value };
    case 'decline': {
      const code = query.get('code');
      const message = query.get('message');
      return { kind: 'decline', ...(code ? { code } : {}), ...(message ? { message } : {}) };
    }
    default:
      return 'window';
  }
}

// Mobile browsers leave the page for the window and come back to m_redirect_url, as PortOne's do.
const mobile = /Android|iPhone|iPad|iPod|Mobile/i.test(navigator.userAgent);
const redirect = query.get('redirect');

(window as unknown as { IMP: unknown }).IMP = createFakeImp({
  outcome: outcomeFrom(query.get('outcome')),
  server: new URL('..', source).href,
  redirect: redirect === null ? mobile : redirect === '1',
  delayMs: Number(query.get('delay') ?? '0') || 0,
});
