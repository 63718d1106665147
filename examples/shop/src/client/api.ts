import type {
  ApiError,
  BillingMode,
  ClockState,
  Order,
  PaymentSyncAnswer,
  Plan,
  Product,
  ShopConfig,
  Subscription,
} from '../shared/api.js';

/** The server refused, with a message for the buyer (and the order as it stands, when there is one). */
export class ShopApiError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number,
    readonly order: Order | null,
  ) {
    super(message);
  }
}

async function call<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  } catch {
    throw new ShopApiError('상점 서버에 연결하지 못했습니다. 잠시 후 다시 시도해 주세요.', 0, null);
  }
  const body = (await response.json().catch(() => null)) as T | ApiError | null;
  if (!response.ok) {
    const error = body as ApiError | null;
    throw new ShopApiError(error?.error ?? '요청을 처리하지 못했습니다.', response.status, error?.order ?? null);
  }
  return body as T;
}

export interface CartItem {
  sku: string;
  quantity: number;
}

export interface MonthlyChargeAnswer {
  status: 'paid' | 'declined' | 'not-charged';
  message: string;
  order: Order;
  subscription: Subscription;
}

export const shopApi = {
  config: () => call<ShopConfig>('/api/config'),
  catalog: () => call<{ products: Product[]; plans: Plan[] }>('/api/catalog'),
  createOrder: (body: { requestId: string; items: CartItem[]; buyerName: string; buyerTel: string }) =>
    call<Order>('/api/orders', { method: 'POST', body }),
  orders: () => call<Order[]>('/api/orders'),
  order: (merchantUid: string) => call<Order>(`/api/orders/${encodeURIComponent(merchantUid)}`),
  /** Asks the server to check a window's result with PortOne; it answers the order as it now stands. */
  syncPayment: (body: { merchantUid: string; impUid: string | null }) =>
    call<PaymentSyncAnswer>('/api/payments/sync', { method: 'POST', body }),
  createSubscription: (body: {
    requestId: string;
    planId: string;
    buyerName: string;
    buyerTel: string;
    billing: BillingMode;
  }) => call<Subscription>('/api/subscriptions', { method: 'POST', body }),
  subscription: (id: string) => call<Subscription>(`/api/subscriptions/${encodeURIComponent(id)}`),
  chargeMonth: (id: string) =>
    call<MonthlyChargeAnswer>(`/api/subscriptions/${encodeURIComponent(id)}/charges`, { method: 'POST', body: {} }),
  cancelSubscription: (id: string) =>
    call<Subscription>(`/api/subscriptions/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  clock: () => call<ClockState>('/api/demo/clock'),
  advanceClock: (advanceMs: number) => call<ClockState>('/api/demo/clock', { method: 'POST', body: { advanceMs } }),
};
