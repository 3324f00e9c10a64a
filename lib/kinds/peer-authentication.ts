import { obj } from './common';
import { checkPolicySelector } from './policy-scope';
import { Problems } from './problem';

/**
 * Istio's admission rules for a PeerAuthentication beyond its CRD schema. The CRD's CEL rules
 * already refuse port-level mTLS without a selector, an empty `portLevelMtls` and ports outside
 * 1..65535; what is left is the warning on a selector without labels.
 * @internal
 */
export function checkPeerAuthentication(r: Problems, object: any): void {
  const spec = obj(object.spec);
  if (!spec) return;
  checkPolicySelector(r, spec);
}
