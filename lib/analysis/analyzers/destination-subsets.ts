import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { lookupHost } from '../closed-world';
import { destinationsOf } from '../destinations';
import { toFqdn } from '../hosts';

/**
 * IST0101 (subset), like Istio's `virtualservice.DestinationRuleAnalyzer`: a destination
 * `subset` must be defined by a DestinationRule whose host (short hosts expanded with the
 * rule's namespace) is the destination host (short hosts expanded with the VirtualService's
 * namespace). DestinationRule `exportTo` is ignored, as in Istio. Judged when the host is
 * judged (closed-world.ts) or some DestinationRule of the set declares the host.
 * @internal
 */
export const destinationSubsetAnalyzer: Analyzer = {
  name: 'destination-subsets',
  analyze(model, report) {
    for (const vs of model.virtualServices) {
      for (const { destination, field, mirror } of destinationsOf(vs)) {
        const { host, subset } = destination;
        if (typeof host !== 'string' || host === '' || typeof subset !== 'string' || subset === '') continue;
        const fqdn = toFqdn(host, vs.namespace);
        const subsets = model.subsetsOf(fqdn);
        if (subsets?.has(subset)) continue;
        if (!subsets && !lookupHost(model, host, vs.namespace).judged) continue;
        const what = mirror ? 'mirror' : 'destination';
        const detail = subsets
          ? `the DestinationRule(s) for '${fqdn}' define ${subsets.size > 0 ? [...subsets.keys()].map((s) => `'${s}'`).join(', ') : 'no subsets'}`
          : `no DestinationRule in the set has host '${fqdn}'`;
        report(
          vs,
          CODES.ReferencedResourceNotFound,
          `${field}.subset`,
          `subset '${subset}' of ${what} host '${host}' is not defined: ${detail}; add a subset named '${subset}' (with the labels of its pods) to the DestinationRule of that host, or route to a defined subset`,
        );
      }
    }
  },
};
