import { MobiliansPayButton, PortoneProvider, RedirectResultHandler } from '@portone-kit/react';
import { act, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { merchantCode, paymentRequest, setUpFakePortone } from './support.js';

setUpFakePortone();

describe('hydration', () => {
  it('hydrates the server HTML of a checkout without a mismatch, then becomes ready', async () => {
    const app = (
      <StrictMode>
        <PortoneProvider merchantCode={merchantCode}>
          <MobiliansPayButton request={paymentRequest} />
          <RedirectResultHandler verify={async () => 'ok'} />
        </PortoneProvider>
      </StrictMode>
    );
    const container = document.createElement('div');
    container.innerHTML = renderToString(app);
    document.body.append(container);
    const onRecoverableError = vi.fn();
    const errors = vi.spyOn(console, 'error');
    const root = await act(async () => hydrateRoot(container, app, { onRecoverableError }));
    await waitFor(() => expect(container.querySelector('button')?.dataset.status).toBe('ready'));
    expect(onRecoverableError).not.toHaveBeenCalled();
    expect(errors).not.toHaveBeenCalled();
    act(() => root.unmount());
    container.remove();
  });
});
