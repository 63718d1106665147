import type { FlowKind, FlowOutcome } from '@portone-kit/core';
import { sessionRecord } from './pending-intent.js';

interface SettledRecord {
  flow: FlowKind;
  outcome: FlowOutcome;
}

const keyOf = (merchantUid: string) => `settled:${merchantUid}`;

/**
 * Keeps what the `m_redirect_url` page settled for an order this tab started, for the page the flow started
 * from (mobile round trip). A failure's `cause` is kept as its message: an Error does not survive JSON.
 */
export function saveSettledOutcome(merchantUid: string, flow: FlowKind, outcome: FlowOutcome): void {
  const kept =
    outcome.status === 'failed' && 'cause' in outcome.error
      ? { ...outcome, error: { ...outcome.error, cause: String(outcome.error.cause) } }
      : outcome;
  sessionRecord.write(keyOf(merchantUid), { flow, outcome: kept } satisfies SettledRecord);
}

/** The outcome kept for this order and flow, once: it is forgotten as it is read. */
export function takeSettledOutcome(merchantUid: string, flow: FlowKind): FlowOutcome | null {
  const record = sessionRecord.read<SettledRecord>(keyOf(merchantUid));
  if (record?.flow !== flow) return null;
  sessionRecord.remove(keyOf(merchantUid));
  return record.outcome;
}
