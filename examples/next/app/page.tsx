import { randomUUID } from 'node:crypto';
import { PRODUCTS } from 'example-shop/catalog';
import { CartForm } from './cart-form';

/** The cart, rendered on the server from the shop's catalog; one request id per cart shown. */
export default function CartPage() {
  return (
    <>
      <h1>장바구니</h1>
      <CartForm products={PRODUCTS} requestId={randomUUID()} />
    </>
  );
}
