import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { isBoundToMesh } from '../destinations';
import { toFqdn } from '../hosts';
import { ObjectRef } from '../model';
import { arr } from '../../kinds/common';

interface HostClaim {
  readonly vs: ObjectRef;
  readonly field: string;
}

/**
 * IST0109, like Istio's `virtualservice.ConflictingMeshGatewayHostsAnalyzer`: two
 * VirtualServices bound to the mesh (no `gateways`, or `mesh` among them) declare the same
 * host (short hosts expanded) in overlapping `exportTo` scopes. A VirtualService exported to
 * all namespaces collides with every other one; namespace-scoped ones collide within their
 * namespace. Sidecars take only one of them, so the other's rules are silently ignored.
 * @internal
 */
export const conflictingMeshHostsAnalyzer: Analyzer = {
  name: 'conflicting-mesh-hosts',
  analyze(model, report) {
    // host -> scope ('*' or a namespace) -> claims
    const claims = new Map<string, Map<string, HostClaim[]>>();
    for (const vs of model.virtualServices) {
      if (!isBoundToMesh(vs)) continue;
      const exportTo = arr(vs.spec.exportTo);
      const scope = exportTo.length === 0 || exportTo.includes('*') ? '*' : vs.namespace;
      const seen = new Set<string>();
      arr(vs.spec.hosts).forEach((h, i) => {
        if (typeof h !== 'string') return;
        const fqdn = toFqdn(h, vs.namespace);
        if (seen.has(fqdn)) return;
        seen.add(fqdn);
        let byScope = claims.get(fqdn);
        if (!byScope) claims.set(fqdn, (byScope = new Map()));
        const list = byScope.get(scope);
        if (list) list.push({ vs, field: `spec.hosts[${i}]` });
        else byScope.set(scope, [{ vs, field: `spec.hosts[${i}]` }]);
      });
    }
    for (const [host, byScope] of claims) {
      const global = byScope.get('*') ?? [];
      const all = [...byScope.values()].flat();
      for (const [scope, list] of byScope) {
        // A global claim collides with every other claim; a namespace-scoped one with the
        // global claims and the other claims of its namespace.
        const candidates = scope === '*' ? all : [...global, ...list];
        for (const claim of list) {
          // Same namespace/name is one object applied twice (CDK0001), not two VirtualServices.
          const others = candidates.filter((c) => c.vs.namespace !== claim.vs.namespace || c.vs.name !== claim.vs.name);
          if (others.length === 0) continue;
          report(
            claim.vs,
            CODES.ConflictingMeshGatewayVirtualServiceHosts,
            claim.field,
            `host '${host}' is also declared by mesh VirtualService ${nameList(others)}; sidecars use only one VirtualService per host, so the rules of the others are ignored; merge them into one VirtualService`,
          );
        }
      }
    }
  },
};

function nameList(claims: readonly HostClaim[]): string {
  const names = [...new Set(claims.map((c) => `${c.vs.namespace}/${c.vs.name}`))];
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}
