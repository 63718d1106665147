import type { MobiliansPg } from '@portone-kit/core';

/** The server's `pg` setting, narrowed to what the kit accepts. */
export function mobiliansPg(value: string): MobiliansPg {
  return value === 'mobilians' || value.startsWith('mobilians.') ? (value as MobiliansPg) : 'mobilians';
}

/** Where mobile browsers come back after the window. */
export const returnUrl = () => `${window.location.origin}/payments/return`;
