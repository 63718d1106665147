import { ReturnHandler } from './return-handler';

// m_redirect_url: where a phone comes back from the payment window, with the result in the query. The
// heading renders on the server; the handler reads the query in the browser.
export default function PaymentReturnPage() {
  return (
    <>
      <h1>결제 결과</h1>
      <ReturnHandler />
    </>
  );
}
