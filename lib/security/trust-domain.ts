import { IstioConfigError } from '../kinds/errors';
import { isDns1123Subdomain } from '../kinds/fields';

// Internal: lib/index.ts does not export this module.

/**
 * The trust domain of a default Istio install, public as `DEFAULT_TRUST_DOMAIN`. Here so that the
 * analysis can read it without loading the constructs (and cdk8s) that `workload-identity.ts` loads.
 */
export const ISTIO_DEFAULT_TRUST_DOMAIN = 'cluster.local';

/** The service account of a default Istio install's ingress gateway. */
export const INGRESS_GATEWAY_SERVICE_ACCOUNT = { namespace: 'istio-system', name: 'istio-ingressgateway-service-account' } as const;

/** Throws unless `trustDomain` is a trust domain (a DNS name, so no `/`). */
export function checkTrustDomain(trustDomain: string): void {
  if (!isDns1123Subdomain(trustDomain.toLowerCase())) {
    throw new IstioConfigError(`trustDomain ('${trustDomain}') must be a DNS name such as 'cluster.local'`);
  }
}
