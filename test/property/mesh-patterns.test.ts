import * as fc from 'fast-check';
import { EgressGatewayRoute, EgressMode, MeshNamespace, Principal, VersionedService, ZeroTrust } from '../../lib';
import { describeProperties, optional, property } from './support';

// The mesh patterns: MeshNamespace, EgressGatewayRoute and ZeroTrust (with the VersionedServices
// it protects). Valid pools follow Istio's and Kubernetes' rules: a revision is a label value and
// excludes ambient; the extra labels leave the mesh labels alone; the egress ports differ.

const MESH_LABELS = ['istio-injection', 'istio.io/rev', 'istio.io/dataplane-mode'];

describeProperties('Mesh patterns (property-based)', [
  property(
    'MeshNamespace',
    (p) =>
      fc
        .record({
          name: p.name,
          revision: optional(p.hostile ? p.text : fc.constantFrom('1-30-3', 'canary', 'stable')),
          ambient: optional(fc.boolean()),
          labels: optional(p.hostile ? fc.oneof(p.labels, fc.constant({ 'istio-injection': 'disabled' })) : p.labels),
          annotations: optional(
            p.hostile
              ? fc.dictionary(fc.oneof(p.name, fc.constantFrom('a b', 'example.com/x', '')), p.text, { maxKeys: 2 })
              : fc.dictionary(
                  fc.oneof(
                    p.name,
                    p.name.map((n) => `example.com/${n}`),
                  ),
                  fc.string({ maxLength: 20 }),
                  { maxKeys: 2 },
                ),
          ),
        })
        .map((r) => (p.hostile || !(r.ambient && r.revision !== undefined) ? r : { ...r, revision: undefined }))
        .map((r) =>
          p.hostile || !r.labels
            ? r
            : { ...r, labels: Object.fromEntries(Object.entries(r.labels).filter(([k]) => !MESH_LABELS.includes(k))) },
        ),
    (scope, p) => {
      new MeshNamespace(scope, 'ns', p);
    },
  ),
  property(
    'EgressGatewayRoute',
    (p) =>
      fc
        .record({
          host: p.hostile ? p.host : p.fqdn.filter((h) => !h.endsWith('.svc.cluster.local')),
          mode: fc.constantFrom(...Object.values(EgressMode)),
          name: optional(p.name),
          gatewaySelector: optional(p.labels),
          gatewayServiceHost: optional(
            p.hostile ? p.host : fc.constantFrom('istio-egressgateway.istio-system.svc.cluster.local', 'egress.gw.svc.cluster.local'),
          ),
          httpPort: optional(p.port),
          tlsPort: optional(p.port),
          caCertificates: optional(p.hostile ? p.text : fc.constantFrom('/etc/certs/ca.pem')),
          namespace: optional(p.name),
          labels: optional(p.labels),
        })
        // Istio: one port number per ServiceEntry port.
        .filter((r) => p.hostile || (r.httpPort ?? 80) !== (r.tlsPort ?? 443)),
    (scope, p) => {
      new EgressGatewayRoute(scope, 'egress', p);
    },
  ),
  property(
    'ZeroTrust with the VersionedServices it protects',
    (p) =>
      fc.record({
        services: fc.uniqueArray(p.name, { minLength: p.hostile ? 1 : 1, maxLength: 3 }),
        calls: fc.array(
          fc.tuple(
            fc.nat(5),
            fc.nat(5),
            optional(fc.constantFrom<string[][]>(['GET'], ['GET', 'POST'])),
            optional(fc.constantFrom<string[][]>(['/api/*'], ['/healthz'])),
          ),
        ),
        callsFromRoutes: optional(fc.boolean()),
        trustDomain: optional(p.hostile ? p.text : fc.constantFrom('cluster.local', 'bank.example.com')),
        ingress: optional(
          p.hostile ? fc.constantFrom('cluster.local/ns/gw/sa/gw', '*', 'x') : fc.constant('cluster.local/ns/istio-system/sa/ingress'),
        ),
        externalHosts: optional(fc.uniqueArray(p.hostile ? p.host : p.fqdn, { maxLength: 2 })),
        restrictEgress: optional(fc.boolean()),
      }),
    (scope, p) => {
      const workloads = p.services.map(
        (name, i) => new VersionedService(scope, `svc${i}`, { name, versions: [{ name: 'v1', image: 'i:1' }] }),
      );
      new ZeroTrust(scope, 'zt', {
        workloads,
        calls: p.calls.map(([caller, callee, methods, paths]) => ({
          caller: workloads[caller % workloads.length],
          callee: workloads[callee % workloads.length],
          methods,
          paths,
        })),
        callsFromRoutes: p.callsFromRoutes,
        trustDomain: p.trustDomain,
        ingressGatewayPrincipal: p.ingress === undefined ? undefined : Principal.of(p.ingress),
        externalHosts: p.externalHosts,
        restrictEgress: p.restrictEgress,
      });
    },
  ),
]);
