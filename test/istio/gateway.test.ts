import { Testing } from 'cdk8s';
import { Gateway, GatewayProtocol, IstioApi, IstioApiVersion, ServerTls } from '../../lib';

describe('Gateway', () => {
  test('tutorial gateway: ingress selector, HTTP 80, any host', () => {
    const chart = Testing.chart();
    new Gateway(chart, 'yunqi-gateway', { servers: [{ port: 80 }] });
    expect(Testing.synth(chart)).toEqual([
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: 'yunqi-gateway' },
        spec: {
          selector: { istio: 'ingressgateway' },
          servers: [{ port: { number: 80, protocol: 'HTTP', name: 'http' }, hosts: ['*'] }],
        },
      },
    ]);
  });

  test('addServer after construction, unique default port names, TLS', () => {
    const chart = Testing.chart();
    const gw = new Gateway(chart, 'edge', { selector: { app: 'edge' } });
    gw.addServer({ port: 80, tls: ServerTls.httpsRedirect(), hosts: ['shop.example.com'] });
    gw.addServer({ port: 8080 });
    gw.addServer({
      port: 443,
      protocol: GatewayProtocol.HTTPS,
      hosts: ['shop.example.com'],
      tls: ServerTls.simple({ credentialName: 'shop-cert' }),
    });
    const spec = Testing.synth(chart)[0].spec;
    expect(spec.selector).toEqual({ app: 'edge' });
    expect(spec.servers.map((s: any) => s.port.name)).toEqual(['http', 'http-8080', 'https']);
    expect(spec.servers[0].tls).toEqual({ httpsRedirect: true });
    expect(spec.servers[2].tls).toEqual({ mode: 'SIMPLE', credentialName: 'shop-cert' });
  });

  test('apiVersion follows the chart setting', () => {
    const chart = Testing.chart();
    IstioApi.useVersion(chart, IstioApiVersion.V1ALPHA3);
    new Gateway(chart, 'gw', { servers: [{ port: 80 }] });
    expect(Testing.synth(chart)[0].apiVersion).toBe('networking.istio.io/v1alpha3');
  });

  test.each([
    ['a dotted name', () => new Gateway(Testing.chart(), 'a.b'), "Gateway 'a.b': metadata.name ('a.b') must be a DNS-1123 label"],
    [
      'port 0',
      () => new Gateway(Testing.chart(), 'gw', { servers: [{ port: 0 }] }),
      "Gateway 'gw': spec.servers[0].port.number (0) must be an integer between 1 and 65535",
    ],
    ['port 70000', () => new Gateway(Testing.chart(), 'gw', { servers: [{ port: 70000 }] }), 'spec.servers[0].port.number (70000)'],
    [
      'HTTPS without tls',
      () => new Gateway(Testing.chart(), 'gw', { servers: [{ port: 443, protocol: GatewayProtocol.HTTPS }] }),
      "Gateway 'gw': spec.servers[0].tls (undefined) is required for a HTTPS server",
    ],
    [
      'tls on TCP',
      () => new Gateway(Testing.chart(), 'gw', { servers: [{ port: 31400, protocol: GatewayProtocol.TCP, tls: ServerTls.passthrough() }] }),
      'spec.servers[0].tls',
    ],
    [
      'empty hosts',
      () => new Gateway(Testing.chart(), 'gw', { servers: [{ port: 80, hosts: [] }] }),
      'spec.servers[0].hosts ([]) must list at least one host',
    ],
    [
      'duplicate port name',
      () =>
        new Gateway(Testing.chart(), 'gw', {
          servers: [
            { port: 80, portName: 'web' },
            { port: 81, portName: 'web' },
          ],
        }),
      "spec.servers[1].port.name ('web') is already used",
    ],
  ])('rejects %s at construction', (_what, build, message) => {
    expect(build).toThrow(message);
  });

  test('a gateway with no servers fails at synth', () => {
    const chart = Testing.chart();
    new Gateway(chart, 'gw');
    expect(() => Testing.synth(chart)).toThrow(/Gateway 'gw': spec.servers is empty/);
  });
});
