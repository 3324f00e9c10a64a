import { App, Chart, Testing } from 'cdk8s';
import { IngressRoute, Principal, StringMatch, VersionedService, VirtualService, ZeroTrust } from '../../lib';

function mesh(namespace?: string): { chart: Chart; front: VersionedService; back: VersionedService; app: App } {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace });
  const front = new VersionedService(chart, 'front', { port: 8080, versions: [{ name: 'v1', image: 'front:1' }] });
  const back = new VersionedService(chart, 'back', { port: 8080, versions: [{ name: 'v1', image: 'back:1' }] });
  return { chart, front, back, app };
}

function security(chart: Chart): any[] {
  return Testing.synth(chart).filter((o) => o.apiVersion.startsWith('security.istio.io') || o.kind === 'Sidecar');
}

describe('ZeroTrust', () => {
  test('STRICT mTLS, a default deny and one ALLOW per called workload with its callers only', () => {
    const { chart, front, back } = mesh('shop');
    const zt = new ZeroTrust(chart, 'zt', {
      workloads: [front, back],
      calls: [{ caller: front, callee: back, methods: ['GET'], paths: ['/items*'] }],
    });
    const objects = security(chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'PeerAuthentication/shop/default',
      'AuthorizationPolicy/shop/deny-all',
      'Sidecar/shop/default',
      'AuthorizationPolicy/shop/back-callers',
    ]);
    expect(objects[0].spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(objects[1].spec).toEqual({});
    expect(objects[3].spec).toEqual({
      selector: { matchLabels: { app: 'back' } },
      rules: [
        {
          from: [{ source: { principals: ['cluster.local/ns/shop/sa/front'] } }],
          to: [{ operation: { methods: ['GET'], paths: ['/items*'] } }],
        },
      ],
    });
    expect(zt.calls).toEqual(['front -> back']);
  });

  test('the ingress gateway calls what gateway routes send traffic to, for the routed URIs', () => {
    const { chart, front, back } = mesh();
    new IngressRoute(chart, 'ingress', { service: front, servicePort: 8080, uris: [StringMatch.exact('/'), StringMatch.prefix('/shop')] });
    new IngressRoute(chart, 'api', {
      name: 'api',
      gatewayName: 'api',
      service: back,
      servicePort: 8080,
      uris: [StringMatch.regex('/api/.*')],
    });
    const zt = new ZeroTrust(chart, 'zt', { workloads: [front, back] });
    const policies = security(chart).filter((o) => o.metadata.name.endsWith('-callers'));
    const principal = 'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account';
    expect(policies.map((p) => [p.metadata.name, p.spec.rules])).toEqual([
      ['front-callers', [{ from: [{ source: { principals: [principal] } }], to: [{ operation: { paths: ['/', '/shop*'] } }] }]],
      // A regex URI cannot be written as an authorization path: any path.
      ['back-callers', [{ from: [{ source: { principals: [principal] } }] }]],
    ]);
    expect(zt.calls).toEqual(['ingress -> back', 'ingress -> front']);
  });

  test('a mesh route with sourceLabels makes the workloads carrying them callers, for its URIs', () => {
    const { chart, front, back } = mesh('shop');
    new VirtualService(chart, 'back-routes', {
      hosts: ['back'],
      http: [
        {
          match: [{ sourceLabels: { app: 'front', version: 'v1' }, uri: StringMatch.prefix('/items') }],
          route: [{ destination: back.destination('v1') }],
        },
        { match: [{ sourceLabels: { app: 'other' } }], route: [{ destination: back.destination('v1') }] },
        { route: [{ destination: back.destination('v1') }] },
      ],
    });
    const zt = new ZeroTrust(chart, 'zt', { workloads: [front, back] });
    const [policy] = security(chart).filter((o) => o.metadata.name === 'back-callers');
    expect(policy.spec.rules).toEqual([
      { from: [{ source: { principals: ['cluster.local/ns/shop/sa/front'] } }], to: [{ operation: { paths: ['/items*'] } }] },
    ]);
    expect(zt.calls).toEqual(['front -> back']);
  });

  test('trust domain and ingress identity are configurable; routes and egress can be left out', () => {
    const { chart, front, back } = mesh();
    new IngressRoute(chart, 'ingress', { service: front, servicePort: 8080, uris: [StringMatch.exact('/')] });
    new ZeroTrust(chart, 'zt', {
      workloads: [front, back],
      trustDomain: 'shop.example',
      ingressGatewayPrincipal: Principal.serviceAccount('edge', 'gateway', { trustDomain: 'shop.example' }),
      calls: [{ caller: front, callee: back }],
      restrictEgress: false,
    });
    const objects = security(chart);
    expect(objects.some((o) => o.kind === 'Sidecar')).toBe(false);
    expect(objects.filter((o) => o.metadata.name.endsWith('-callers')).map((p) => p.spec.rules[0].from[0].source.principals[0])).toEqual([
      'shop.example/ns/edge/sa/gateway',
      'shop.example/ns/default/sa/front',
    ]);
    const { chart: other, front: f2, back: b2 } = mesh();
    new IngressRoute(other, 'ingress', { service: f2, servicePort: 8080, uris: [StringMatch.exact('/')] });
    new ZeroTrust(other, 'zt', { workloads: [f2, b2], callsFromRoutes: false, trustDomain: 'shop.example' });
    expect(security(other).filter((o) => o.metadata.name.endsWith('-callers'))).toEqual([]);
  });

  test('the Sidecar limits egress to the workloads, the declared external hosts and istio-system', () => {
    const { chart, front, back } = mesh('shop');
    new ZeroTrust(chart, 'zt', { workloads: [front, back], externalHosts: ['api.payments.example'] });
    const [sidecar] = security(chart).filter((o) => o.kind === 'Sidecar');
    expect(sidecar.spec).toEqual({
      outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
      egress: [{ hosts: ['./front.shop.svc.cluster.local', './back.shop.svc.cluster.local', '*/api.payments.example', 'istio-system/*'] }],
    });
  });

  test('mistakes name the pattern and the prop', () => {
    const { chart, front, back } = mesh('shop');
    expect(() => new ZeroTrust(chart, 'a', { workloads: [] })).toThrow("ZeroTrust 'a': workloads ([]) must list at least one workload");
    expect(() => new ZeroTrust(chart, 'b', { workloads: [front], trustDomain: 'td/x' })).toThrow(
      "ZeroTrust 'b': trustDomain ('td/x') must be a DNS name",
    );
    expect(() => new ZeroTrust(chart, 'c', { workloads: [front], calls: [{ caller: front, callee: back }] })).toThrow(
      "ZeroTrust 'c': calls.callee ('back') is not one of the workloads",
    );
    const other = new Chart(Testing.app(), 'other', { namespace: 'other' });
    expect(() => new ZeroTrust(other, 'd', { workloads: [front] })).toThrow(
      "ZeroTrust 'd': workloads ('front') is in namespace 'shop', not 'other'",
    );
  });
});
