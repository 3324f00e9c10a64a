import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { isBoundToMesh } from '../destinations';
import { toFqdn } from '../hosts';
import { exportScopes, ObjectRef } from '../model';
import { hostsOverlap } from '../../kinds/fields';
import { arr } from '../../kinds/common';

interface HostClaim {
  readonly vs: ObjectRef;
  readonly host: string;
  readonly index: number;
}

/**
 * IST0109, like Istio's `virtualservice.ConflictingMeshGatewayHostsAnalyzer`: VirtualServices
 * bound to the mesh (no `gateways`, or `mesh` among them) claim their hosts (short hosts
 * expanded, wildcards kept) in each namespace they are exported to (`exportTo` empty or with
 * `*`: all namespaces; `.`: their own). Two claims collide when they are in the same namespace
 * scope with the same host, or when one is exported to all namespaces and the other, scoped to
 * a namespace, has a host overlapping it (`*.productpage.d` exported to `.` overlaps `*.d`
 * exported to `*`). Two claims exported to all namespaces collide only on the same host, as
 * in Istio. Each VirtualService is reported once, on its first colliding host. Sidecars use
 * only one VirtualService per host, so the others' rules are ignored.
 * @internal
 */
export const conflictingMeshHostsAnalyzer: Analyzer = {
  name: 'conflicting-mesh-hosts',
  analyze(model, report) {
    // scope ('*' or a namespace) -> host -> claims
    const claims = new Map<string, Map<string, HostClaim[]>>();
    for (const vs of model.virtualServices) {
      if (!isBoundToMesh(vs)) continue;
      for (const scope of exportScopes(vs)) {
        let byHost = claims.get(scope);
        if (!byHost) claims.set(scope, (byHost = new Map()));
        const seen = new Set<string>();
        arr(vs.spec.hosts).forEach((h, i) => {
          if (typeof h !== 'string' || h === '') return;
          const host = toFqdn(h, vs.namespace);
          if (seen.has(host)) return;
          seen.add(host);
          const claim = { vs, host, index: i };
          const list = byHost!.get(host);
          if (list) list.push(claim);
          else byHost!.set(host, [claim]);
        });
      }
    }
    const global = claims.get('*') ?? new Map<string, HostClaim[]>();
    // Claims exported to all namespaces, for the overlap lookup: exact hosts by name, wildcards apart.
    const globalWildcards = [...global.entries()].filter(([h]) => h.startsWith('*'));
    const found = new Map<ObjectRef, { claim: HostClaim; others: Set<string> }>();
    const collide = (group: readonly HostClaim[]) => {
      const names = new Set(group.map((c) => `${c.vs.namespace}/${c.vs.name}`));
      // One object applied twice is CDK0001, not two VirtualServices.
      if (names.size < 2) return;
      for (const claim of group) {
        const entry = found.get(claim.vs) ?? { claim, others: new Set<string>() };
        for (const n of names) if (n !== `${claim.vs.namespace}/${claim.vs.name}`) entry.others.add(n);
        if (claim.index < entry.claim.index) entry.claim = claim;
        found.set(claim.vs, entry);
      }
    };
    for (const [scope, byHost] of claims) {
      for (const [host, list] of byHost) {
        if (scope === '*') {
          collide(list);
          continue;
        }
        const overlapping = host.startsWith('*')
          ? [...global.entries()].filter(([h]) => hostsOverlap(h, host)).flatMap(([, l]) => l)
          : [...(global.get(host) ?? []), ...globalWildcards.filter(([h]) => hostsOverlap(h, host)).flatMap(([, l]) => l)];
        collide([...list, ...overlapping]);
      }
    }
    for (const vs of model.virtualServices) {
      const entry = found.get(vs);
      if (!entry) continue;
      report(
        vs,
        CODES.ConflictingMeshGatewayVirtualServiceHosts,
        `spec.hosts[${entry.claim.index}]`,
        `host '${entry.claim.host}' overlaps hosts of mesh VirtualService ${nameList([...entry.others].sort())} in a namespace both are exported to; sidecars use only one VirtualService per host, so the rules of the others are ignored; merge them into one VirtualService or narrow exportTo`,
      );
    }
  },
};

function nameList(names: readonly string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}
