// How the shop reaches PortOne: the offline sandbox by default, or real PortOne when all three credentials
// are in the environment. Secrets are read here and handed to the REST client only: never printed.

/** Mobilians' public test service ID, which PortOne documents for general and billing tests. */
export const MOBILIANS_TEST_MID = '170622040674';

export interface PortoneCredentials {
  merchantCode: string;
  impKey: string;
  impSecret: string;
  /** Default: PortOne's API. */
  apiUrl?: string | undefined;
  /** Default: null, the kit's default SDK src (PortOne's CDN). */
  sdkSrc?: string | null | undefined;
  pg?: string | undefined;
  /** `mobilians.<billing MID>`: the shop's own service, never the public test MID by default. */
  billingPg: string;
  /** Accept test-channel payments (PortOne's test mode). Default false. */
  allowTestPayments?: boolean | undefined;
}

export class ConfigError extends Error {}

const CREDENTIAL_NAMES = ['PORTONE_MERCHANT_CODE', 'PORTONE_IMP_KEY', 'PORTONE_IMP_SECRET'] as const;

/** Real PortOne's settings from the environment, or null for the sandbox. Half a set is an error. */
export function portoneFromEnvironment(env: NodeJS.ProcessEnv): PortoneCredentials | null {
  const present = CREDENTIAL_NAMES.filter((name) => env[name]);
  if (present.length === 0) return null;
  if (present.length < CREDENTIAL_NAMES.length) {
    const missing = CREDENTIAL_NAMES.filter((name) => !env[name]);
    throw new ConfigError(`real PortOne needs ${CREDENTIAL_NAMES.join(', ')}; missing: ${missing.join(', ')}`);
  }
  const merchantCode = env.PORTONE_MERCHANT_CODE as string;
  if (!/^imp\d+$/.test(merchantCode)) throw new ConfigError('PORTONE_MERCHANT_CODE must be "imp" followed by digits');
  // The public test MID would issue real buyers' billing keys on a test service: the shop's own is required.
  const billingPg = env.PORTONE_BILLING_PG;
  if (!billingPg) {
    throw new ConfigError(
      'real PortOne needs PORTONE_BILLING_PG: mobilians.<MID of your KG Mobilians billing service>',
    );
  }
  if (billingPg === `mobilians.${MOBILIANS_TEST_MID}` && env.PORTONE_ALLOW_TEST_PAYMENTS !== '1') {
    throw new ConfigError(
      `PORTONE_BILLING_PG is KG Mobilians' public test MID; use your own, or set PORTONE_ALLOW_TEST_PAYMENTS=1 to test`,
    );
  }
  return {
    merchantCode,
    impKey: env.PORTONE_IMP_KEY as string,
    impSecret: env.PORTONE_IMP_SECRET as string,
    apiUrl: env.PORTONE_API_URL || undefined,
    sdkSrc: env.PORTONE_SDK_SRC || null,
    pg: env.PORTONE_PG || undefined,
    billingPg,
    allowTestPayments: env.PORTONE_ALLOW_TEST_PAYMENTS === '1',
  };
}
