import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Product } from '../../shared/api.js';
import { ShopApiError, shopApi } from '../api.js';
import { navigate } from '../router.js';
import { Notice, newRequestId, PageHeading, won } from '../ui.js';

export function CartPage() {
  const [products, setProducts] = useState<Product[] | null>(null);
  const [quantities, setQuantities] = useState<Record<string, number>>({ 'tea-sampler': 1 });
  const [buyerName, setBuyerName] = useState('홍길동');
  const [buyerTel, setBuyerTel] = useState('010-1234-5678');
  // One key per cart: a second click (or a retry after a lost answer) gets the same order back.
  const [requestId] = useState(newRequestId);
  const [submitting, setSubmitting] = useState(false);
  const submittingNow = useRef(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    shopApi.catalog().then(
      (catalog) => setProducts(catalog.products),
      (reason: unknown) => setError(reason instanceof ShopApiError ? reason.message : '상품을 불러오지 못했습니다.'),
    );
  }, []);

  const items = Object.entries(quantities)
    .filter(([, quantity]) => quantity > 0)
    .map(([sku, quantity]) => ({ sku, quantity }));
  const shownTotal = items.reduce(
    (sum, item) => sum + (products?.find((product) => product.sku === item.sku)?.price ?? 0) * item.quantity,
    0,
  );

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submittingNow.current) return;
    if (items.length === 0) {
      setError('상품을 하나 이상 담아 주세요.');
      return;
    }
    submittingNow.current = true;
    setSubmitting(true);
    setError(null);
    try {
      const order = await shopApi.createOrder({ requestId, items, buyerName, buyerTel });
      navigate(`/orders/${order.merchantUid}`);
    } catch (reason) {
      setError(reason instanceof ShopApiError ? reason.message : '주문을 만들지 못했습니다.');
      submittingNow.current = false;
      setSubmitting(false);
    }
  }

  return (
    <>
      <PageHeading>장바구니</PageHeading>
      <form onSubmit={submit} aria-describedby="cart-note">
        <fieldset>
          <legend>상품</legend>
          {products === null && !error ? <p>상품을 불러오는 중입니다.</p> : null}
          <ul className="products">
            {(products ?? []).map((product) => (
              <li key={product.sku} className="product">
                <div>
                  <p className="product-name">{product.name}</p>
                  <p className="product-description">{product.description}</p>
                  <p className="product-price">{won(product.price)}</p>
                </div>
                <label>
                  수량
                  <input
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={10}
                    value={quantities[product.sku] ?? 0}
                    aria-label={`${product.name} 수량`}
                    onChange={(event) =>
                      setQuantities((current) => ({
                        ...current,
                        [product.sku]: Math.max(0, Math.min(10, Math.trunc(Number(event.target.value) || 0))),
                      }))
                    }
                  />
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <fieldset>
          <legend>주문하는 분</legend>
          <label className="field">
            이름
            <input
              value={buyerName}
              onChange={(event) => setBuyerName(event.target.value)}
              autoComplete="name"
              required
            />
          </label>
          <label className="field">
            휴대폰 번호
            <input
              type="tel"
              value={buyerTel}
              onChange={(event) => setBuyerTel(event.target.value)}
              autoComplete="tel"
              required
            />
          </label>
        </fieldset>
        <p className="total">
          합계 <strong data-testid="cart-total">{won(shownTotal)}</strong>
        </p>
        <p id="cart-note" className="hint">
          결제 금액은 주문할 때 상점 서버가 상품 가격으로 다시 계산합니다.
        </p>
        {error ? <Notice tone="error">{error}</Notice> : null}
        <button type="submit" className="primary" aria-disabled={submitting || undefined}>
          {submitting ? '주문을 만드는 중…' : '주문하기'}
        </button>
      </form>
    </>
  );
}
