import {
  buildRedirectUrl,
  type Imp,
  type RedirectField,
  type RequestPayParams,
  type RequestPayResponse,
} from '@portone-kit/core';
import { openPaymentWindow, type WindowChoice } from './window/payment-window.js';
import { ALREADY_PAID, RECORDED_STATUS, refusalOf } from './window-answers.js';

/** What the buyer does in the fake window. */
export type FakeOutcome =
  | { kind: 'approve' }
  | { kind: 'decline'; code?: string; message?: string }
  | { kind: 'cancel' };

/**
 * How the fake `IMP` answers: what the buyer does, how soon, by callback or by redirect, and where payments
 * are recorded. `configure` changes them for the next windows.
 */
export interface FakePortoneOptions {
  /**
   * What the buyer does: a fixed outcome (headless, for tests), or `'window'` to open the sandbox's
   * payment window and wait for a person. Default `{ kind: 'approve' }`.
   */
  outcome?: FakeOutcome | 'window';
  /** How long the window stays open before the outcome, in ms. Default 0 (the next task). */
  delayMs?: number;
  /**
   * Deliver the result as a mobile browser does: navigate to `m_redirect_url` with PortOne's query and
   * never call the callback. Requests without `m_redirect_url` still get the callback.
   */
  redirect?: boolean;
  /** How the fake navigates for a redirect. Default `location.assign`. */
  navigate?: (url: string) => void;
  /**
   * Base URL of a running sandbox emulator (`startSandbox`), e.g. `http://127.0.0.1:4100/`: payments are
   * then recorded there, so that its REST API reports them. Default: kept in memory, in this page.
   */
  server?: string;
}

/** A payment the fake window approved or refused, as PortOne would record it. */
export interface FakePayment {
  imp_uid: string;
  merchant_uid: string;
  amount: number;
  pay_method: string;
  /** `paid`, `failed` for a decline, `ready` for a buyer's cancel: as the emulator records them. */
  status: (typeof RECORDED_STATUS)[keyof typeof RECORDED_STATUS];
  customer_uid: string | null;
}

/** One call the fake `IMP` received (see {@link FakeImp.calls}), with what it was given. */
export type FakeImpCall =
  | { method: 'init'; merchantCode: string }
  | { method: 'agency'; merchantCode: string; tierCode: string }
  | { method: 'request_pay'; params: RequestPayParams; hasCallback: boolean };

/** The fake `IMP`: the SDK's three functions, plus what a test needs to look at and steer. */
export interface FakeImp extends Imp {
  /** Every call, in order. */
  readonly calls: FakeImpCall[];
  /** Payments by `merchant_uid`. */
  readonly payments: Map<string, FakePayment>;
  /** Change what the next windows do. */
  configure(options: FakePortoneOptions): void;
}

/**
 * A stand-in for PortOne's V1 `IMP`: `request_pay` answers approve, decline, cancel, an already-paid
 * `merchant_uid` (F1002) and the mobile redirect as PortOne does, without any network.
 * Where it is kinder than the real SDK, on purpose, so that a test sees an answer rather than a hang:
 * before `init` it calls back with an error (the SDK shows an alert and never calls back); it never loses
 * a request after a re-init, never writes into the params, and sends F1002 by redirect on the mobile path
 * (the SDK gives pre-window errors to the callback). The kit guards against those itself (init before
 * ready, a copy of the params, a window timeout).
 */
export function createFakeImp(initial: FakePortoneOptions = {}): FakeImp {
  let options = initial;
  let merchantCode: string | null = null;
  let sequence = 0;
  const calls: FakeImpCall[] = [];
  const payments = new Map<string, FakePayment>();

  async function choose(params: RequestPayParams): Promise<WindowChoice> {
    const outcome = options.outcome ?? { kind: 'approve' };
    if (outcome === 'window') return openPaymentWindow(params);
    if (outcome.kind === 'decline') {
      const { error_code, error_msg } = refusalOf('decline', outcome);
      return { kind: 'decline', code: error_code, message: error_msg };
    }
    return outcome;
  }

  /** What PortOne answers for this choice, recorded in memory as it would record the payment. */
  function recordInMemory(params: RequestPayParams, choice: WindowChoice): RequestPayResponse {
    const base = { merchant_uid: params.merchant_uid, pay_method: params.pay_method, pg_provider: 'mobilians' };
    if (payments.get(params.merchant_uid)?.status === 'paid')
      return { ...base, imp_uid: null, success: false, ...ALREADY_PAID };
    const impUid = `imp_${String(++sequence).padStart(12, '0')}`;
    const status = RECORDED_STATUS[choice.kind];
    payments.set(params.merchant_uid, {
      imp_uid: impUid,
      merchant_uid: params.merchant_uid,
      amount: params.amount,
      pay_method: params.pay_method,
      status,
      customer_uid: params.customer_uid ?? null,
    });
    if (choice.kind === 'approve')
      return { ...base, imp_uid: impUid, success: true, status, paid_amount: params.amount };
    return {
      ...base,
      imp_uid: impUid,
      success: false,
      status,
      ...(choice.kind === 'decline' ? refusalOf('decline', choice) : refusalOf('cancel')),
    };
  }

  /** The same, recorded by the sandbox emulator so that its REST API reports the payment. */
  async function recordOnServer(
    server: string,
    params: RequestPayParams,
    choice: WindowChoice,
  ): Promise<RequestPayResponse> {
    try {
      // Relative to the base, so that an emulator mounted under a path (behind a proxy) is reached too.
      const response = await fetch(new URL('sandbox/payments', server.endsWith('/') ? server : `${server}/`), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          params,
          outcome: choice.kind,
          ...(choice.kind === 'decline' ? { error_code: choice.code, error_msg: choice.message } : {}),
          channel: options.redirect ? 'mobile' : 'pc',
        }),
      });
      const body = (await response.json()) as { response?: RequestPayResponse };
      if (!response.ok || !body.response) throw new Error(`HTTP ${response.status}`);
      return body.response;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        merchant_uid: params.merchant_uid,
        imp_uid: null,
        success: false,
        error_code: 'SANDBOX_UNREACHABLE',
        error_msg: `sandbox ${server}: ${reason}`,
      };
    }
  }

  async function answer(params: RequestPayParams, callback?: (response: RequestPayResponse) => void) {
    let response: RequestPayResponse;
    if (merchantCode === null) {
      response = {
        merchant_uid: params.merchant_uid,
        imp_uid: null,
        success: false,
        error_code: 'F0000',
        error_msg: 'IMP.init()을 먼저 호출하세요',
      };
    } else if (!options.server && payments.get(params.merchant_uid)?.status === 'paid') {
      // PortOne refuses a paid merchant_uid before any window opens.
      response = { merchant_uid: params.merchant_uid, imp_uid: null, success: false, ...ALREADY_PAID };
    } else {
      const choice = await choose(params);
      response = options.server ? await recordOnServer(options.server, params, choice) : recordInMemory(params, choice);
    }
    if (options.redirect && params.m_redirect_url) {
      const fields: Partial<Record<RedirectField, string>> = {
        merchant_uid: params.merchant_uid,
        imp_success: String(response.success),
      };
      if (response.imp_uid) fields.imp_uid = response.imp_uid;
      if (response.error_code) fields.error_code = response.error_code;
      if (response.error_msg) fields.error_msg = response.error_msg;
      (options.navigate ?? ((url) => window.location.assign(url)))(buildRedirectUrl(params.m_redirect_url, fields));
      return;
    }
    callback?.(response);
  }

  return {
    calls,
    payments,
    configure(next) {
      options = { ...options, ...next };
    },
    init(code) {
      calls.push({ method: 'init', merchantCode: code });
      merchantCode = code;
    },
    agency(code, tierCode) {
      calls.push({ method: 'agency', merchantCode: code, tierCode });
      merchantCode = code;
    },
    request_pay(params, callback) {
      calls.push({ method: 'request_pay', params, hasCallback: typeof callback === 'function' });
      setTimeout(() => void answer(params, callback), options.delayMs ?? 0);
    },
  };
}

/** Defines `window.IMP` as a fake, so that `loadPortone` finds it without loading any script. */
export function installFakePortone(options: FakePortoneOptions = {}): FakeImp {
  const imp = createFakeImp(options);
  (window as unknown as { IMP: FakeImp }).IMP = imp;
  return imp;
}
