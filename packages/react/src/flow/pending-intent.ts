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

const KEY = 'portone-kit:pending';

// Storage can be missing or refuse writes (private modes, quotas): the flow goes on without it.
function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

export function savePendingIntent(intent: PendingIntent): void {
  try {
    storage()?.setItem(KEY, JSON.stringify(intent));
  } catch {}
}

export function readPendingIntent(): PendingIntent | null {
  try {
    const value: unknown = JSON.parse(storage()?.getItem(KEY) ?? 'null');
    if (!value || typeof value !== 'object') return null;
    const intent = value as Partial<PendingIntent>;
    return (intent.flow === 'pay' || intent.flow === 'issueBillingKey') &&
      typeof intent.merchantUid === 'string' &&
      typeof intent.amount === 'number' &&
      typeof intent.returnPath === 'string'
      ? (intent as PendingIntent)
      : null;
  } catch {
    return null;
  }
}

export function clearPendingIntent(merchantUid?: string): void {
  if (merchantUid === undefined || readPendingIntent()?.merchantUid === merchantUid) {
    try {
      storage()?.removeItem(KEY);
    } catch {}
  }
}

/** Reads and writes small JSON records under the kit's prefix, never throwing. */
export const sessionRecord = {
  read<T>(key: string): T | null {
    try {
      return JSON.parse(storage()?.getItem(`portone-kit:${key}`) ?? 'null') as T | null;
    } catch {
      return null;
    }
  },
  write(key: string, value: unknown): void {
    try {
      storage()?.setItem(`portone-kit:${key}`, JSON.stringify(value));
    } catch {}
  },
  remove(key: string): void {
    try {
      storage()?.removeItem(`portone-kit:${key}`);
    } catch {}
  },
};
