import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { NETWORKING_GROUP } from '../../kinds/catalogue';
import { arr, isObject } from '../../kinds/common';

// Custom resource types of Istio's removed RBAC API.
const REMOVED_RBAC_KINDS = new Set(['ClusterRbacConfig', 'RbacConfig', 'ServiceRole', 'ServiceRoleBinding']);

/**
 * IST0002, like Istio's `deprecation.FieldAnalyzer`:
 * - a VirtualService `http[].fault.delay.percent` above 0 (replaced by `percentage`);
 * - a Sidecar `outboundTrafficPolicy.egressProxy` (ignored);
 * - a CustomResourceDefinition of a removed `rbac.istio.io` type.
 * @internal
 */
export const deprecatedFieldAnalyzer: Analyzer = {
  name: 'deprecated-fields',
  analyze(model, report) {
    for (const vs of model.virtualServices) {
      arr(vs.spec.http).forEach((rule, i) => {
        const percent = rule?.fault?.delay?.percent;
        if (typeof percent !== 'number' || percent <= 0) return;
        report(
          vs,
          CODES.Deprecated,
          `spec.http[${i}].fault.delay.percent`,
          `fault.delay.percent is deprecated; write fault.delay.percentage: { value: ${percent} } instead`,
        );
      });
    }
    for (const ref of model.objects) {
      if (ref.kind === 'Sidecar' && ref.apiVersion.startsWith(`${NETWORKING_GROUP}/`)) {
        if (isObject(ref.spec.outboundTrafficPolicy?.egressProxy)) {
          report(
            ref,
            CODES.Deprecated,
            'spec.outboundTrafficPolicy.egressProxy',
            'outboundTrafficPolicy.egressProxy is deprecated and ignored; route outbound traffic through an egress gateway instead',
          );
        }
      } else if (
        ref.kind === 'CustomResourceDefinition' &&
        ref.spec.group === 'rbac.istio.io' &&
        REMOVED_RBAC_KINDS.has(ref.spec.names?.kind)
      ) {
        report(
          ref,
          CODES.Deprecated,
          'spec.names.kind',
          `the custom resource type rbac.istio.io ${ref.spec.names.kind} is removed from Istio; use AuthorizationPolicy (security.istio.io) and delete this CustomResourceDefinition`,
        );
      }
    }
  },
};
