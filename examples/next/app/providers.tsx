'use client';
import { PortoneProvider } from '@portone-kit/react';
import type { ReactNode } from 'react';

/**
 * The kit's provider in a client boundary: it loads the SDK once, after hydration, for every button below.
 * The layout (a Server Component) passes what it read from the server's environment: the merchant code
 * is public, and `src` points at the sandbox when it runs there.
 */
export function Providers({
  merchantCode,
  sdkSrc,
  children,
}: {
  merchantCode: string;
  sdkSrc: string | undefined;
  children: ReactNode;
}) {
  return (
    <PortoneProvider merchantCode={merchantCode} src={sdkSrc}>
      {children}
    </PortoneProvider>
  );
}
