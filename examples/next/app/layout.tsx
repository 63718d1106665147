import '@portone-kit/react/styles.css';
import './globals.css';
import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { HydrationMark } from '@/lib/focus';
import { shopSettings } from '@/lib/shop';
import { Providers } from './providers';

export const metadata: Metadata = {
  title: '찻잎 상점 · Next.js',
  description: 'portone-kit on the Next.js App Router',
};

// Every page reads the server's settings and the buyer's orders at request time.
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: ReactNode }) {
  const { merchantCode, sdkSrc, sandbox } = shopSettings();
  return (
    <html lang="ko">
      <body>
        <Providers merchantCode={merchantCode} sdkSrc={sdkSrc}>
          <header className="site-header">
            <p className="brand">
              <Link href="/">찻잎 상점</Link>
            </p>
            <nav aria-label="주 메뉴">
              <ul>
                <li>
                  <Link href="/">장바구니</Link>
                </li>
                <li>
                  <Link href="/subscription">정기배송</Link>
                </li>
              </ul>
            </nav>
          </header>
          <main id="main">{children}</main>
          <footer className="site-footer">
            {sandbox ? (
              <p>PortOne 샌드박스(오프라인 에뮬레이터)에서 동작합니다. 실제 결제는 일어나지 않습니다.</p>
            ) : null}
            <p>portone-kit 예제 · Next.js App Router · KG모빌리언스 (PortOne V1)</p>
          </footer>
        </Providers>
        <HydrationMark />
      </body>
    </html>
  );
}
