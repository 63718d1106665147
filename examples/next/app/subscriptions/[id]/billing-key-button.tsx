'use client';
import type { MobiliansPg } from '@portone-kit/core';
import { MobiliansPayButton } from '@portone-kit/react';
import type { PaymentSyncAnswer, Subscription } from 'example-shop/api';
import { useRouter } from 'next/navigation';
import { won } from '@/lib/ui';
import { verifyOnServer } from '@/lib/verify';

/**
 * Issues the subscription's billing key in the phone window (`customerUid` makes the button a billing-key
 * flow). The server verifies the issuing payment and activates the subscription; the page renders again.
 */
export function BillingKeyButton({
  subscription,
  billingPg,
  returnUrl,
}: {
  subscription: Subscription;
  billingPg: string;
  returnUrl: string;
}) {
  const router = useRouter();
  return (
    <section aria-labelledby="issue-title" className="pay">
      <h2 id="issue-title">정기결제 등록</h2>
      <p>휴대폰 인증으로 빌링키를 발급하고, 첫 달 요금 {won(subscription.amount)}을 결제합니다.</p>
      <MobiliansPayButton<PaymentSyncAnswer>
        className="primary"
        customerUid={subscription.customerUid}
        request={{
          pg: billingPg as MobiliansPg,
          pay_method: 'phone',
          merchant_uid: subscription.firstOrderUid,
          name: `${subscription.plan.name} 정기결제`,
          amount: subscription.amount,
          buyer_name: subscription.buyerName,
          buyer_tel: subscription.buyerTel,
          m_redirect_url: returnUrl,
        }}
        verify={verifyOnServer}
        onSuccess={() => router.refresh()}
        onFailure={() => router.refresh()}
      />
    </section>
  );
}
