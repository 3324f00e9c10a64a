import { Analyzer } from '../analyzer';
import { evaluatorOf, serviceTargets } from '../authorization';
import { lookupHost } from '../closed-world';
import { CODES } from '../codes';
import { arr, num, obj, str } from '../../kinds/common';

/**
 * CDK0162 (ours): a DestinationRule whose traffic policy (for the host, a port, or a subset) sets
 * `tls.mode: DISABLE` toward Service workloads of the set whose PeerAuthentication makes mTLS
 * STRICT on that port: clients send plain text, the server refuses it.
 * @internal
 */
export const plaintextToStrictAnalyzer: Analyzer = {
  name: 'plaintext-to-strict',
  analyze(model, report) {
    if (model.peerAuthentications.length === 0) return;
    const evaluator = evaluatorOf(model);
    for (const dr of model.destinationRules) {
      const host = str(dr.spec.host);
      if (host === undefined) continue;
      const services = lookupHost(model, host, dr.namespace).providers.filter((p) => p.ref.kind === 'Service');
      if (services.length === 0) continue;
      const check = (policy: unknown, field: string, subsetLabels: unknown): void => {
        const tp = obj(policy);
        if (!tp) return;
        const settings: [string, unknown, number | undefined][] = [[`${field}.tls`, obj(tp.tls)?.mode, undefined]];
        arr(tp.portLevelSettings).forEach((s, k) =>
          settings.push([`${field}.portLevelSettings[${k}].tls`, obj(obj(s)?.tls)?.mode, num(obj(obj(s)?.port)?.number)]),
        );
        for (const [at, mode, port] of settings) {
          if (mode !== 'DISABLE') continue;
          const strict = services
            .flatMap((s) =>
              port === undefined
                ? arr(s.ref.spec.ports).flatMap((p) => serviceTargets(model, s.ref, subsetLabels, num(obj(p)?.port)))
                : serviceTargets(model, s.ref, subsetLabels, port),
            )
            .find((t) => evaluator.mtlsMode(t.target) === 'STRICT');
          if (!strict) continue;
          report(
            dr,
            CODES.PlaintextToStrictMtls,
            `${at}.mode`,
            `disables TLS toward '${host}', but workload '${strict.workload.ref.name}' accepts mutual TLS only (PeerAuthentication STRICT${strict.target.port !== undefined ? ` on port ${strict.target.port}` : ''}), so its connections are refused; use ISTIO_MUTUAL or remove the tls setting`,
          );
        }
      };
      check(dr.spec.trafficPolicy, 'spec.trafficPolicy', {});
      arr(dr.spec.subsets).forEach((s, i) => check(obj(s)?.trafficPolicy, `spec.subsets[${i}].trafficPolicy`, obj(obj(s)?.labels) ?? {}));
    }
  },
};
