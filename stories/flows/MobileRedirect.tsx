import type { CompletedResult, PaymentRequest } from '@portone-kit/core';
import {
  MobiliansPayButton,
  type MobiliansPayButtonProps,
  PortoneProvider,
  RedirectResultHandler,
} from '@portone-kit/react';
import { type MouseEvent, useEffect, useState } from 'react';
import { NAVIGATE_EVENT } from '../support/fake-portone';

export interface MobileRedirectProps {
  /** The checkout's order; the story adds `m_redirect_url`. */
  request: PaymentRequest;
  /** Your server's check, on the m_redirect_url page (the checkout never sees the window's answer). */
  verify: (result: CompletedResult) => Promise<unknown>;
  /** The checkout's callbacks: called once, back on the checkout, with the outcome the return page settled. */
  onSuccess?: MobiliansPayButtonProps['onSuccess'];
  onFailure?: MobiliansPayButtonProps['onFailure'];
  onCancel?: MobiliansPayButtonProps['onCancel'];
}

const RETURN_URL = 'https://shop.example/pay/return?from=app';

/**
 * A phone's round trip in one frame: the checkout saves the intent and the fake SDK "leaves the page" for
 * m_redirect_url; the story then shows the return page for the URL PortOne would open, and its link back
 * shows the checkout again, as the browser would load it. Only this story's order moves it (a docs page
 * shows several).
 */
export function MobileRedirect({ request, verify, onSuccess, onFailure, onCancel }: MobileRedirectProps) {
  const [page, setPage] = useState<{ at: 'checkout' } | { at: 'return'; url: string }>({ at: 'checkout' });
  useEffect(() => {
    const land = (event: Event) => {
      const url = (event as CustomEvent<string>).detail;
      if (new URL(url).searchParams.get('merchant_uid') === request.merchant_uid) setPage({ at: 'return', url });
    };
    window.addEventListener(NAVIGATE_EVENT, land);
    return () => window.removeEventListener(NAVIGATE_EVENT, land);
  }, [request.merchant_uid]);

  if (page.at === 'return') {
    // The link back is an ordinary <a href> to the checkout; in the story it shows the checkout again.
    const back = (event: MouseEvent) => {
      if (!(event.target instanceof Element) || !event.target.closest('a')) return;
      event.preventDefault();
      setPage({ at: 'checkout' });
    };
    return (
      // An article, not a landmark: a docs page shows several of these side by side.
      // biome-ignore lint/a11y/useKeyWithClickEvents: catches the link's clicks; a link's Enter is a click
      <article aria-label="m_redirect_url 페이지" onClick={back}>
        <p style={{ fontFamily: 'ui-monospace, monospace', fontSize: 12, wordBreak: 'break-all' }}>{page.url}</p>
        <div className="portone-kit-result">
          <RedirectResultHandler url={page.url} verify={verify} />
        </div>
      </article>
    );
  }
  return (
    <article aria-label="주문서">
      <PortoneProvider merchantCode="imp12345678" mobile>
        <MobiliansPayButton
          className="portone-kit-button"
          request={{ ...request, m_redirect_url: RETURN_URL }}
          onSuccess={onSuccess}
          onFailure={onFailure}
          onCancel={onCancel}
        />
      </PortoneProvider>
    </article>
  );
}
