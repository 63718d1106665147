import { usePortone } from '@portone-kit/react';

// Your own markup on the hook. `pg` is left out: the kit sends 'mobilians'.
export function OwnPayButton({ merchantUid, amount }: { merchantUid: string; amount: number }) {
  const { sdk, pay } = usePortone({ merchantCode: 'imp12345678' });
  const onClick = () => {
    // No await before start: it opens the window in this click's task, or the PG's popup is blocked.
    void pay.start(
      { pay_method: 'card', merchant_uid: merchantUid, amount, buyer_tel: '010-1234-5678' },
      {
        verify: async (result) => {
          const response = await fetch(`/api/payments/${result.impUid}/verify`, { method: 'POST' });
          if (!response.ok) throw new Error('not verified');
        },
        onSettled: (outcome) => console.log(outcome.status), // also for a late answer after a timeout
      },
    );
  };
  // A payment your server could not confirm may be real: ask the server again, never open another window.
  const verificationFailed = pay.error?.kind === 'verification';
  return (
    <button
      type="button"
      onClick={verificationFailed ? () => void pay.reverify() : onClick}
      disabled={!sdk.isReady || pay.isInFlight || pay.isWindowOpen || pay.isSucceeded}
    >
      {pay.isSucceeded ? '결제 완료' : verificationFailed ? '결제 다시 확인하기' : '결제하기'}
    </button>
  );
}
