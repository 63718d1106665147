import { sessionRecord } from './pending-intent.js';

/** How a verification ended. Only a success is kept for the tab's session; `error` is the one thrown. */
export type VerificationRecord = { ok: true; verification: unknown } | { ok: false; error: unknown };

const inPage = new Map<string, Promise<VerificationRecord>>();

/**
 * Runs `verify` at most once per payment (its `imp_uid` and `merchant_uid` together): StrictMode's second
 * effect and a second handler join the first call, and after a reload or the back button a stored success
 * answers instead. A failure is not kept: the next visit asks the server again, as a network error may
 * have been all it was. The verification value is kept as JSON.
 */
export function verifyOnce(impUid: string, merchantUid: string, verify: () => unknown): Promise<VerificationRecord> {
  const key = `verified:${impUid}:${merchantUid}`;
  const stored = sessionRecord.read<VerificationRecord>(key);
  if (stored?.ok) return Promise.resolve(stored);
  let running = inPage.get(key);
  if (!running) {
    running = Promise.resolve()
      .then(verify)
      .then(
        (verification): VerificationRecord => {
          sessionRecord.write(key, { ok: true, verification });
          return { ok: true, verification };
        },
        (error: unknown): VerificationRecord => {
          inPage.delete(key);
          return { ok: false, error };
        },
      );
    inPage.set(key, running);
  }
  return running;
}
