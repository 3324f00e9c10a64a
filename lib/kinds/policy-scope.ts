/**
 * Rules the security kinds (PeerAuthentication, AuthorizationPolicy, RequestAuthentication)
 * share: how a policy picks its workloads (`selector`, `targetRef`, `targetRefs`).
 * @internal
 */
import { arr, entries, obj, str } from './common';
import { Problems } from './problem';

// The kinds a policy may target, by group ('' is the core group): Istio's allowedTargetRefs.
const TARGET_KINDS = new Map([
  ['/Service', 'Service'],
  ['networking.istio.io/ServiceEntry', 'ServiceEntry'],
  ['gateway.networking.k8s.io/Gateway', 'Gateway'],
  ['gateway.networking.k8s.io/GatewayClass', 'GatewayClass'],
]);

/**
 * Reports a `selector` without labels (a warning: it selects every workload of the namespace).
 * Empty keys and wildcards are CEL rules of the CRD.
 * @internal
 */
export function checkPolicySelector(r: Problems, spec: Record<string, any>): void {
  const selector = obj(spec.selector);
  if (selector && entries(selector.matchLabels).length === 0) {
    r.warnAt(
      'spec.selector.matchLabels',
      'is empty: the policy applies to every workload of its namespace',
      'give labels or drop the selector',
    );
  }
}

/** Reports `targetRef` / `targetRefs` entries to kinds a policy cannot attach to. @internal */
export function checkTargetRefs(r: Problems, spec: Record<string, any>): void {
  const check = (field: string, ref: unknown): void => {
    const t = obj(ref);
    if (!t) return;
    const group = str(t.group) ?? '';
    const kind = str(t.kind) ?? '';
    if (!TARGET_KINDS.has(`${group === 'core' ? '' : group}/${kind}`)) {
      r.error(
        `${field}.kind`,
        group === '' ? kind : `${group}/${kind}`,
        'is not a kind a policy can target',
        'target a Service, a ServiceEntry (networking.istio.io), or a Gateway or GatewayClass (gateway.networking.k8s.io)',
      );
    }
  };
  check('spec.targetRef', spec.targetRef);
  arr(spec.targetRefs).forEach((t, i) => check(`spec.targetRefs[${i}]`, t));
}
