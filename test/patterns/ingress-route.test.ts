import { Testing } from 'cdk8s';
import { RouteDestination, StringMatch } from '../../lib';
import { IngressRoute } from '../../lib/patterns/ingress-route';
import { VersionedService } from '../../lib/patterns/versioned-service';

const TUTORIAL_URIS = [
  StringMatch.exact('/productpage'),
  StringMatch.prefix('/static'),
  StringMatch.exact('/login'),
  StringMatch.exact('/logout'),
  StringMatch.prefix('/api/v1/products'),
];

describe('IngressRoute', () => {
  test("tutorial gateway.yaml: yunqi-gateway and a VirtualService bound to it sending the app's URIs to productpage:9080", () => {
    const chart = Testing.chart();
    const productpage = new VersionedService(chart, 'productpage', { port: 9080, versions: [{ name: 'v1', image: 'productpage:v1' }] });
    const ingress = new IngressRoute(chart, 'ingress', {
      service: productpage,
      servicePort: 9080,
      gatewayName: 'yunqi-gateway',
      name: 'yunqi-bank',
      uris: TUTORIAL_URIS,
    });
    expect(ingress.gateway.name).toBe('yunqi-gateway');
    expect(ingress.virtualService.gateways).toEqual(['yunqi-gateway']);
    const istio = Testing.synth(chart).filter((m) => m.apiVersion.startsWith('networking.istio.io/') && m.kind !== 'DestinationRule');
    expect(istio).toEqual([
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: 'yunqi-gateway' },
        spec: {
          selector: { istio: 'ingressgateway' },
          servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
        },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'yunqi-bank' },
        spec: {
          hosts: ['*'],
          gateways: ['yunqi-gateway'],
          http: [
            {
              match: [
                { uri: { exact: '/productpage' } },
                { uri: { prefix: '/static' } },
                { uri: { exact: '/login' } },
                { uri: { exact: '/logout' } },
                { uri: { prefix: '/api/v1/products' } },
              ],
              route: [{ destination: { host: 'productpage', port: { number: 9080 } } }],
            },
          ],
        },
      },
    ]);
  });

  test('defaults: gateway and VirtualService named after the service host (VirtualService suffixed -ingress)', () => {
    const chart = Testing.chart();
    new IngressRoute(chart, 'ingress', {
      service: RouteDestination.toHost('productpage'),
      servicePort: 9080,
      uris: [StringMatch.prefix('/')],
    });
    const manifests = Testing.synth(chart);
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Gateway/productpage-gateway',
      'VirtualService/productpage-ingress',
    ]);
    expect(manifests[1].spec.gateways).toEqual(['productpage-gateway']);
  });

  test('selector, port and hosts are configurable and shared by Gateway and VirtualService', () => {
    const chart = Testing.chart();
    new IngressRoute(chart, 'ingress', {
      service: RouteDestination.toHost('productpage'),
      servicePort: 9080,
      uris: [StringMatch.exact('/productpage')],
      selector: { istio: 'ingress' },
      port: 8080,
      hosts: ['bank.example.com'],
    });
    const [gateway, vs] = Testing.synth(chart);
    expect(gateway.spec).toEqual({
      selector: { istio: 'ingress' },
      servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['bank.example.com'] }],
    });
    expect(vs.spec.hosts).toEqual(['bank.example.com']);
  });

  // Gateway hosts may name the namespaces they admit VirtualServices from; the VirtualService lists the host alone.
  test.each<[string, string[], string | undefined, string[]]>([
    ["the gateway's own namespace", ['./bank.example.com'], undefined, ['bank.example.com']],
    ['any namespace', ['*/bank.example.com'], 'shop', ['bank.example.com']],
    ["the IngressRoute's namespace", ['shop/bank.example.com'], 'shop', ['bank.example.com']],
    ['a namespace, when the namespace is left to kubectl', ['shop/bank.example.com'], undefined, ['bank.example.com']],
    ['the same host twice, once namespaced', ['./bank.example.com', 'bank.example.com'], undefined, ['bank.example.com']],
  ])('accepts a gateway host naming %s', (_what, hosts, namespace, vsHosts) => {
    const chart = Testing.chart();
    new IngressRoute(chart, 'ingress', { service: RouteDestination.toHost('productpage'), servicePort: 9080, hosts, namespace });
    const [gateway, vs] = Testing.synth(chart);
    expect(gateway.spec.servers[0].hosts).toEqual(hosts);
    expect(vs.spec.hosts).toEqual(vsHosts);
  });

  test("refuses a gateway host admitting another namespace than the VirtualService's (the route would not bind)", () => {
    expect(
      () =>
        new IngressRoute(Testing.chart(), 'ingress', {
          service: RouteDestination.toHost('productpage'),
          servicePort: 9080,
          hosts: ['prod/bank.example.com'],
          namespace: 'shop',
        }),
    ).toThrow(
      "IngressRoute 'productpage-ingress': hosts[0] ('prod/bank.example.com') admits VirtualServices of namespace 'prod' only, but the IngressRoute's VirtualService is in 'shop'; use './bank.example.com', or set the IngressRoute's namespace to 'prod'",
    );
  });

  test('without URI matches (omitted or empty), it routes everything the gateway accepts', () => {
    for (const uris of [undefined, []]) {
      const chart = Testing.chart();
      new IngressRoute(chart, 'ingress', { service: RouteDestination.toHost('productpage'), servicePort: 9080, uris });
      const vs = Testing.synth(chart).find((o) => o.kind === 'VirtualService');
      expect(vs.spec.http).toEqual([{ route: [{ destination: { host: 'productpage', port: { number: 9080 } } }] }]);
    }
  });

  test('rejects a bad service port', () => {
    expect(
      () =>
        new IngressRoute(Testing.chart(), 'ingress', {
          service: RouteDestination.toHost('productpage'),
          servicePort: 0,
          uris: [StringMatch.exact('/productpage')],
        }),
    ).toThrow('destination.port.number (0) must be a port number between 1 and 65535');
  });
});
