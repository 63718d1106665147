import { checkPayment, createWebhookHandler, type WebhookHandler } from '@portone-kit/server';
import { applyPortonePayment } from 'example-shop/payments';
import { shop } from '@/lib/shop';

// PortOne's webhook (the console's URL: https://<your host>/api/portone/webhook). Unsigned, so the
// handler refetches the payment; claims in the shop's SQLite make a repeat change nothing.
let handler: WebhookHandler | undefined;

function webhookHandler(): WebhookHandler {
  const context = shop();
  handler ??= createWebhookHandler({
    client: context.portone,
    allowSandbox: context.allowSandbox,
    store: context.db.webhookStore(),
    async onPayment(payment) {
      const order = context.db.getOrder(payment.merchant_uid);
      if (!order) return; // another app's payment on the same PortOne account
      const expected = { merchantUid: order.merchantUid, amount: order.amount };
      const check = checkPayment(payment, expected, { allowSandbox: context.allowSandbox });
      await applyPortonePayment(context, payment, check, 'webhook');
    },
    onError: (error) => context.log(`webhook: ${error instanceof Error ? error.message : String(error)}`),
  });
  return handler;
}

export const POST = (request: Request) => webhookHandler()(request);
