import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { exportScopes, ObjectRef } from '../model';
import { arr } from '../../kinds/common';

interface PortClaim {
  readonly entry: ObjectRef;
  readonly protocol: string;
}

/**
 * IST0177, like Istio 1.31's `serviceentry.ConflictingServiceEntryProtocolAnalyzer` (the code
 * is not in Istio 1.30): ServiceEntries claim each host (as written) and port number in each
 * namespace they are exported to (`*` when `exportTo` is empty or has `*`; `.` is their own).
 * Claims of one namespace, plus the claims exported to all namespaces, that name more than one
 * protocol (compared case-insensitively; no protocol counts as one) conflict, and each
 * ServiceEntry involved is reported once: the proxies see one service with two protocols.
 * @internal
 */
export const serviceEntryProtocolAnalyzer: Analyzer = {
  name: 'service-entry-protocols',
  analyze(model, report) {
    const claims = new Map<string, PortClaim[]>();
    for (const entry of model.serviceEntries) {
      for (const scope of exportScopes(entry)) {
        for (const host of arr(entry.spec.hosts)) {
          if (typeof host !== 'string') continue;
          for (const port of arr(entry.spec.ports)) {
            if (typeof port?.number !== 'number') continue;
            const key = `${scope}|${host}|${port.number}`;
            const list = claims.get(key) ?? [];
            list.push({ entry, protocol: typeof port.protocol === 'string' ? port.protocol.toUpperCase() : '' });
            claims.set(key, list);
          }
        }
      }
    }
    const reported = new Set<ObjectRef>();
    for (const [key, list] of claims) {
      const [scope, host, port] = key.split('|');
      const all = scope === '*' ? list : [...list, ...(claims.get(`*|${host}|${port}`) ?? [])];
      const protocols = [...new Set(all.map((c) => c.protocol || '(none)'))].sort();
      if (protocols.length < 2) continue;
      const names = [...new Set(all.map((c) => `${c.entry.namespace}/${c.entry.name}`))].sort();
      for (const claim of all) {
        if (reported.has(claim.entry)) continue;
        reported.add(claim.entry);
        report(
          claim.entry,
          CODES.ConflictingServiceEntryProtocol,
          'spec.ports',
          `host '${host}' port ${port} is declared with protocols ${protocols.join(', ')} by ServiceEntries ${names.join(', ')}, which are visible together${scope === '*' ? '' : ` in namespace '${scope}'`}; give the port one protocol everywhere`,
        );
      }
    }
  },
};
