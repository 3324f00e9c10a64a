import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { isJudgedNamespace } from '../closed-world';
import { hostsOverlap } from '../../kinds/fields';
import { ObjectRef } from '../model';
import { arr } from '../../kinds/common';

/**
 * IST0101 (gateway) and IST0132, like Istio's `virtualservice.GatewayAnalyzer`: each
 * `gateways[]` entry other than `mesh` (`ns/name`, or `name` in the VirtualService's namespace)
 * must be a Gateway of the set, and at least one of the VirtualService's hosts must match a
 * host of one of that Gateway's servers (`./h` counts in the Gateway's namespace, `*\/h`
 * everywhere, `ns/h` only for VirtualServices in `ns`; wildcards match by suffix).
 * Gateways in namespaces absent from the set are not judged. Unlike istioctl, IST0132 is not
 * repeated for a Gateway that does not exist (IST0101 already says so).
 * @internal
 */
export const virtualServiceGatewayAnalyzer: Analyzer = {
  name: 'virtual-service-gateways',
  analyze(model, report) {
    for (const vs of model.virtualServices) {
      const vsHosts = arr(vs.spec.hosts).filter((h): h is string => typeof h === 'string');
      arr(vs.spec.gateways).forEach((ref, i) => {
        if (typeof ref !== 'string' || ref === 'mesh' || ref === '') return;
        const slash = ref.indexOf('/');
        const namespace = slash >= 0 ? ref.slice(0, slash) : vs.namespace;
        const name = slash >= 0 ? ref.slice(slash + 1) : ref;
        const field = `spec.gateways[${i}]`;
        const gateway = model.gateway(namespace, name);
        if (!gateway) {
          if (!isJudgedNamespace(model, namespace)) return;
          const hint =
            slash < 0 && name.includes('.')
              ? `; the legacy form '<name>.<namespace>' is not resolved, write '${name.slice(name.indexOf('.') + 1)}/${name.slice(0, name.indexOf('.'))}'`
              : "; create the Gateway, or write the reference as '<namespace>/<name>' (a bare name means the VirtualService's namespace)";
          report(
            vs,
            CODES.ReferencedResourceNotFound,
            field,
            `gateway '${ref}' not found: no Gateway '${name}' in namespace '${namespace}'${hint}`,
          );
          return;
        }
        const gatewayHosts = serverHostsFor(gateway, vs.namespace);
        if (vsHosts.length > 0 && !gatewayHosts.some((gh) => vsHosts.some((vh) => hostsOverlap(gh, vh)))) {
          report(
            vs,
            CODES.VirtualServiceHostNotFoundInGateway,
            field,
            `none of the hosts (${vsHosts.join(', ')}) is served by gateway '${namespace}/${name}' (its server hosts visible here: ${gatewayHosts.length > 0 ? gatewayHosts.join(', ') : 'none'}), so the gateway will not use this VirtualService; add a matching host to a server of the Gateway or change spec.hosts`,
          );
        }
      });
    }
  },
};

/** Hosts of a Gateway's servers that apply to VirtualServices of `vsNamespace`. */
function serverHostsFor(gateway: ObjectRef, vsNamespace: string): string[] {
  const hosts: string[] = [];
  for (const server of arr(gateway.spec.servers)) {
    for (const h of arr(server?.hosts)) {
      if (typeof h !== 'string') continue;
      const slash = h.indexOf('/');
      if (slash < 0) {
        hosts.push(h);
        continue;
      }
      let ns = h.slice(0, slash);
      if (ns === '.') ns = gateway.namespace;
      if (ns === '*' || ns === vsNamespace) hosts.push(h.slice(slash + 1));
    }
  }
  return hosts;
}
