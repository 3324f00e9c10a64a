import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { arr } from '../../kinds/common';

/**
 * IST0134, like Istio's `serviceentry.ProtocolAddressesAnalyzer`: a ServiceEntry without
 * `addresses` (and without addresses allocated in its `status`) is reported for each port whose
 * protocol is TCP (any case) or unset. Without a virtual IP, the sidecar can only tell such
 * traffic apart by port, so it may reach the wrong service.
 *
 * Mesh config: istioctl skips this check when the mesh config's default proxy metadata sets
 * `ISTIO_META_DNS_CAPTURE` and `ISTIO_META_DNS_AUTO_ALLOCATE` (or `PILOT_ENABLE_IP_AUTOALLOCATE`)
 * to `"true"`. We do not read mesh config: we assume Istio's default (no DNS auto-allocation in
 * the proxy), as istioctl does when given no mesh config. A mesh that allocates addresses
 * silences the code with the annotation `cdk8s-istio.io/suppress: IST0134` or the analysis
 * option `suppressions`.
 * @internal
 */
export const serviceEntryAddressAnalyzer: Analyzer = {
  name: 'service-entry-addresses',
  analyze(model, report) {
    for (const entry of model.serviceEntries) {
      if (arr(entry.spec.addresses).length > 0 || arr(entry.object.status?.addresses).length > 0) continue;
      arr(entry.spec.ports).forEach((port, i) => {
        const protocol = typeof port?.protocol === 'string' ? port.protocol : '';
        if (protocol !== '' && protocol.toUpperCase() !== 'TCP') return;
        report(
          entry,
          CODES.ServiceEntryAddressesRequired,
          `spec.ports[${i}]`,
          `port ${port?.number ?? '(unset)'} is ${protocol === '' ? 'without protocol' : 'TCP'} and the ServiceEntry has no addresses, so sidecars can match its traffic by port only and may send it to another service; add spec.addresses, set an application protocol, or enable DNS address auto-allocation in the mesh (then suppress IST0134)`,
        );
      });
    }
  },
};
