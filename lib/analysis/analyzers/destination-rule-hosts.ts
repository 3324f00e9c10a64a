import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { lookupHost, notVisibleReason, viewersOf } from '../closed-world';

/**
 * IST0174, like the host check of Istio's `destinationrule.PodNotSelectedAnalyzer`: the
 * DestinationRule `host` must be provided by a Service or ServiceEntry visible from the
 * rule's namespace. Hosts outside the set are not judged (closed-world.ts).
 * @internal
 */
export const destinationRuleHostAnalyzer: Analyzer = {
  name: 'destination-rule-hosts',
  analyze(model, report) {
    for (const dr of model.destinationRules) {
      const host = dr.spec.host;
      if (typeof host !== 'string' || host === '') continue;
      const lookup = lookupHost(model, host, dr.namespace, viewersOf(dr));
      if (lookup.providers.length > 0 || !lookup.judged) continue;
      report(
        dr,
        CODES.UnknownDestinationRuleHost,
        'spec.host',
        `host '${host}' matches no service: ${notVisibleReason(model, lookup, viewersOf(dr))}, so this DestinationRule applies to nothing; ${lookup.hint ?? 'correct the host, or create the Service (or a ServiceEntry) it is meant for'}`,
      );
    }
  },
};
