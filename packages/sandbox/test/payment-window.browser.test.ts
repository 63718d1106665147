import type { RequestPayParams } from '@portone-kit/core';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { DECLINE_CHOICES, openPaymentWindow, type WindowChoice } from '../src/window/payment-window.js';

const phone = {
  pg: 'mobilians',
  pay_method: 'phone',
  merchant_uid: 'order_0001',
  name: '월간 구독',
  amount: 9900,
  buyer_tel: '010-1234-5678',
} satisfies RequestPayParams;

const dialog = () => document.querySelector<HTMLElement>('[role="dialog"]');
const byLabel = (label: string) => {
  const target = [...document.querySelectorAll('label')].find((node) => node.textContent === label);
  return document.getElementById(target?.htmlFor ?? '') as HTMLInputElement | HTMLSelectElement | null;
};
const buttonNamed = (name: RegExp) =>
  [...(dialog()?.querySelectorAll('button') ?? [])].find((node) =>
    name.test(node.getAttribute('aria-label') ?? node.textContent ?? ''),
  ) as HTMLButtonElement;

let opener: HTMLButtonElement;

function open(params: RequestPayParams = phone): Promise<WindowChoice> {
  opener = document.createElement('button');
  opener.textContent = '결제하기';
  document.body.append(opener);
  opener.focus();
  return openPaymentWindow(params);
}

afterEach(() => {
  for (const node of document.querySelectorAll('[data-portone-sandbox="window"]')) node.remove();
  opener?.remove();
});

describe('the sandbox payment window', () => {
  it('is a labelled modal dialog that takes the focus, keeps it inside, and cancels on Escape', async () => {
    const choice = open();
    const window = dialog();
    expect(window?.getAttribute('aria-modal')).toBe('true');
    expect(document.getElementById(window?.getAttribute('aria-labelledby') ?? '')?.textContent).toBe(
      '휴대폰 소액결제 결제',
    );
    expect(window?.textContent).toContain('9,900원');
    expect(window?.contains(document.activeElement)).toBe(true);
    for (let step = 0; step < 12; step++) {
      await userEvent.tab();
      expect(window?.contains(document.activeElement)).toBe(true);
    }
    await userEvent.tab({ shift: true });
    expect(window?.contains(document.activeElement)).toBe(true);
    await userEvent.keyboard('{Escape}');
    await expect(choice).resolves.toEqual({ kind: 'cancel' });
    expect(dialog()).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('asks for the phone code before approving a phone payment', async () => {
    const choice = open();
    expect((byLabel('휴대폰 번호') as HTMLInputElement).value).toBe('010-1234-5678');
    await userEvent.click(buttonNamed(/결제하기/));
    expect(document.querySelector('[role="alert"]')?.textContent).toContain('숫자 6자리');
    expect(dialog()).not.toBeNull();
    await userEvent.click(buttonNamed(/인증번호 받기/));
    const code = byLabel('인증번호 (숫자 6자리)') as HTMLInputElement;
    expect(document.activeElement).toBe(code);
    await userEvent.type(code, '123456');
    await userEvent.click(buttonNamed(/9,900원 결제하기/));
    await expect(choice).resolves.toEqual({ kind: 'approve' });
  });

  it('shows a card company for card and a bank for account transfer', async () => {
    const card = open({ ...phone, pay_method: 'card' });
    expect(byLabel('카드사')).not.toBeNull();
    await userEvent.click(buttonNamed(/결제하기/));
    await expect(card).resolves.toEqual({ kind: 'approve' });
    const transfer = open({ ...phone, pay_method: 'trans' });
    expect(byLabel('은행')).not.toBeNull();
    await userEvent.click(buttonNamed(/결제창 닫기/));
    await expect(transfer).resolves.toEqual({ kind: 'cancel' });
  });

  it('ends with the failure the tester chose', async () => {
    const choice = open({ ...phone, pay_method: 'card' });
    const reason = byLabel('실패 사유') as HTMLSelectElement;
    await userEvent.selectOptions(reason, `${DECLINE_CHOICES[1].code} ${DECLINE_CHOICES[1].message}`);
    await userEvent.click(buttonNamed(/선택한 실패로 끝내기/));
    await expect(choice).resolves.toEqual({
      kind: 'decline',
      code: DECLINE_CHOICES[1].code,
      message: DECLINE_CHOICES[1].message,
    });
  });

  it('titles a billing-key window as such', async () => {
    const choice = open({ ...phone, customer_uid: 'customer_0001', amount: 0 });
    expect(dialog()?.textContent).toContain('정기결제 등록 · 휴대폰 소액결제');
    expect(buttonNamed(/등록하기/)).toBeDefined();
    await userEvent.keyboard('{Escape}');
    await choice;
  });

  it('has no axe violations', async () => {
    for (const pay_method of ['phone', 'card', 'trans'] as const) {
      const choice = open({ ...phone, pay_method });
      if (pay_method === 'phone') await userEvent.click(buttonNamed(/인증번호 받기/));
      const results = await axe.run(dialog() as HTMLElement);
      expect(results.violations.map((violation) => `${pay_method} ${violation.id}: ${violation.help}`)).toEqual([]);
      await userEvent.keyboard('{Escape}');
      await choice;
    }
  });
});
