import { createFakeImp, type FakeImp, type FakeOutcome, type FakePortoneOptions } from '@portone-kit/sandbox';

/**
 * Puts a fresh fake IMP on the page for one story and forgets it after, so no story reaches PortOne.
 * An outcome answers by itself after `delayMs`; `'window'` opens the sandbox's payment window.
 */
/** Takes the SDK off the page and makes the loader forget it: the next load starts afresh. */
export function forgetPortone(): void {
  const page = window as unknown as Record<string | symbol, unknown>;
  delete page.IMP;
  delete page[Symbol.for('portone-kit.loader')];
}

export function withFakePortone(
  outcome: FakeOutcome | 'window' = { kind: 'approve' },
  delayMs = 300,
  more: FakePortoneOptions = {},
) {
  return () => {
    const imp: FakeImp = createFakeImp({ outcome, delayMs, ...more });
    Object.assign(window, { IMP: imp });
    return () => {
      forgetPortone();
      sessionStorage.clear();
    };
  };
}

export const merchantCode = 'imp12345678';

export const storyRequest = {
  pg: 'mobilians',
  pay_method: 'phone',
  merchant_uid: 'order_story_0001',
  name: '월간 구독',
  amount: 9900,
  buyer_tel: '010-1234-5678',
} as const;

/** A stand-in for the merchant's server check, as a story can have it. */
export const verifyOnServer = async (result: { impUid: string }) => {
  await new Promise((wait) => setTimeout(wait, 300));
  return { orderId: 'A-1001', impUid: result.impUid };
};
