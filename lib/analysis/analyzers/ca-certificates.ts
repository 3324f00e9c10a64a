import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { ObjectRef } from '../model';
import { arr, isObject } from '../../kinds/common';

/**
 * IST0128 / IST0129, like Istio's `destinationrule.CaCertificateAnalyzer`: TLS mode SIMPLE or
 * MUTUAL without `caCertificates` does not verify the server certificate, unless the rule has a
 * `workloadSelector` and the TLS settings a `credentialName` (the CA then comes from the
 * secret). Checked on `trafficPolicy.tls` (IST0128) and each
 * `trafficPolicy.portLevelSettings[].tls` (IST0129); subset-level TLS is not checked, as in Istio.
 * @internal
 */
export const caCertificateAnalyzer: Analyzer = {
  name: 'ca-certificates',
  analyze(model, report) {
    for (const dr of model.destinationRules) {
      const policy = dr.spec.trafficPolicy;
      if (!isObject(policy)) continue;
      if (unverified(dr, policy.tls)) {
        report(
          dr,
          CODES.NoServerCertificateVerificationDestinationLevel,
          'spec.trafficPolicy.tls',
          `TLS mode ${policy.tls.mode} without caCertificates: the certificate of '${dr.spec.host}' is not verified; set caCertificates (or credentialName together with a workloadSelector)`,
        );
      }
      arr(policy.portLevelSettings).forEach((setting, i) => {
        if (!unverified(dr, setting?.tls)) return;
        const port = setting.port?.number;
        report(
          dr,
          CODES.NoServerCertificateVerificationPortLevel,
          `spec.trafficPolicy.portLevelSettings[${i}].tls`,
          `TLS mode ${setting.tls.mode} without caCertificates on port ${port ?? '(unset)'}: the certificate of '${dr.spec.host}' is not verified; set caCertificates (or credentialName together with a workloadSelector)`,
        );
      });
    }
  },
};

function unverified(dr: ObjectRef, tls: any): boolean {
  if (!isObject(tls) || (tls.mode !== 'SIMPLE' && tls.mode !== 'MUTUAL')) return false;
  if (typeof tls.caCertificates === 'string' && tls.caCertificates !== '') return false;
  const credential = typeof tls.credentialName === 'string' && tls.credentialName !== '';
  return !(credential && isObject(dr.spec.workloadSelector));
}
