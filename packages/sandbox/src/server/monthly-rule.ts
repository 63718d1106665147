import { monthlyDueDay, seoulDate, seoulMonth } from '@portone-kit/core/calendar';
import type { SandboxBillingTerms } from './types.js';

/** `YYYY-MM` in Seoul of a time in milliseconds, as the sandbox clock gives it. */
export const seoulMonthAt = (ms: number): string => seoulMonth(new Date(ms));

/**
 * Why KG Mobilians would decline a charge of `amount` on a billing key at `atMs`, or null when it passes.
 * The rule: every charge after the first has the first one's amount, falls on the first one's day of the
 * month (in Seoul, see `monthlyDueDay` for short months), and comes at most once per calendar month.
 * A key with no first charge yet (issued with amount 0) accepts any charge, which then becomes the first.
 */
export function monthlyRuleViolation(terms: SandboxBillingTerms, amount: number, atMs: number): string | null {
  const { first } = terms;
  if (first === null) return null;
  if (amount !== first.amount) {
    return `KG모빌리언스 정기결제는 최초 결제와 같은 금액이어야 합니다 (최초 ${first.amount}원, 요청 ${amount}원)`;
  }
  const firstMonth = seoulMonthAt(first.paid_at * 1000);
  const month = seoulMonthAt(atMs);
  if (month < firstMonth) return `KG모빌리언스 정기결제는 최초 결제(${firstMonth}) 이전 달에 할 수 없습니다`;
  if (terms.charged_months.includes(month)) {
    return `KG모빌리언스 정기결제는 한 달에 한 번입니다: ${month}에 이미 결제되었습니다`;
  }
  const date = seoulDate(new Date(atMs));
  const dueDay = monthlyDueDay(seoulDate(new Date(first.paid_at * 1000)).day, date.year, date.month);
  if (date.day !== dueDay) {
    return `KG모빌리언스 정기결제는 최초 결제일과 같은 날이어야 합니다 (${month}의 결제일 ${dueDay}일, 요청 ${date.day}일)`;
  }
  return null;
}
