import { sessionRecord } from './pending-intent.js';

/** How a verification ended, kept per `imp_uid` for the rest of the tab's session. */
export type VerificationRecord = { ok: true; verification: unknown } | { ok: false; message: string };

const inPage = new Map<string, Promise<VerificationRecord>>();

/**
 * Runs `verify` at most once per `imp_uid`: StrictMode's second effect and a second handler join the
 * first call, and after a reload or the back button the stored record answers instead.
 * The verification value is kept as JSON.
 */
export function verifyOnce(impUid: string, verify: () => unknown): Promise<VerificationRecord> {
  const key = `verified:${impUid}`;
  const stored = sessionRecord.read<VerificationRecord>(key);
  if (stored) return Promise.resolve(stored);
  let running = inPage.get(impUid);
  if (!running) {
    running = Promise.resolve()
      .then(verify)
      .then(
        (verification): VerificationRecord => ({ ok: true, verification }),
        (error: unknown): VerificationRecord => ({
          ok: false,
          message: error instanceof Error ? error.message : String(error),
        }),
      )
      .then((record) => {
        sessionRecord.write(key, record);
        return record;
      });
    inPage.set(impUid, running);
  }
  return running;
}
