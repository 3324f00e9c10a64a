import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { arr, isObject } from '../../kinds/common';

const PROTOCOLS = new Set(['tcp', 'udp', 'grpc', 'grpc-web', 'http', 'http_proxy', 'http2', 'https', 'tls', 'mongo', 'redis', 'mysql']);
// Ports Istio treats as TCP whatever their name (SMTP, DNS, MySQL, MongoDB).
const WELL_KNOWN_PORTS = new Set([25, 53, 3306, 27017]);
const K8S_APP_PROTOCOLS = new Set(['kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss']);
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

/**
 * IST0118, like Istio's `service.PortNameAnalyzer`: for each Service port that is not UDP or
 * SCTP, the protocol taken from `appProtocol` (when set) or else from the port name's prefix
 * before the first `-` (`grpc-web` as a whole) must be one Istio knows, unless the port is
 * 25, 53, 3306 or 27017. Istio's own Services (label `istio`, or `release=istio`) and
 * gateway-managed ones are skipped. Istio treats such a port as opaque TCP, so HTTP routing
 * and telemetry do not apply to it.
 *
 * IST0150 instead, like Istio, for a Service of `type: ExternalName` when the port's protocol
 * is unknown or the port is named exactly `tcp`.
 * @internal
 */
export const portNameAnalyzer: Analyzer = {
  name: 'port-names',
  analyze(model, report) {
    for (const svc of model.services) {
      const labels = svc.object.metadata?.labels;
      if (SYSTEM_NAMESPACES.has(svc.namespace)) continue;
      if (isObject(labels) && ('istio' in labels || labels.release === 'istio' || 'gateway.istio.io/managed' in labels)) continue;
      arr(svc.spec.ports).forEach((port, i) => {
        if (!isObject(port) || port.protocol === 'UDP' || port.protocol === 'SCTP') return;
        const appProtocol = typeof port.appProtocol === 'string' ? port.appProtocol : undefined;
        if (appProtocol !== undefined && K8S_APP_PROTOCOLS.has(appProtocol)) return;
        const name = appProtocol ?? (typeof port.name === 'string' ? port.name : '');
        const externalName = svc.spec.type === 'ExternalName';
        const known = protocolOf(name) !== undefined || WELL_KNOWN_PORTS.has(port.port);
        if (externalName && (!known || port.name === 'tcp')) {
          report(
            svc,
            CODES.ExternalNameServiceTypeInvalidPortName,
            `spec.ports[${i}]`,
            `port ${port.port}${typeof port.name === 'string' && port.name !== '' ? ` ('${port.name}')` : ''} of this ExternalName Service is ${port.name === 'tcp' ? "named 'tcp'" : 'named without a protocol Istio knows'}, so the sidecar may not forward its TCP traffic to '${svc.spec.externalName ?? 'the external name'}' correctly; name the port after its real protocol (e.g. 'https', 'http', 'tls-db')`,
          );
          return;
        }
        if (known) return;
        const field = appProtocol !== undefined ? `spec.ports[${i}].appProtocol` : `spec.ports[${i}].name`;
        const what = appProtocol !== undefined ? `appProtocol '${appProtocol}'` : name === '' ? 'an unnamed port' : `port name '${name}'`;
        report(
          svc,
          CODES.PortNameIsNotUnderNamingConvention,
          field,
          `${what} (port ${port.port}) does not follow Istio's protocol naming convention '<protocol>[-<suffix>]' (protocol one of ${[...PROTOCOLS].join(', ')}), so Istio treats the port as opaque TCP; name it e.g. 'http' or 'http-${name || 'web'}', or set appProtocol`,
        );
      });
    }
  },
};

function protocolOf(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith('grpc-web')) return 'grpc-web';
  const dash = lower.indexOf('-');
  const prefix = dash >= 0 ? lower.slice(0, dash) : lower;
  return PROTOCOLS.has(prefix) ? prefix : undefined;
}
