import { ShopError, syncPayment } from 'example-shop/payments';
import { readSession } from '@/lib/session';
import { shop } from '@/lib/shop';

// The browser's report of a window's result (`verify` of the pay button and of the return page). The
// server never trusts it: it asks PortOne for the payment and checks it against the order's own amount.
export async function POST(request: Request) {
  // A cross-site form cannot send JSON: only this site's pages can report.
  if (request.headers.get('content-type')?.split(';')[0] !== 'application/json') {
    return Response.json({ error: 'content-type must be application/json' }, { status: 415 });
  }
  const body = (await request.json().catch(() => null)) as { merchantUid?: unknown; impUid?: unknown } | null;
  const merchantUid = typeof body?.merchantUid === 'string' ? body.merchantUid : '';
  const impUid = typeof body?.impUid === 'string' && body.impUid !== '' ? body.impUid : null;
  const context = shop();
  const session = await readSession();
  // Another browser's order, or none: the same answer, so order numbers cannot be probed.
  if (!session || !context.db.orderBelongsTo(merchantUid, session)) {
    return Response.json({ error: '주문을 찾을 수 없습니다.' }, { status: 404 });
  }
  try {
    return Response.json(await syncPayment(context, { merchantUid, impUid }));
  } catch (error) {
    if (error instanceof ShopError) {
      return Response.json({ error: error.message, order: error.order }, { status: error.httpStatus });
    }
    context.log(`verify ${merchantUid}: ${error instanceof Error ? error.message : String(error)}`);
    return Response.json({ error: '결제 서버와 통신하지 못했습니다. 잠시 후 다시 시도해 주세요.' }, { status: 502 });
  }
}
