import type { OrderLine, Plan, Product } from '../shared/api.js';

// The shop's prices. An order's amount is computed here from SKUs and quantities, never taken from the browser.

export const PRODUCTS: readonly Product[] = [
  { sku: 'tea-sampler', name: '제주 녹차 샘플러', description: '우전·세작·중작 세 가지 녹차 각 20g', price: 9_900 },
  { sku: 'mug', name: '백자 머그컵', description: '350ml, 손으로 빚은 백자', price: 15_000 },
  { sku: 'notebook', name: '한지 노트', description: 'A5, 64쪽, 전통 한지', price: 4_500 },
];

export const PLANS: readonly Plan[] = [{ id: 'tea-monthly', name: '월간 녹차 정기배송', monthlyPrice: 9_900 }];

const MAX_QUANTITY = 10;

export class CatalogError extends Error {}

/** The order lines and total for what the browser asked: known SKUs, whole quantities from 1 to 10. */
export function priceCart(items: unknown): { lines: OrderLine[]; amount: number } {
  if (!Array.isArray(items) || items.length === 0) throw new CatalogError('장바구니가 비어 있습니다.');
  const quantities = new Map<string, number>();
  for (const item of items) {
    const { sku, quantity } = (item ?? {}) as { sku?: unknown; quantity?: unknown };
    const product = PRODUCTS.find((candidate) => candidate.sku === sku);
    if (!product) throw new CatalogError('판매하지 않는 상품이 있습니다.');
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) {
      throw new CatalogError('수량은 1개 이상이어야 합니다.');
    }
    quantities.set(product.sku, (quantities.get(product.sku) ?? 0) + quantity);
  }
  const lines: OrderLine[] = [];
  for (const [sku, quantity] of quantities) {
    const product = PRODUCTS.find((candidate) => candidate.sku === sku) as Product;
    if (quantity > MAX_QUANTITY) throw new CatalogError(`한 상품은 ${MAX_QUANTITY}개까지 주문할 수 있습니다.`);
    lines.push({ sku, name: product.name, unitPrice: product.price, quantity });
  }
  return { lines, amount: lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0) };
}

/** The order name PortOne shows in the window: at most 40 characters. */
export function orderName(lines: readonly OrderLine[]): string {
  const [first, ...rest] = lines;
  const name = rest.length === 0 ? (first?.name ?? '주문') : `${first?.name} 외 ${rest.length}건`;
  return name.slice(0, 40);
}
