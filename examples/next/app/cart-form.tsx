'use client';
import type { Product } from 'example-shop/api';
import { useActionState } from 'react';
import { Notice, won } from '@/lib/ui';
import { type FormState, placeOrder } from './actions';

/** The cart: quantities and the buyer, posted to the `placeOrder` Server Action. */
export function CartForm({ products, requestId }: { products: readonly Product[]; requestId: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(placeOrder, null);
  return (
    <form action={action}>
      <input type="hidden" name="requestId" value={requestId} />
      <fieldset>
        <legend>상품</legend>
        <ul className="products">
          {products.map((product) => (
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
                  name={`quantity-${product.sku}`}
                  inputMode="numeric"
                  min={0}
                  max={10}
                  defaultValue={product.sku === 'tea-sampler' ? 1 : 0}
                  aria-label={`${product.name} 수량`}
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
          <input name="buyerName" defaultValue="홍길동" autoComplete="name" required />
        </label>
        <label className="field">
          휴대폰 번호
          <input name="buyerTel" type="tel" defaultValue="010-1234-5678" autoComplete="tel" required />
        </label>
      </fieldset>
      <p className="hint">결제 금액은 주문할 때 상점 서버가 상품 가격으로 다시 계산합니다.</p>
      {state ? <Notice tone="error">{state.error}</Notice> : null}
      <button type="submit" className="primary" aria-disabled={pending || undefined}>
        {pending ? '주문을 만드는 중…' : '주문하기'}
      </button>
    </form>
  );
}
