import { interpretPaymentResponse, loadPortone, type PaymentRequest, validatePaymentRequest } from '@portone-kit/core';

const request: PaymentRequest = {
  pg: 'mobilians',
  pay_method: 'phone',
  merchant_uid: 'order_0001', // made by your server, unique per payment
  amount: 9900,
  buyer_tel: '010-1234-5678',
};

const imp = await loadPortone({ merchantCode: 'imp12345678' }); // one <script> per page, IMP.init once
const problems = validatePaymentRequest(request); // [] or every problem, each with its field
if (problems.length === 0) {
  // Call request_pay from the click handler itself, with no await before it, or PG popups are blocked.
  imp.request_pay(request, (response) => {
    const result = interpretPaymentResponse(response);
    // 'completed' means "ask your server to verify result.impUid", never "paid".
    console.log(result.status);
  });
}
