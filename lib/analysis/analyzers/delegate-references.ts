import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { isJudgedNamespace } from '../closed-world';
import { ObjectRef } from '../model';
import { arr, isObject } from '../../kinds/common';

/**
 * Delegation (`http[].delegate`), which istioctl does not analyze: the delegate VirtualService
 * (`name`, in `namespace` or the root's namespace) must be in the set when its namespace is
 * (IST0101), and must be a delegate, without hosts and gateways (CDK0003): Istio ignores a
 * delegation to any other VirtualService. That a delegate does not delegate again, and has no
 * gateways of its own, is the rule book's (it holds for each object alone).
 * @internal
 */
export const delegateReferenceAnalyzer: Analyzer = {
  name: 'delegate-references',
  analyze(model, report) {
    const byKey = new Map<string, ObjectRef>();
    for (const vs of model.virtualServices) byKey.set(`${vs.namespace}/${vs.name}`, vs);
    for (const vs of model.virtualServices) {
      arr(vs.spec.http).forEach((route, i) => {
        const delegate = isObject(route) ? route.delegate : undefined;
        if (!isObject(delegate) || typeof delegate.name !== 'string' || delegate.name === '') return;
        const namespace = typeof delegate.namespace === 'string' && delegate.namespace !== '' ? delegate.namespace : vs.namespace;
        const field = `spec.http[${i}].delegate`;
        const target = byKey.get(`${namespace}/${delegate.name}`);
        if (!target) {
          if (!isJudgedNamespace(model, namespace)) return;
          report(
            vs,
            CODES.ReferencedResourceNotFound,
            field,
            `delegate VirtualService '${namespace}/${delegate.name}' not found; create it (a VirtualService without hosts) or correct the name`,
          );
          return;
        }
        const hosts = arr(target.spec.hosts).length > 0;
        const gateways = arr(target.spec.gateways).length > 0;
        if (hosts || gateways) {
          report(
            vs,
            CODES.DelegateNotADelegate,
            field,
            `VirtualService '${namespace}/${delegate.name}' has ${hosts ? 'hosts' : 'gateways'}, so it is not a delegate and Istio ignores this delegation; remove its hosts and gateways (DelegateVirtualService) or route here directly`,
          );
        }
      });
    }
  },
};
