import type { FlowKind } from '@portone-kit/core';

/** What the page that opened the window remembers for the `m_redirect_url` page, in sessionStorage. */
export interface PendingIntent {
  flow: FlowKind;
  merchantUid: string;
  amount: number;
  customerUid: string | null;
  /** Path, query and hash of the page that started the flow. */
  returnPath: string;
  /** `Date.now()` when the window opened. */
  savedAt: number;
}

// Storage can be missing (a server), or refuse reads and writes (private modes, quotas): the flow goes on
// without it, so every access is one guarded call.
function withStorage<Value>(use: (storage: Storage) => Value): Value | null {
  try {
    return use(sessionStorage);
  } catch {
    return null;
  }
}

/** Small JSON records in this tab's sessionStorage under the kit's prefix; never throws. */
export const sessionRecord = {
  read: <Value>(key: string): Value | null =>
    withStorage((storage) => JSON.parse(storage.getItem(`portone-kit:${key}`) ?? 'null') as Value | null),
  write: (key: string, value: unknown): void =>
    void withStorage((storage) => storage.setItem(`portone-kit:${key}`, JSON.stringify(value))),
  remove: (key: string): void => void withStorage((storage) => storage.removeItem(`portone-kit:${key}`)),
};

export const savePendingIntent = (intent: PendingIntent): void => sessionRecord.write('pending', intent);

export function readPendingIntent(): PendingIntent | null {
  const intent = sessionRecord.read<Partial<PendingIntent>>('pending');
  return (intent?.flow === 'pay' || intent?.flow === 'issueBillingKey') &&
    typeof intent.merchantUid === 'string' &&
    typeof intent.amount === 'number' &&
    typeof intent.returnPath === 'string'
    ? (intent as PendingIntent)
    : null;
}

/** Forgets the intent, or only the one for this order. */
export function clearPendingIntent(merchantUid?: string): void {
  if (merchantUid === undefined || readPendingIntent()?.merchantUid === merchantUid) sessionRecord.remove('pending');
}
