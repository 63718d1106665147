import { monthKey, monthlyDueDay, type SeoulDate, seoulDate, seoulInstant } from '@portone-kit/core/calendar';
import type { Payment } from './types.js';

// KG Mobilians' recurring rule, on the Seoul calendar the sandbox reckons with too (`@portone-kit/core/calendar`).
export { monthlyDueDay, type SeoulDate, seoulDate };

/** A billing key's first paid charge, which fixes the amount and the day of every later one. */
export interface FirstCharge {
  amount: number;
  paidAt: Date;
}

/** The first charge as PortOne reports it: a paid payment, its `paid_at` in UNIX seconds. */
export function firstChargeOf(payment: Pick<Payment, 'amount' | 'paid_at' | 'status'>): FirstCharge {
  if (payment.status !== 'paid' || !payment.paid_at) {
    throw new RangeError(`the first charge must be a paid payment (this one is ${payment.status})`);
  }
  return { amount: payment.amount, paidAt: new Date(payment.paid_at * 1000) };
}

/** Options of {@link checkMonthlyCharge}: how far from its due day a charge may fall. */
export interface MonthlyRuleOptions {
  /**
   * How many days a charge may fall from its due day, within the same month. Default 0, which is what
   * PortOne's current guides say ("same day"); an older iamport manual allowed 5 ("오차 5일 내").
   */
  toleranceDays?: number;
}

/** One way a planned charge breaks the rule. */
export type MonthlyRuleProblem =
  | { rule: 'amount'; expected: number; actual: number; message: string }
  | { rule: 'month'; firstMonth: string; month: string; message: string }
  | { rule: 'day'; dueDay: number; day: number; toleranceDays: number; message: string };

/**
 * What {@link checkMonthlyCharge} finds: `ok`, or every problem; either way the charge's due date, in the
 * planned charge's month on the Seoul calendar.
 */
export type MonthlyRuleCheck =
  | { ok: true; dueDate: SeoulDate }
  | { ok: false; dueDate: SeoulDate; problems: MonthlyRuleProblem[] };

/**
 * Checks a planned charge on a KG Mobilians billing key against the key's first charge: the same amount,
 * on the same day of the month in Seoul (see {@link monthlyDueDay} for short months), in a month after the
 * first one's. Once a month is on the merchant: this check cannot see past charges. (That Mobilians
 * declines a second charge in a month is our reading of its rule, not something PortOne documents.)
 */
export function checkMonthlyCharge(
  first: FirstCharge,
  planned: { amount: number; at: Date },
  options: MonthlyRuleOptions = {},
): MonthlyRuleCheck {
  const toleranceDays = options.toleranceDays ?? 0;
  if (!(Number.isInteger(toleranceDays) && toleranceDays >= 0)) {
    throw new RangeError(`toleranceDays must be a whole number of days, at least 0 (got ${toleranceDays})`);
  }
  const firstDate = seoulDate(first.paidAt);
  const date = seoulDate(planned.at);
  const dueDay = monthlyDueDay(firstDate.day, date.year, date.month);
  const dueDate = { year: date.year, month: date.month, day: dueDay };
  const problems: MonthlyRuleProblem[] = [];
  if (planned.amount !== first.amount) {
    problems.push({
      rule: 'amount',
      expected: first.amount,
      actual: planned.amount,
      message: `a recurring charge must have the first charge's amount (${first.amount}, planned ${planned.amount})`,
    });
  }
  const firstMonth = monthKey(firstDate);
  const month = monthKey(date);
  if (month <= firstMonth) {
    problems.push({
      rule: 'month',
      firstMonth,
      month,
      message: `a recurring charge must fall in a month after the first charge's (${firstMonth}), not ${month}`,
    });
  }
  if (Math.abs(date.day - dueDay) > toleranceDays) {
    problems.push({
      rule: 'day',
      dueDay,
      day: date.day,
      toleranceDays,
      message:
        `a recurring charge in ${month} is due on day ${dueDay}` +
        `${toleranceDays > 0 ? ` (± ${toleranceDays})` : ''}, not day ${date.day} (Asia/Seoul)`,
    });
  }
  return problems.length === 0 ? { ok: true, dueDate } : { ok: false, dueDate, problems };
}

/**
 * What {@link planMonthlyCharges} plans from: the first charge, how many charges, from when, and the time of
 * day in Seoul (`hour` and `minute`, default 10:00).
 */
export interface MonthlyPlanOptions {
  first: FirstCharge;
  /** How many monthly charges to plan. */
  count: number;
  /** No charge before this time. Default: the first charge's time; the plan starts the month after it. */
  from?: Date;
  /**
   * The time of day in Seoul of each charge. Default 10:00: the middle of the day leaves room for a
   * schedule that runs late, and the day is what the rule checks.
   */
  hour?: number;
  minute?: number;
}

/** One charge of a monthly plan. */
export interface PlannedCharge {
  at: Date;
  amount: number;
  /** `YYYY-MM` in Seoul. */
  month: string;
}

/**
 * Plans `count` monthly charges that pass {@link checkMonthlyCharge} with no tolerance: the first charge's
 * amount, on its day of the month (the last day in shorter months), one per month, from the month after
 * the first charge (or the first due date at or after `from`). Feed them to `scheduleCharges`.
 */
export function planMonthlyCharges(options: MonthlyPlanOptions): PlannedCharge[] {
  const { first, count } = options;
  const hour = options.hour ?? 10;
  const minute = options.minute ?? 0;
  if (!(Number.isInteger(count) && count >= 0)) throw new RangeError(`count must be a whole number (got ${count})`);
  if (!(Number.isInteger(hour) && hour >= 0 && hour <= 23)) throw new RangeError(`hour must be 0 to 23 (got ${hour})`);
  if (!(Number.isInteger(minute) && minute >= 0 && minute <= 59)) {
    throw new RangeError(`minute must be 0 to 59 (got ${minute})`);
  }
  const firstDate = seoulDate(first.paidAt);
  const notBefore = Math.max(first.paidAt.getTime(), options.from?.getTime() ?? Number.NEGATIVE_INFINITY);
  const plan: PlannedCharge[] = [];
  // Months counted from the first charge's; month 0 is the first charge's own.
  for (let offset = 1; plan.length < count; offset++) {
    const year = firstDate.year + Math.floor((firstDate.month - 1 + offset) / 12);
    const month = ((firstDate.month - 1 + offset) % 12) + 1;
    const at = seoulInstant(year, month, monthlyDueDay(firstDate.day, year, month), hour, minute);
    if (at.getTime() >= notBefore) plan.push({ at, amount: first.amount, month: monthKey({ year, month }) });
  }
  return plan;
}
