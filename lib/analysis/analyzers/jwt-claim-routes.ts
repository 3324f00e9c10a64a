import { Analyzer } from '../analyzer';
import { boundGateways, labelsMatch } from '../authorization';
import { CODES } from '../codes';
import { arr, entries, obj } from '../../kinds/common';
import { isJwtClaimHeader } from '../../kinds/fields';

const ROOT_NAMESPACE = 'istio-system';

/** The first header key of the VirtualService's HTTP matches that routes on a JWT claim. */
function claimKeyOf(spec: Record<string, any>): string | undefined {
  for (const route of arr(spec.http)) {
    for (const match of arr(obj(route)?.match)) {
      for (const field of ['headers', 'withoutHeaders']) {
        const key = entries(obj(match)?.[field]).find(([k]) => isJwtClaimHeader(k))?.[0];
        if (key !== undefined) return key;
      }
    }
  }
  return undefined;
}

/**
 * IST0149, like Istio's `virtualservice.JWTClaimRouteAnalyzer`: a VirtualService that matches a
 * header `@request.auth.claims...` and is bound to a gateway of the set needs, for each workload
 * the gateway selects, a RequestAuthentication (in `istio-system` or the workload's namespace)
 * whose selector matches it. Gateways not in the set, and gateway pods not in the set, are not judged.
 * @internal
 */
export const jwtClaimRouteAnalyzer: Analyzer = {
  name: 'jwt-claim-routes',
  analyze(model, report) {
    if (model.virtualServices.length === 0) return;
    for (const vs of model.virtualServices) {
      const key = claimKeyOf(vs.spec);
      if (key === undefined) continue;
      for (const { gateway, fullName } of boundGateways(model, vs)) {
        for (const w of model.workloads) {
          if (!labelsMatch(gateway.spec.selector, w.labels)) continue;
          const validated = model.requestAuthentications.some(
            (ra) =>
              (ra.namespace === ROOT_NAMESPACE || ra.namespace === w.namespace) &&
              labelsMatch(obj(ra.spec.selector)?.matchLabels, w.labels),
          );
          if (validated) continue;
          report(
            vs,
            CODES.JwtClaimBasedRoutingWithoutRequestAuthN,
            'spec.gateways',
            `routes on the JWT claim '${key}' through gateway '${fullName}', but no RequestAuthentication validates tokens on its workload '${w.ref.name}', so the claim is never set; add a RequestAuthentication selecting the gateway pods (in istio-system or '${w.namespace}')`,
          );
        }
      }
    }
  },
};
