import type { CompletedResult } from '@portone-kit/core';
import { MobiliansPayButton, PortoneProvider, RedirectResultHandler } from '@portone-kit/react';

// Your server checks the payment with PortOne's REST API; only then is a payment "succeeded".
async function verifyOnYourServer(result: CompletedResult) {
  const response = await fetch('/api/payments/verify', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ impUid: result.impUid, merchantUid: result.merchantUid }),
  });
  if (!response.ok) throw new Error('the server did not verify this payment');
  return response.json();
}

// Checkout page. `order` comes from your server, which made the merchant_uid and knows the amount.
export function Checkout({ order }: { order: { merchantUid: string; amount: number; tel: string } }) {
  return (
    <PortoneProvider merchantCode="imp12345678">
      <MobiliansPayButton
        request={{
          pg: 'mobilians',
          pay_method: 'card', // 'card' | 'trans' | 'phone'
          merchant_uid: order.merchantUid,
          name: '주문 결제',
          amount: order.amount, // an integer, never a string
          buyer_tel: order.tel, // required by Mobilians
          m_redirect_url: 'https://shop.example/pay/return', // mobile browsers come back here
        }}
        verify={verifyOnYourServer}
        onSuccess={() => location.assign(`/orders/${order.merchantUid}`)}
      />
    </PortoneProvider>
  );
}

// The m_redirect_url page, for mobile browsers: verifies once, then cleans the address bar.
export function PaymentReturn() {
  return <RedirectResultHandler verify={verifyOnYourServer} followReturnPath />;
}
