import { validateBillingKeyRequest, validatePaymentRequest } from '@portone-kit/core';
import { useId, useState } from 'react';

export interface RequestCheckerProps {
  /** Check a billing-key request (with `customer_uid`) instead of a payment. */
  billingKey?: boolean;
  /** The request as first shown, as JSON text. */
  initialJson: string;
}

/** Shows what the kit's validators say of a request, before anything would reach the SDK. */
export function RequestChecker({ billingKey = false, initialJson }: RequestCheckerProps) {
  const [json, setJson] = useState(initialJson);
  const id = useId();
  let parsed: unknown;
  let parseError: string | null = null;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    parseError = error instanceof Error ? error.message : String(error);
  }
  const problems = parseError === null ? (billingKey ? validateBillingKeyRequest : validatePaymentRequest)(parsed) : [];
  return (
    <form onSubmit={(event) => event.preventDefault()} style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 560 }}>
      <label htmlFor={`${id}-json`} style={{ display: 'block', fontWeight: 600, marginBottom: 4 }}>
        {billingKey ? 'Billing-key request' : 'Payment request'} (JSON)
      </label>
      <textarea
        id={`${id}-json`}
        value={json}
        onChange={(event) => setJson(event.target.value)}
        rows={12}
        spellCheck={false}
        style={{ width: '100%', fontFamily: 'ui-monospace, monospace', fontSize: 13 }}
      />
      {/* Not a landmark: a docs page shows several checkers. */}
      <div aria-live="polite">
        {parseError !== null ? (
          <p>Not JSON: {parseError}</p>
        ) : problems.length === 0 ? (
          <p>No problems: this request may go to IMP.request_pay.</p>
        ) : (
          <ul>
            {problems.map((problem) => (
              <li key={`${problem.field}:${problem.message}`}>
                <strong>{problem.field || 'request'}</strong>: {problem.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    </form>
  );
}
