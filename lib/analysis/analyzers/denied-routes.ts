import { AuthorizationOutcome, AuthorizationRequest } from '../../security/evaluate';
import { Analyzer } from '../analyzer';
import { boundGateways, DEFAULT_INGRESS_PRINCIPAL, evaluatorOf, principalOf, serviceTargets, subsetLabelsOf } from '../authorization';
import { lookupHost } from '../closed-world';
import { CODES } from '../codes';
import { MeshModel, ObjectRef, selectorOf } from '../model';
import { arr, entries, num, obj, str } from '../../kinds/common';

/** A caller whose identity the set tells: `who` for messages, `principal` for the policies. */
interface Caller {
  readonly who: string;
  readonly principal: string;
}

/** The callers of a VirtualService's routes: the gateways' workloads, or undefined when unknown. */
function gatewayCallers(model: MeshModel, vs: ObjectRef): Caller[] {
  const callers: Caller[] = [];
  for (const { gateway, fullName } of boundGateways(model, vs)) {
    const pods = model.workloadsSelectedBy(selectorOf(gateway.spec.selector));
    for (const w of pods) {
      const principal = principalOf(w);
      if (principal) callers.push({ who: `gateway '${fullName}' (${principal})`, principal });
    }
    // Pods not in the set: a default install's ingress gateway is known by its selector.
    const selector = entries(gateway.spec.selector);
    if (pods.length === 0 && selector.length === 1 && selector[0][0] === 'istio' && selector[0][1] === 'ingressgateway') {
      callers.push({ who: `gateway '${fullName}' (${DEFAULT_INGRESS_PRINCIPAL})`, principal: DEFAULT_INGRESS_PRINCIPAL });
    }
  }
  return callers;
}

/** The mesh callers of a match with sourceLabels: the workloads that carry them. */
function sourceCallers(model: MeshModel, match: Record<string, any>): Caller[] {
  const labels = obj(match.sourceLabels);
  if (!labels || Object.keys(labels).length === 0) return [];
  const namespace = str(match.sourceNamespace);
  return model
    .workloadsSelectedBy(selectorOf(labels))
    .filter((w) => namespace === undefined || w.namespace === namespace)
    .flatMap((w) => {
      const principal = principalOf(w);
      return principal ? [{ who: `workload '${w.ref.name}' (${principal})`, principal }] : [];
    });
}

/** The request a match describes: its exact or prefix path and method, its exact headers. */
function requestOf(match: Record<string, any>, principal: string): AuthorizationRequest | undefined {
  const uri = obj(match.uri);
  if (uri && uri.regex !== undefined) return undefined;
  const headers: { [name: string]: string } = {};
  for (const [name, m] of entries(match.headers)) {
    const exact = str(obj(m)?.exact);
    if (exact !== undefined) headers[name.toLowerCase()] = exact;
  }
  return {
    principal,
    path: str(uri?.exact) ?? str(uri?.prefix) ?? '/',
    method: str(obj(match.method)?.exact) ?? 'GET',
    headers,
  };
}

/**
 * CDK0161 (ours; istioctl has no such check): a route whose caller the set knows — the workloads
 * of the gateways it is bound to (Istio's default ingress gateway identity when the gateway
 * selects `istio: ingressgateway` and its pods are not in the set), or the workloads of a match's
 * `sourceLabels` — sends requests to workloads whose AuthorizationPolicies deny that caller. The
 * request is the match's (exact or prefix path, exact method and headers; `GET /` without
 * match); mesh routes without sourceLabels have no known caller and are not judged.
 * @internal
 */
export const deniedRouteAnalyzer: Analyzer = {
  name: 'denied-routes',
  analyze(model, report) {
    if (model.authorizationPolicies.length === 0) return;
    const evaluator = evaluatorOf(model);
    for (const vs of model.virtualServices) {
      const viaGateways = gatewayCallers(model, vs);
      arr(vs.spec.http).forEach((route, i) => {
        const matches = arr(obj(route)?.match).map((m) => obj(m) ?? {});
        const requests = (matches.length > 0 ? matches : [{}]).flatMap((match) =>
          [...viaGateways, ...sourceCallers(model, match)].map((caller) => ({ caller, request: requestOf(match, caller.principal) })),
        );
        arr(obj(route)?.route).forEach((dest, j) => {
          const destination = obj(obj(dest)?.destination);
          const host = str(destination?.host);
          if (!destination || host === undefined) return;
          const lookup = lookupHost(model, host, vs.namespace);
          const subset = str(destination.subset);
          const subsetLabels = subset === undefined ? {} : subsetLabelsOf(model, lookup.fqdn, subset);
          if (subsetLabels === undefined) return;
          const port = num(obj(destination.port)?.number);
          const targets = lookup.providers
            .filter((p) => p.ref.kind === 'Service')
            .flatMap((p) => serviceTargets(model, p.ref, subsetLabels, port));
          for (const { caller, request } of requests) {
            if (!request) continue;
            const denied = targets.find((t) => evaluator.evaluate(t.target, request).outcome === AuthorizationOutcome.DENY);
            if (!denied) continue;
            const decision = evaluator.evaluate(denied.target, request);
            report(
              vs,
              CODES.RouteDeniedByAuthorization,
              `spec.http[${i}].route[${j}].destination`,
              `routes ${request.method} ${request.path} from ${caller.who} to '${host}', but workload '${denied.workload.ref.name}' denies it (${decision.reason}${decision.policy ? `: ${decision.policy}` : ''}), so the request fails with 403; allow this caller in the workload's AuthorizationPolicy or stop routing it there`,
            );
            return;
          }
        });
      });
    }
  },
};
