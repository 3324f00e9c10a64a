import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { ObjectRef } from '../model';
import { arr, isObject } from '../../kinds/common';

interface CertificateUse {
  readonly gateway: ObjectRef;
  readonly server: number;
}

/**
 * IST0138, like Istio's `gateway.CertificateAnalyzer`: two Gateways serve the same certificate
 * (the same `credentialName`, or, without one, the same `serverCertificate` and `privateKey`)
 * on some of their servers, and the second Gateway's selector includes every label of the
 * first's (an empty selector includes none, so it matches every Gateway). The first Gateway is
 * reported, once per pair of servers, as in Istio; Gateways in every namespace are compared
 * (Istio's default, without PILOT_SCOPE_GATEWAY_TO_NAMESPACE). Linear: servers are grouped by
 * certificate first.
 * @internal
 */
export const gatewayCertificateAnalyzer: Analyzer = {
  name: 'gateway-certificates',
  analyze(model, report) {
    const uses = new Map<string, CertificateUse[]>();
    for (const gateway of model.gateways) {
      arr(gateway.spec.servers).forEach((server, s) => {
        const key = certificateOf(server?.tls);
        if (key === undefined) return;
        const list = uses.get(key) ?? [];
        list.push({ gateway, server: s });
        uses.set(key, list);
      });
    }
    for (const [key, list] of uses) {
      for (const current of list) {
        for (const other of list) {
          if (other.gateway === current.gateway || !selectorWithin(current.gateway, other.gateway)) continue;
          report(
            current.gateway,
            CODES.GatewayDuplicateCertificate,
            `spec.servers[${current.server}].tls`,
            `serves the same certificate (${key}) as server ${other.server} of Gateway ${other.gateway.namespace}/${other.gateway.name}, which selects the same gateway pods; a client reusing an HTTP/2 connection for the other host can get 404s; give each Gateway its own certificate or merge the servers`,
          );
        }
      }
    }
  },
};

function certificateOf(tls: any): string | undefined {
  if (!isObject(tls)) return undefined;
  if (typeof tls.credentialName === 'string' && tls.credentialName !== '') return `credentialName '${tls.credentialName}'`;
  const cert = tls.serverCertificate;
  const key = tls.privateKey;
  if (typeof cert === 'string' && cert !== '' && typeof key === 'string' && key !== '') {
    return `serverCertificate '${cert}', privateKey '${key}'`;
  }
  return undefined;
}

/** True when every label of `a`'s selector is in `b`'s selector with the same value. */
function selectorWithin(a: ObjectRef, b: ObjectRef): boolean {
  const mine = isObject(a.spec.selector) ? a.spec.selector : {};
  const theirs = isObject(b.spec.selector) ? b.spec.selector : {};
  return Object.entries(mine).every(([k, v]) => k in theirs && String(theirs[k]) === String(v));
}
