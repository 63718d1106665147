// PortOne's REST records live once, in `@portone-kit/core/rest` (types only); the sandbox answers the same
// shapes. This module keeps the server's import paths and adds what only the client needs.
export type * from '@portone-kit/core/rest';

/** The buyer fields a charge or schedule may carry; by default PortOne uses the billing key's holder. */
export interface BuyerFields {
  buyerName?: string;
  buyerEmail?: string;
  buyerTel?: string;
  buyerAddr?: string;
  buyerPostcode?: string;
}
