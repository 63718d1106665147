import type { PaymentRequest } from '@portone-kit/core';
import { MobiliansPayButton, PortoneProvider, RedirectResultHandler } from '@portone-kit/react';
import { useEffect, useState } from 'react';

export interface MobileRedirectProps {
  request: PaymentRequest;
  verify: (result: { impUid: string }) => Promise<unknown>;
}

/** The event the story's fake IMP sends instead of leaving the page for m_redirect_url. */
export const NAVIGATE_EVENT = 'portone-sandbox:navigate';

/**
 * The mobile path in one frame: the button saves the intent and the fake "leaves the page" for
 * m_redirect_url; instead of navigating, the story shows the redirect page for the URL PortOne would open.
 */
export function MobileRedirect({ request, verify }: MobileRedirectProps) {
  const [landedOn, setLandedOn] = useState<string | null>(null);
  useEffect(() => {
    const land = (event: Event) => setLandedOn((event as CustomEvent<string>).detail);
    window.addEventListener(NAVIGATE_EVENT, land);
    return () => window.removeEventListener(NAVIGATE_EVENT, land);
  }, []);
  if (landedOn) {
    return (
      <section aria-label="m_redirect_url 페이지">
        <p style={{ fontFamily: 'ui-monospace, monospace', fontSize: 12, wordBreak: 'break-all' }}>{landedOn}</p>
        <RedirectResultHandler url={landedOn} verify={verify} />
      </section>
    );
  }
  return (
    <PortoneProvider merchantCode="imp12345678" mobile>
      <MobiliansPayButton request={{ ...request, m_redirect_url: 'https://shop.example/pay/return?from=app' }} />
    </PortoneProvider>
  );
}
