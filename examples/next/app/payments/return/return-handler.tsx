'use client';
import { RedirectResultHandler } from '@portone-kit/react';
import { verifyOnServer } from '@/lib/verify';

/**
 * Verifies the result once per imp_uid (a reload or the back button asks nobody again), then goes back
 * to the page that opened the window (the order, or the subscription), whose button shows the outcome.
 */
export function ReturnHandler() {
  return <RedirectResultHandler verify={verifyOnServer} followReturnPath />;
}
