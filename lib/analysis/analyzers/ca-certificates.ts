import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { asArray, isPlainObject, ObjectRef } from '../model';

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
      if (!isPlainObject(policy)) continue;
      if (unverified(dr, policy.tls)) {
        report(
          dr,
          CODES.NoServerCertificateVerificationDestinationLevel,
          'spec.trafficPolicy.tls',
          `TLS mode ${policy.tls.mode} without caCertificates: the certificate of '${dr.spec.host}' is not verified; set caCertificates (or credentialName together with a workloadSelector)`,
        );
      }
      asArray(policy.portLevelSettings).forEach((setting, i) => {
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
  if (!isPlainObject(tls) || (tls.mode !== 'SIMPLE' && tls.mode !== 'MUTUAL')) return false;
  if (typeof tls.caCertificates === 'string' && tls.caCertificates !== '') return false;
  const credential = typeof tls.credentialName === 'string' && tls.credentialName !== '';
  return !(credential && isPlainObject(dr.spec.workloadSelector));
}
