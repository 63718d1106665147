import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { ShopApiError, shopApi } from './api.js';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);

// The server says which PortOne to use (the sandbox's SDK or PortOne's CDN) before anything renders.
shopApi.config().then(
  (config) =>
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    ),
  (reason: unknown) =>
    root.render(
      <main>
        <h1>상점을 열지 못했습니다</h1>
        <p role="alert">{reason instanceof ShopApiError ? reason.message : '잠시 후 다시 시도해 주세요.'}</p>
      </main>,
    ),
);
