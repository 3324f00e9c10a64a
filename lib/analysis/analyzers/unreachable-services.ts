import { Analyzer } from '../analyzer';
import { evaluatorOf, serviceTargets } from '../authorization';
import { CODES } from '../codes';

/**
 * CDK0163 (ours): a Service whose workloads of the set are all under a default deny — ALLOW
 * policies apply to them and none has a rule — so no caller, whatever its principal, can reach it.
 * @internal
 */
export const unreachableServiceAnalyzer: Analyzer = {
  name: 'unreachable-services',
  analyze(model, report) {
    if (model.authorizationPolicies.length === 0) return;
    const evaluator = evaluatorOf(model);
    for (const svc of model.services) {
      const targets = serviceTargets(model, svc);
      if (targets.length === 0 || targets.some((t) => evaluator.admitsAnyone(t.target))) continue;
      report(
        svc,
        CODES.UnreachableUnderDefaultDeny,
        undefined,
        `every request to service '${svc.name}' is denied: the AuthorizationPolicies that apply to its workloads allow nothing, and no ALLOW policy names a caller; add an ALLOW policy with the callers' principals (or remove the service)`,
      );
    }
  },
};
