import type { SandboxBillingTerms } from './types.js';

// Korea has kept UTC+9 without daylight saving since 1988, so a fixed offset gives Seoul's calendar.
const SEOUL_OFFSET_MS = 9 * 60 * 60 * 1000;

export interface SeoulDate {
  year: number;
  /** 1 to 12. */
  month: number;
  day: number;
}

export function seoulDate(ms: number): SeoulDate {
  const date = new Date(ms + SEOUL_OFFSET_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** `YYYY-MM` of the Seoul calendar month that holds `ms`. */
export function seoulMonth(ms: number): string {
  const { year, month } = seoulDate(ms);
  return `${year}-${String(month).padStart(2, '0')}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Why KG Mobilians would decline a charge of `amount` on a billing key at `atMs`, or null when it passes.
 * The rule: every charge after the first has the first one's amount, falls on the first one's day of the
 * month (in Seoul), and comes at most once per calendar month. A month without that day (the 31st in
 * April, the 29th to 31st in February) counts its last day instead: UNCONFIRMED, PortOne's docs are silent.
 * A key with no first charge yet (issued with amount 0) accepts any charge, which then becomes the first.
 */
export function monthlyRuleViolation(terms: SandboxBillingTerms, amount: number, atMs: number): string | null {
  const { first } = terms;
  if (first === null) return null;
  const firstDate = seoulDate(first.paid_at * 1000);
  const date = seoulDate(atMs);
  const month = seoulMonth(atMs);
  if (amount !== first.amount) {
    return `KG모빌리언스 정기결제는 최초 결제와 같은 금액이어야 합니다 (최초 ${first.amount}원, 요청 ${amount}원)`;
  }
  if (month < seoulMonth(first.paid_at * 1000)) {
    return `KG모빌리언스 정기결제는 최초 결제(${seoulMonth(first.paid_at * 1000)}) 이전 달에 할 수 없습니다`;
  }
  if (terms.charged_months.includes(month)) {
    return `KG모빌리언스 정기결제는 한 달에 한 번입니다: ${month}에 이미 결제되었습니다`;
  }
  const dueDay = Math.min(firstDate.day, daysInMonth(date.year, date.month));
  if (date.day !== dueDay) {
    return `KG모빌리언스 정기결제는 최초 결제일과 같은 날이어야 합니다 (${month}의 결제일 ${dueDay}일, 요청 ${date.day}일)`;
  }
  return null;
}
