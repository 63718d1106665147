import type {
  AccessToken,
  BillingKey,
  Envelope,
  Payment,
  PaymentCancellation,
  PreparedAmount,
  Schedule,
  WebhookPayload,
} from '@portone-kit/core/rest';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AccessToken as SandboxAccessToken,
  SandboxCancellation,
  SandboxCustomer,
  SandboxPayment,
  SandboxPrepared,
  SandboxSchedule,
  WebhookPayload as SandboxWebhookPayload,
} from '../../src/server.js';

// Checked by `pnpm typecheck` (and by Vitest's type assertions): if the sandbox's records and the model the
// server client reads (`@portone-kit/core/rest`) drift apart, this file stops compiling.

/** The keys of `T`, optional ones included: what a client may read. */
type Keys<T> = keyof { [K in keyof T]-?: T[K] };

describe('the sandbox answers the shapes the server client reads', () => {
  it('fits each record into its model', () => {
    expectTypeOf<SandboxPayment>().toExtend<Payment>();
    expectTypeOf<SandboxCancellation>().toExtend<PaymentCancellation>();
    expectTypeOf<SandboxCustomer>().toExtend<BillingKey>();
    expectTypeOf<SandboxSchedule>().toExtend<Schedule>();
    expectTypeOf<SandboxPrepared>().toExtend<PreparedAmount>();
    expectTypeOf<SandboxAccessToken>().toEqualTypeOf<AccessToken>();
    expectTypeOf<SandboxWebhookPayload>().toEqualTypeOf<WebhookPayload>();
  });

  it('fills every field the model names, and answers no field the model lacks', () => {
    expectTypeOf<Keys<SandboxPayment>>().toEqualTypeOf<Keys<Payment>>();
    expectTypeOf<Keys<SandboxCancellation>>().toEqualTypeOf<Keys<PaymentCancellation>>();
    expectTypeOf<Keys<SandboxCustomer>>().toEqualTypeOf<Keys<BillingKey>>();
    expectTypeOf<Keys<SandboxSchedule>>().toEqualTypeOf<Keys<Schedule>>();
    expectTypeOf<Keys<SandboxPrepared>>().toEqualTypeOf<Keys<PreparedAmount>>();
    // Filled, not merely present: a client reading `payment.paid_at` gets a number, never undefined.
    expectTypeOf<SandboxPayment['paid_at']>().toEqualTypeOf<number>();
    expectTypeOf<SandboxPayment['custom_data']>().toEqualTypeOf<string | null>();
  });

  it('refuses a record the client could not read', () => {
    // A status outside the model, or a missing required field, is not a Payment.
    // @ts-expect-error 'refunded' is no PaymentStatus
    const wrongStatus: Payment = { ...({} as SandboxPayment), status: 'refunded' };
    const { amount: _amount, ...withoutAmount } = {} as SandboxPayment;
    // @ts-expect-error a payment without amount
    const missing: Payment = withoutAmount;
    expectTypeOf(wrongStatus).toEqualTypeOf<Payment>();
    expectTypeOf(missing).toEqualTypeOf<Payment>();
  });

  it('wraps every answer in the envelope', () => {
    expectTypeOf<Envelope<SandboxPayment>['response']>().toExtend<Payment | null>();
  });
});
