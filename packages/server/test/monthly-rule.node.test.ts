import type { Sandbox } from '@portone-kit/sandbox/server';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkMonthlyCharge,
  firstChargeOf,
  monthlyDueDay,
  type PortoneClient,
  planMonthlyCharges,
  seoulDate,
} from '../src/node.js';
import { clientFor, issueBillingKey, seoul, startTestSandbox } from './support.js';

const first = { amount: 9900, paidAt: new Date(seoul(2026, 1, 31, 14)) };
const at = (year: number, month: number, day: number, hour = 10) => new Date(seoul(year, month, day, hour));

describe('Seoul dates', () => {
  it('reads the day in Seoul, nine hours ahead of UTC', () => {
    expect(seoulDate(new Date('2026-01-31T14:59:59Z'))).toEqual({ year: 2026, month: 1, day: 31 });
    expect(seoulDate(new Date('2026-01-31T15:00:00Z'))).toEqual({ year: 2026, month: 2, day: 1 });
  });

  it('takes the last day of a month that lacks the first charge’s day (our policy)', () => {
    expect(monthlyDueDay(31, 2026, 2)).toBe(28);
    expect(monthlyDueDay(31, 2028, 2)).toBe(29);
    expect(monthlyDueDay(31, 2026, 4)).toBe(30);
    expect(monthlyDueDay(30, 2026, 3)).toBe(30);
    expect(monthlyDueDay(15, 2026, 2)).toBe(15);
  });
});

describe('checkMonthlyCharge', () => {
  it('passes the same amount on the due day of a later month', () => {
    expect(checkMonthlyCharge(first, { amount: 9900, at: at(2026, 2, 28) })).toEqual({
      ok: true,
      dueDate: { year: 2026, month: 2, day: 28 },
    });
    expect(checkMonthlyCharge(first, { amount: 9900, at: at(2026, 3, 31) }).ok).toBe(true);
    expect(checkMonthlyCharge(first, { amount: 9900, at: at(2026, 4, 30, 23) }).ok).toBe(true);
  });

  it('fails another day, another amount, and the first charge’s own month, naming each rule', () => {
    const check = checkMonthlyCharge(first, { amount: 5000, at: at(2026, 1, 30) });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.map((problem) => problem.rule)).toEqual(['amount', 'month', 'day']);
    expect(check.problems[0]).toMatchObject({ expected: 9900, actual: 5000 });
    expect(check.problems[2]).toMatchObject({ dueDay: 31, day: 30, toleranceDays: 0 });
    expect(checkMonthlyCharge(first, { amount: 9900, at: at(2026, 3, 30) })).toMatchObject({
      ok: false,
      problems: [{ rule: 'day', dueDay: 31, day: 30 }],
    });
  });

  it('judges the day in Seoul: 00:30 in Seoul is the day before in UTC, and still the due day', () => {
    const fifteenth = { amount: 9900, paidAt: at(2026, 1, 15) };
    expect(checkMonthlyCharge(fifteenth, { amount: 9900, at: at(2026, 2, 15, 0) }).ok).toBe(true);
    expect(checkMonthlyCharge(fifteenth, { amount: 9900, at: new Date('2026-02-15T15:30:00Z') }).ok).toBe(false);
  });

  it('allows a tolerance within the month, as the older guide’s 5 days', () => {
    const fifteenth = { amount: 9900, paidAt: at(2026, 1, 15) };
    expect(checkMonthlyCharge(fifteenth, { amount: 9900, at: at(2026, 2, 20) }, { toleranceDays: 5 }).ok).toBe(true);
    expect(checkMonthlyCharge(fifteenth, { amount: 9900, at: at(2026, 2, 10) }, { toleranceDays: 5 }).ok).toBe(true);
    expect(checkMonthlyCharge(fifteenth, { amount: 9900, at: at(2026, 2, 21) }, { toleranceDays: 5 })).toMatchObject({
      ok: false,
      problems: [{ rule: 'day', toleranceDays: 5 }],
    });
    expect(() => checkMonthlyCharge(fifteenth, { amount: 9900, at: at(2026, 2, 15) }, { toleranceDays: -1 })).toThrow(
      RangeError,
    );
  });

  it('takes the first charge from a paid payment, and refuses any other', () => {
    const paid = { amount: 9900, status: 'paid' as const, paid_at: seoul(2026, 1, 15) / 1000 };
    expect(firstChargeOf(paid)).toEqual({ amount: 9900, paidAt: at(2026, 1, 15) });
    expect(() => firstChargeOf({ ...paid, status: 'failed', paid_at: 0 })).toThrow(/paid payment/);
  });
});

describe('planMonthlyCharges', () => {
  it('plans one charge a month on the due day at 10:00 in Seoul, from the month after the first', () => {
    const plan = planMonthlyCharges({ first, count: 4 });
    expect(plan.map((charge) => [charge.month, seoulDate(charge.at).day, charge.amount])).toEqual([
      ['2026-02', 28, 9900],
      ['2026-03', 31, 9900],
      ['2026-04', 30, 9900],
      ['2026-05', 31, 9900],
    ]);
    expect(plan[0]?.at).toEqual(at(2026, 2, 28, 10));
  });

  it('starts at the first due time at or after `from`, at the hour asked, across years', () => {
    const plan = planMonthlyCharges({ first, count: 3, from: at(2026, 11, 30, 11), hour: 9, minute: 30 });
    expect(plan.map((charge) => charge.month)).toEqual(['2026-12', '2027-01', '2027-02']);
    expect(plan[2]?.at).toEqual(new Date(seoul(2027, 2, 28, 9, 30)));
  });

  it('plans only charges that pass the check, one per month, whatever the first charge', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 23 }),
        (paidAt, amount, count, hour) => {
          const plan = planMonthlyCharges({ first: { amount, paidAt }, count, hour });
          expect(plan).toHaveLength(count);
          for (const charge of plan) expect(checkMonthlyCharge({ amount, paidAt }, charge).ok).toBe(true);
          expect(new Set(plan.map((charge) => charge.month)).size).toBe(count);
        },
      ),
    );
  });
});

describe('the same rule as the sandbox’s KG Mobilians', () => {
  let sandbox: Sandbox;
  let client: PortoneClient;
  // A sandbox of its own for each test: the property's keys and clock moves never reach the next one.
  beforeEach(async () => {
    sandbox = await startTestSandbox();
    client = clientFor(sandbox);
  });
  afterEach(() => sandbox.close());

  // 150 runs of two HTTP calls each: seconds on a quiet machine, a budget of minutes on a busy one.
  it('agrees with the emulator on random first charges and planned charges', { timeout: 120_000 }, async () => {
    let run = 0;
    let passing = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          firstAt: fc.integer({ min: seoul(2026, 1, 1, 0), max: seoul(2027, 12, 31, 23) }),
          monthsLater: fc.integer({ min: 0, max: 3 }),
          // Half the time the due day itself, so that passing charges are tried as often as failing ones.
          day: fc.option(fc.integer({ min: 1, max: 31 }), { freq: 1 }),
          hour: fc.integer({ min: 0, max: 23 }),
          sameAmount: fc.boolean(),
        }),
        async ({ firstAt, monthsLater, day, hour, sameAmount }) => {
          const customerUid = `prop_${++run}`;
          sandbox.clock.set(firstAt);
          await issueBillingKey(sandbox, customerUid, 9900);
          const firstDate = seoulDate(new Date(firstAt));
          const month = firstDate.month - 1 + monthsLater;
          const year = firstDate.year + Math.floor(month / 12);
          const plannedMonth = (month % 12) + 1;
          const plannedDay = Math.min(day ?? firstDate.day, monthlyDueDay(31, year, plannedMonth));
          const planned = {
            amount: sameAmount ? 9900 : 9000,
            at: new Date(seoul(year, plannedMonth, plannedDay, hour)),
          };
          sandbox.clock.set(planned.at.getTime());
          const result = await client.chargeBillingKey({
            customerUid,
            merchantUid: `prop_${run}`,
            amount: planned.amount,
            name: '구독',
          });
          const expected = checkMonthlyCharge({ amount: 9900, paidAt: new Date(firstAt) }, planned).ok;
          if (expected) passing++;
          expect(result.status).toBe(expected ? 'paid' : 'declined');
        },
      ),
      { numRuns: 150 },
    );
    expect(passing).toBeGreaterThan(20);
  });

  it('has a year of planned schedules paid by the emulator, from a first charge on the 31st', async () => {
    sandbox.clock.set(seoul(2026, 1, 31, 14));
    await issueBillingKey(sandbox, 'yearly', 9900);
    const plan = planMonthlyCharges({ first, count: 12 });
    await client.scheduleCharges({
      customerUid: 'yearly',
      schedules: plan.map((charge) => ({ ...charge, merchantUid: `yearly_${charge.month}`, name: '연간 구독' })),
    });
    sandbox.clock.set(seoul(2027, 2, 1));
    for (const charge of plan) {
      expect(await client.getSchedule(`yearly_${charge.month}`)).toMatchObject({ payment_status: 'paid' });
    }
  });
});
