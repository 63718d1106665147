'use server';
import { randomUUID } from 'node:crypto';
import { CatalogError, orderName, PLANS, PRODUCTS, priceCart } from 'example-shop/catalog';
import { prepareAmount } from 'example-shop/payments';
import { createSubscription } from 'example-shop/subscriptions';
import { redirect } from 'next/navigation';
import { ensureSession } from '@/lib/session';
import { shop } from '@/lib/shop';

// Server Actions: the forms of the cart and of the subscription post here (Next checks the Origin).
// The browser never says how much: the server prices the order from its catalog and registers the amount
// with PortOne (preparePayment), so the window refuses any other.

export type FormState = { error: string } | null;

const PHONE = /^01[016789]-?\d{3,4}-?\d{4}$/;

function text(form: FormData, name: string, maxLength: number): string | null {
  const value = form.get(name);
  return typeof value === 'string' && value.trim() !== '' && value.length <= maxLength ? value.trim() : null;
}

function buyerOf(form: FormData): { buyerName: string; buyerTel: string } | { error: string } {
  const buyerName = text(form, 'buyerName', 20);
  const buyerTel = text(form, 'buyerTel', 16);
  if (!buyerName) return { error: '이름을 입력해 주세요.' };
  if (!buyerTel || !PHONE.test(buyerTel)) return { error: '휴대폰 번호를 010-1234-5678 형식으로 입력해 주세요.' };
  return { buyerName, buyerTel };
}

/** Makes the order once per `requestId` (the cart's key: a double click makes one order), then opens it. */
export async function placeOrder(_previous: FormState, form: FormData): Promise<FormState> {
  const requestId = text(form, 'requestId', 64);
  const buyer = buyerOf(form);
  if (!requestId) return { error: '주문서를 다시 열어 주세요.' };
  if ('error' in buyer) return buyer;
  let priced: ReturnType<typeof priceCart>;
  try {
    priced = priceCart(
      PRODUCTS.map((product) => ({
        sku: product.sku,
        quantity: Number(form.get(`quantity-${product.sku}`) ?? 0),
      })).filter((item) => item.quantity !== 0),
    );
  } catch (error) {
    if (error instanceof CatalogError) return { error: error.message };
    throw error;
  }
  const context = shop();
  const date = new Date(context.now()).toISOString().slice(0, 10).replaceAll('-', '');
  const order = context.db.createOrder({
    merchantUid: `ord_${date}_${randomUUID().replaceAll('-', '').slice(0, 12)}`,
    requestId,
    kind: 'checkout',
    name: orderName(priced.lines),
    amount: priced.amount,
    lines: priced.lines,
    ...buyer,
    sessionId: await ensureSession(),
  });
  await prepareAmount(context, order);
  redirect(`/orders/${order.merchantUid}`);
}

/** Starts a subscription (pending until its billing key is issued), once per `requestId`. */
export async function subscribe(_previous: FormState, form: FormData): Promise<FormState> {
  const requestId = text(form, 'requestId', 64);
  const buyer = buyerOf(form);
  const plan = PLANS.find((candidate) => candidate.id === form.get('planId'));
  if (!requestId || !plan) return { error: '신청서를 다시 열어 주세요.' };
  if ('error' in buyer) return buyer;
  const context = shop();
  const record = createSubscription(context, { requestId, plan, ...buyer, sessionId: await ensureSession() });
  const first = context.db.getOrder(record.firstOrderUid);
  if (first) await prepareAmount(context, first);
  redirect(`/subscriptions/${record.id}`);
}
