import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { MeshModel, ObjectRef } from '../model';
import { arr, isObject } from '../../kinds/common';

interface ServerClaim {
  readonly gateway: ObjectRef;
  readonly selector: { readonly [key: string]: string };
  readonly selectorText: string;
  readonly server: number;
  readonly host: string;
}

/**
 * IST0145, like Istio's `gateway.ConflictingGatewayAnalyzer`: two Gateways both have a server
 * on the same port number, with the same `bind`, declaring an identical host string, and they
 * configure the same gateway pods: their selectors are identical, or some workload of the set
 * (a Pod, or the pod template of a Deployment and the like) carries the labels of both. The
 * gateway pods then get two listeners for one host and port, and one of them is dropped.
 * Each conflicting server is reported once. Istio also requires one selector's text to contain
 * the other's before it looks at pods; we report every pair of selectors a workload of the
 * set satisfies.
 * @internal
 */
export const conflictingGatewaysAnalyzer: Analyzer = {
  name: 'conflicting-gateways',
  analyze(model, report) {
    // port|bind|host -> claims of every Gateway
    const claims = new Map<string, ServerClaim[]>();
    for (const gateway of model.gateways) {
      const selector: { [key: string]: string } = {};
      if (isObject(gateway.spec.selector)) for (const [k, v] of Object.entries(gateway.spec.selector)) selector[k] = String(v);
      const selectorText = Object.keys(selector)
        .sort()
        .map((k) => `${k}=${selector[k]}`)
        .join(',');
      arr(gateway.spec.servers).forEach((server, s) => {
        const port = server?.port?.number;
        if (typeof port !== 'number') return;
        const bind = typeof server.bind === 'string' ? server.bind : '';
        for (const host of new Set(arr(server.hosts).filter((h) => typeof h === 'string'))) {
          const key = `${port}|${bind}|${host}`;
          const claim = { gateway, selector, selectorText, server: s, host };
          const list = claims.get(key);
          if (list) list.push(claim);
          else claims.set(key, [claim]);
        }
      });
    }
    const reported = new Set<string>();
    for (const [key, list] of claims) {
      if (new Set(list.map((c) => c.gateway)).size < 2) continue;
      const [port, bind] = key.split('|');
      for (const claim of list) {
        const once = `${claim.gateway.index}|${claim.server}`;
        if (reported.has(once)) continue;
        const others = list.filter((o) => o.gateway !== claim.gateway && sameGatewayPods(model, claim, o));
        if (others.length === 0) continue;
        reported.add(once);
        const names = [...new Set(others.map((o) => `${o.gateway.namespace}/${o.gateway.name}`))].sort();
        report(
          claim.gateway,
          CODES.ConflictingGateways,
          `spec.servers[${claim.server}]`,
          `server for host '${claim.host}' on port ${port}${bind ? ` (bind ${bind})` : ''} conflicts with Gateway ${names.join(', ')}, which configures the same gateway pods (selector ${claim.selectorText || 'none'}) with the same port and host; merge the servers into one Gateway or give them distinct hosts`,
        );
      }
    }
  },
};

/** True when two Gateways configure the same pods: identical selectors, or a workload matching both. */
function sameGatewayPods(model: MeshModel, a: ServerClaim, b: ServerClaim): boolean {
  if (a.selectorText === b.selectorText) return true;
  const merged: { [key: string]: string } = { ...a.selector };
  for (const [k, v] of Object.entries(b.selector)) {
    if (k in merged && merged[k] !== v) return false;
    merged[k] = v;
  }
  return model.selectsAnyWorkload(merged);
}
