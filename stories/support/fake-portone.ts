import { type Imp, type RequestPayParams, type RequestPayResponse, unloadPortone } from '@portone-kit/core';
import { createFakeImp, type FakeImp, type FakeOutcome } from '@portone-kit/sandbox';

/**
 * What the sandbox's fake SDK does for one story's orders, set with `parameters: { sandbox: {...} }` (see
 * `.storybook/preview.tsx`); `false` keeps the page without an SDK, for the stories about loading it.
 */
export interface StorySandbox {
  /** What the buyer does; `'window'` opens the sandbox's payment window for a person. Default approve. */
  outcome?: FakeOutcome | 'window';
  /** How long a window stays open before it answers by itself, in ms. Default 300. */
  delayMs?: number;
  /** Leave for `m_redirect_url` as phones do (the story hears it as a `portone-sandbox:navigate` event). */
  redirect?: boolean;
  /**
   * Hold each window open until the play function answers it (`sandbox.answer()`): what the page shows
   * meanwhile is checked at a moment the story chooses, never in a race with a timer.
   */
  hold?: boolean;
}

/** The event the fake sends instead of leaving the page for m_redirect_url; `detail` is the URL. */
export const NAVIGATE_EVENT = 'portone-sandbox:navigate';

const navigate = (url: string) => window.dispatchEvent(new CustomEvent(NAVIGATE_EVENT, { detail: url }));

/**
 * The page's one `IMP`, routing each `request_pay` to a fake of its own `merchant_uid`: every story of a docs
 * page, rendered side by side, answers the way its own story does. No story reaches PortOne.
 */
class SandboxSdk implements Imp {
  private code: [string, string | undefined] | null = null;
  private readonly setups = new Map<string, StorySandbox>();
  private readonly fakes = new Map<string, FakeImp>();
  private readonly held: (() => void)[] = [];
  /** The merchant_uid of every window opened, in order. */
  readonly opened: string[] = [];

  /** Says what the windows for this order do (again, when the story's controls change it). */
  configure(merchantUid: string, setup: StorySandbox): void {
    this.setups.set(merchantUid, setup);
    this.fakes.get(merchantUid)?.configure(this.fakeOptions(setup));
  }

  /** Answers the oldest window the fake holds open; false when none is held. */
  answer(): boolean {
    const next = this.held.shift();
    next?.();
    return next !== undefined;
  }

  /** The windows held open now. */
  get waiting(): number {
    return this.held.length;
  }

  /** What the fake of this order recorded, as PortOne would. */
  payment(merchantUid: string) {
    return this.fakes.get(merchantUid)?.payments.get(merchantUid);
  }

  init(merchantCode: string): void {
    this.code = [merchantCode, undefined];
    for (const fake of this.fakes.values()) fake.init(merchantCode);
  }

  agency(merchantCode: string, tierCode: string): void {
    this.code = [merchantCode, tierCode];
    for (const fake of this.fakes.values()) fake.agency(merchantCode, tierCode);
  }

  request_pay(params: RequestPayParams, callback?: (response: RequestPayResponse) => void): void {
    this.opened.push(params.merchant_uid);
    const setup = this.setups.get(params.merchant_uid) ?? {};
    const fake = this.fakeFor(params.merchant_uid, setup);
    if (setup.hold) this.held.push(() => fake.request_pay(params, callback));
    else fake.request_pay(params, callback);
  }

  private fakeOptions({ outcome = { kind: 'approve' }, delayMs = 300, redirect = false, hold }: StorySandbox) {
    // A held window answers as soon as the story lets it.
    return { outcome, delayMs: hold ? 0 : delayMs, redirect, navigate };
  }

  private fakeFor(merchantUid: string, setup: StorySandbox): FakeImp {
    let fake = this.fakes.get(merchantUid);
    if (!fake) {
      fake = createFakeImp(this.fakeOptions(setup));
      if (this.code?.[1]) fake.agency(this.code[0], this.code[1]);
      else if (this.code) fake.init(this.code[0]);
      this.fakes.set(merchantUid, fake);
    }
    return fake;
  }
}

let current: SandboxSdk | null = null;

/** The sandbox SDK of this page, put on `window.IMP` if it is not there (the loader then finds it, loading nothing). */
export function sandboxSdk(): SandboxSdk {
  const page = window as { IMP?: unknown };
  if (!current || page.IMP !== current) {
    current = new SandboxSdk();
    page.IMP = current;
  }
  return current;
}

/**
 * Takes the SDK off the page through the kit's public reset (`IMP`, the loader's memory, the page's window
 * lock) and forgets what the fakes recorded: the next story starts afresh.
 */
export function forgetPortone(): void {
  unloadPortone();
  current = null;
  sessionStorage.clear();
}

export const merchantCode = 'imp12345678';

export const storyRequest = {
  pg: 'mobilians',
  pay_method: 'phone',
  merchant_uid: 'order_story_0001',
  name: '월간 구독',
  amount: 9900,
  buyer_tel: '010-1234-5678',
} as const;

/** A stand-in for the merchant's server check, as a story can have it: it answers after a moment. */
export const verifyOnServer = async (result: { impUid: string }) => {
  await new Promise((wait) => setTimeout(wait, 300));
  return { orderId: 'A-1001', impUid: result.impUid };
};

/**
 * A server check that cannot be reached the first time and confirms the payment after: `reset()` before each
 * run. No timer: the story sees each answer as the kit does.
 */
export function verifyFailingOnce() {
  let calls = 0;
  return {
    verify: async (result: { impUid: string }) => {
      calls += 1;
      if (calls === 1) throw new Error('the server could not be reached');
      return { orderId: 'A-1001', impUid: result.impUid };
    },
    get calls() {
      return calls;
    },
    reset() {
      calls = 0;
    },
  };
}
