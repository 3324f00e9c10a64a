import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { ObjectRef } from '../model';
import { arr, isObject } from '../../kinds/common';

interface ServerClaim {
  readonly gateway: ObjectRef;
  readonly server: number;
  readonly host: string;
}

/**
 * IST0145, like Istio's `gateway.ConflictingGatewayAnalyzer` for identical selectors: two
 * Gateways with the same selector (same labels, any namespace) both have a server on the same
 * port number, with the same `bind`, declaring an identical host string. The gateway pods then
 * get two listeners for one host and port, and one of them is dropped. (Istio also checks
 * overlapping selectors against live pods; that needs the cluster and is not done here.)
 * @internal
 */
export const conflictingGatewaysAnalyzer: Analyzer = {
  name: 'conflicting-gateways',
  analyze(model, report) {
    const claims = new Map<string, ServerClaim[]>();
    for (const gateway of model.gateways) {
      const selector = isObject(gateway.spec.selector)
        ? Object.keys(gateway.spec.selector)
            .sort()
            .map((k) => `${k}=${gateway.spec.selector[k]}`)
            .join(',')
        : '';
      arr(gateway.spec.servers).forEach((server, s) => {
        const port = server?.port?.number;
        if (typeof port !== 'number') return;
        const bind = typeof server.bind === 'string' ? server.bind : '';
        for (const host of new Set(arr(server.hosts).filter((h) => typeof h === 'string'))) {
          const key = `${selector}|${port}|${bind}|${host}`;
          const list = claims.get(key);
          if (list) list.push({ gateway, server: s, host });
          else claims.set(key, [{ gateway, server: s, host }]);
        }
      });
    }
    const reported = new Set<string>();
    for (const [key, list] of claims) {
      const gateways = new Set(list.map((c) => c.gateway));
      if (gateways.size < 2) continue;
      const [selector, port, bind] = key.split('|');
      for (const claim of list) {
        const once = `${claim.gateway.index}|${claim.server}`;
        if (reported.has(once)) continue;
        reported.add(once);
        const others = [...gateways].filter((g) => g !== claim.gateway).map((g) => `${g.namespace}/${g.name}`);
        report(
          claim.gateway,
          CODES.ConflictingGateways,
          `spec.servers[${claim.server}]`,
          `server for host '${claim.host}' on port ${port}${bind ? ` (bind ${bind})` : ''} conflicts with Gateway ${others.join(', ')}, which selects the same gateway pods (${selector || 'no selector'}) with the same port and host; merge the servers into one Gateway or give them distinct hosts`,
        );
      }
    }
  },
};
