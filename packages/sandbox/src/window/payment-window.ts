import type { RequestPayParams } from '@portone-kit/core';
import { DECLINE_CHOICES } from '../window-answers.js';

export { DECLINE_CHOICES };

/** What the buyer did in the window. */
export type WindowChoice =
  | { kind: 'approve' }
  | { kind: 'decline'; code: string; message: string }
  | { kind: 'cancel' };

const METHOD_TITLES: Record<string, string> = { card: '신용카드', trans: '계좌이체', phone: '휴대폰 소액결제' };

const OPTIONS: Record<string, { label: string; name: string; values: string[] }> = {
  card: {
    label: '카드사',
    name: 'card_company',
    values: [
      '신한카드',
      'KB국민카드',
      '현대카드',
      '삼성카드',
      '롯데카드',
      '하나카드',
      '우리카드',
      'BC카드',
      'NH농협카드',
    ],
  },
  trans: {
    label: '은행',
    name: 'bank',
    values: ['KB국민은행', '신한은행', '우리은행', '하나은행', 'NH농협은행', 'IBK기업은행', '카카오뱅크', '토스뱅크'],
  },
  phone: {
    label: '통신사',
    name: 'carrier',
    values: ['SKT', 'KT', 'LG U+', '알뜰폰 (SKT)', '알뜰폰 (KT)', '알뜰폰 (LG U+)'],
  },
};

let openCount = 0;

function element<Tag extends keyof HTMLElementTagNameMap>(
  document: Document,
  tag: Tag,
  properties: Partial<Omit<HTMLElementTagNameMap[Tag], 'style'>> & { style?: string } = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[Tag] {
  const { style, ...rest } = properties;
  const node = Object.assign(document.createElement(tag), rest);
  if (style) node.setAttribute('style', style);
  node.append(...children);
  return node;
}

const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Opens a payment window that resembles Mobilians' for the request's `pay_method` (card, account
 * transfer, or phone with carrier, number and code) and resolves with what the buyer did.
 * An accessible modal: `role="dialog"`, focus kept inside and given back on close, Escape cancels.
 */
export function openPaymentWindow(
  params: RequestPayParams,
  document: Document = window.document,
): Promise<WindowChoice> {
  const id = `portone-sandbox-window-${++openCount}`;
  const previousFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const method = params.pay_method;
  const billingKey = typeof params.customer_uid === 'string';
  const methodTitle = METHOD_TITLES[method] ?? method;
  const title = billingKey ? `정기결제 등록 · ${methodTitle}` : `${methodTitle} 결제`;
  const amount = `${Number(params.amount).toLocaleString('ko-KR')}원`;

  return new Promise((resolve) => {
    const overlay = element(document, 'div', {
      style:
        'position:fixed;inset:0;background:rgba(15,23,42,.55);display:flex;align-items:center;justify-content:center;z-index:2147483000;font-family:system-ui,sans-serif',
    });
    overlay.dataset.portoneSandbox = 'window';
    const dialog = element(document, 'div', {
      id,
      style:
        'background:#fff;color:#111827;border-radius:12px;width:min(92vw,380px);max-height:92vh;overflow:auto;padding:20px;box-shadow:0 10px 40px rgba(0,0,0,.3)',
    });
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.setAttribute('aria-labelledby', `${id}-title`);
    dialog.setAttribute('aria-describedby', `${id}-summary`);

    const field = (label: string, control: HTMLElement) => {
      control.id = `${id}-${control.getAttribute('name') ?? label}`;
      control.setAttribute(
        'style',
        'display:block;width:100%;box-sizing:border-box;padding:8px;margin-top:4px;border:1px solid #6b7280;border-radius:6px;font:inherit',
      );
      return element(document, 'div', { style: 'margin:12px 0' }, [
        element(document, 'label', { htmlFor: control.id, style: 'font-weight:600' }, [label]),
        control,
      ]);
    };
    const select = (name: string, values: readonly string[]) => {
      const control = element(
        document,
        'select',
        { name },
        values.map((value) => element(document, 'option', { value }, [value])),
      );
      return control;
    };
    const button = (text: string, primary: boolean) =>
      element(
        document,
        'button',
        {
          type: 'button',
          style: primary
            ? 'width:100%;padding:12px;margin-top:8px;border:0;border-radius:8px;background:#1d4ed8;color:#fff;font:inherit;font-weight:700;cursor:pointer'
            : 'width:100%;padding:10px;margin-top:8px;border:1px solid #374151;border-radius:8px;background:#fff;color:#111827;font:inherit;cursor:pointer',
        },
        [text],
      );

    const closeButton = element(
      document,
      'button',
      {
        type: 'button',
        style: 'float:right;border:0;background:none;font-size:22px;line-height:1;cursor:pointer;color:#111827',
      },
      ['×'],
    );
    closeButton.setAttribute('aria-label', '결제창 닫기');

    const status = element(document, 'p', { style: 'min-height:1.4em;color:#b91c1c;margin:8px 0' });
    status.setAttribute('role', 'alert');

    const options = OPTIONS[method];
    const form = element(document, 'form', {}, []);
    form.noValidate = true;
    if (options) form.append(field(options.label, select(options.name, options.values)));
    let codeInput: HTMLInputElement | null = null;
    if (method === 'phone') {
      codeInput = element(document, 'input', { name: 'code', inputMode: 'numeric', autocomplete: 'one-time-code' });
      const phone = element(document, 'input', {
        name: 'phone',
        type: 'tel',
        value: String(params.buyer_tel ?? ''),
        autocomplete: 'tel',
      });
      form.append(field('휴대폰 번호', phone));
      const sendCode = button('인증번호 받기', false);
      const codeField = field('인증번호 (숫자 6자리)', codeInput);
      codeField.hidden = true;
      sendCode.addEventListener('click', () => {
        codeField.hidden = false;
        status.textContent = '';
        (codeInput as HTMLInputElement).focus();
      });
      form.append(sendCode, codeField);
    }
    const approve = button(`${amount} ${billingKey ? '등록하기' : '결제하기'}`, true);
    const declineSelect = select(
      'decline',
      DECLINE_CHOICES.map((choice) => `${choice.code} ${choice.message}`),
    );
    const decline = button('선택한 실패로 끝내기', false);
    const tester = element(
      document,
      'fieldset',
      { style: 'margin-top:16px;border:1px dashed #6b7280;border-radius:8px;padding:8px 12px' },
      [element(document, 'legend', {}, ['샌드박스: 실패 시험']), field('실패 사유', declineSelect), decline],
    );

    dialog.append(
      closeButton,
      element(document, 'h2', { id: `${id}-title`, style: 'font-size:18px;margin:0 0 4px' }, [title]),
      element(document, 'p', { style: 'margin:0;color:#374151;font-size:13px' }, ['KG모빌리언스 · PortOne 샌드박스']),
      element(document, 'p', { id: `${id}-summary`, style: 'margin:12px 0;font-size:15px' }, [
        `${params.name ?? '주문'} · `,
        element(document, 'strong', {}, [amount]),
      ]),
      form,
      status,
      approve,
      tester,
    );
    overlay.append(dialog);
    document.body.append(overlay);

    const finish = (choice: WindowChoice) => {
      document.removeEventListener('keydown', onKeyDown, true);
      overlay.remove();
      previousFocus?.focus();
      resolve(choice);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        finish({ kind: 'cancel' });
      } else if (event.key === 'Tab') {
        // Keep focus inside the window, as a modal must.
        const focusable = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
          (node) => !node.closest('[hidden]'),
        );
        const first = focusable[0];
        const last = focusable.at(-1);
        if (!first || !last) return;
        const active = document.activeElement;
        if (event.shiftKey && (active === first || !dialog.contains(active))) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
          event.preventDefault();
          first.focus();
        }
      }
    };
    document.addEventListener('keydown', onKeyDown, true);
    closeButton.addEventListener('click', () => finish({ kind: 'cancel' }));
    approve.addEventListener('click', () => {
      if (codeInput && !/^\d{6}$/.test(codeInput.value)) {
        status.textContent = '인증번호 받기를 누른 뒤, 숫자 6자리를 입력하세요.';
        return;
      }
      finish({ kind: 'approve' });
    });
    decline.addEventListener('click', () => {
      const chosen = DECLINE_CHOICES[declineSelect.selectedIndex] ?? DECLINE_CHOICES[0];
      finish({ kind: 'decline', code: chosen.code, message: chosen.message });
    });
    form.addEventListener('submit', (event) => event.preventDefault());
    (form.querySelector<HTMLElement>(FOCUSABLE) ?? approve).focus();
  });
}
