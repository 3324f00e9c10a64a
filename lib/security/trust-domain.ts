import { IstioConfigError } from '../kinds/errors';
import { isDns1123Subdomain } from '../kinds/fields';

// Internal: lib/index.ts does not export this module.

/** Throws unless `trustDomain` is a trust domain (a DNS name, so no `/`). */
export function checkTrustDomain(trustDomain: string): void {
  if (!isDns1123Subdomain(trustDomain.toLowerCase())) {
    throw new IstioConfigError(`trustDomain ('${trustDomain}') must be a DNS name such as 'cluster.local'`);
  }
}
