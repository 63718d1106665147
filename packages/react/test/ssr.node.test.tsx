import { MobiliansPayButton, PortoneProvider, RedirectResultHandler, usePortone } from '@portone-kit/react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

const request = {
  pg: 'mobilians',
  pay_method: 'card',
  merchant_uid: 'order_0001',
  amount: 9900,
  buyer_tel: '010-1234-5678',
} as const;

function StatusProbe({ onStatus }: { onStatus: (status: string) => void }) {
  const { sdk, pay } = usePortone({ merchantCode: 'imp12345678' });
  onStatus(`${sdk.status}/${pay.status}`);
  return null;
}

describe('server rendering', () => {
  it('renders the button unavailable and loading, touching no window', () => {
    expect(typeof window).toBe('undefined');
    const html = renderToString(
      <PortoneProvider merchantCode="imp12345678">
        <MobiliansPayButton request={request} />
      </PortoneProvider>,
    );
    expect(html).toContain('type="button"');
    expect(html).toContain('aria-disabled="true"');
    expect(html).toContain('aria-busy="true"');
    expect(html).toContain('data-status="loading"');
    expect(html).toContain('결제하기');
    expect(html).toContain('role="status"');
  });

  it('renders the hook idle and the redirect page reading', () => {
    let status = '';
    renderToString(<StatusProbe onStatus={(seen) => (status = seen)} />);
    expect(status).toBe('idle/idle');
    expect(renderToString(<RedirectResultHandler verify={async () => 'ok'} />)).toContain('data-status="reading"');
  });
});
