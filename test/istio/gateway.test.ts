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
      "Gateway 'gw': spec.servers[0].port.number (0) must be a port number between 1 and 65535",
    ],
    ['port 70000', () => new Gateway(Testing.chart(), 'gw', { servers: [{ port: 70000 }] }), 'spec.servers[0].port.number (70000)'],
    [
      'HTTPS without tls',
      () => new Gateway(Testing.chart(), 'gw', { servers: [{ port: 443, protocol: GatewayProtocol.HTTPS }] }),
      "Gateway 'gw': spec.servers[0].tls: is required for HTTPS servers",
    ],
    [
      'tls on TCP',
      () => new Gateway(Testing.chart(), 'gw', { servers: [{ port: 31400, protocol: GatewayProtocol.TCP, tls: ServerTls.passthrough() }] }),
      "Gateway 'gw': spec.servers[0].tls: is not allowed on TCP servers",
    ],
    [
      'terminating tls on plain HTTP',
      () => new Gateway(Testing.chart(), 'gw', { servers: [{ port: 80, tls: ServerTls.simple({ credentialName: 'shop-cert' }) }] }),
      "Gateway 'gw': spec.servers[0].tls: plain-text HTTP servers may only use tls for httpsRedirect",
    ],
    [
      'ISTIO_MUTUAL on plain HTTP',
      () => new Gateway(Testing.chart(), 'gw', { servers: [{ port: 80, tls: ServerTls.istioMutual() }] }),
      "Gateway 'gw': spec.servers[0].tls: plain-text HTTP servers may only use tls for httpsRedirect",
    ],
    [
      'an empty credentialName (no secret, and no certificate files)',
      () =>
        new Gateway(Testing.chart(), 'gw', {
          servers: [{ port: 443, protocol: GatewayProtocol.HTTPS, tls: ServerTls.simple({ credentialName: '' }) }],
        }),
      "Gateway 'gw': spec.servers[0].tls.serverCertificate: is required in SIMPLE mode without credentialName",
    ],
    [
      'empty hosts',
      () => new Gateway(Testing.chart(), 'gw', { servers: [{ port: 80, hosts: [] }] }),
      "Gateway 'gw': spec.servers[0].hosts: a server needs at least one host",
    ],
    [
      'a short host name',
      () => new Gateway(Testing.chart(), 'gw', { servers: [{ port: 80, hosts: ['shop'] }] }),
      "Gateway 'gw': spec.servers[0].hosts[0] ('shop') is a short name",
    ],
    [
      'an invalid namespace in a host',
      () => new Gateway(Testing.chart(), 'gw', { servers: [{ port: 80, hosts: ['shop_eu/shop.example.com'] }] }),
      "spec.servers[0].hosts[0] ('shop_eu/shop.example.com') has an invalid namespace 'shop_eu'",
    ],
    [
      'a bind address that is no IP',
      () => new Gateway(Testing.chart(), 'gw', { servers: [{ port: 80, bind: 'localhost' }] }),
      "Gateway 'gw': spec.servers[0].bind ('localhost') must be an IP address or a unix domain socket",
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
      "Gateway 'gw': spec.servers[1].port.name ('web') duplicates spec.servers[0].port.name",
    ],
  ])('rejects %s at construction', (_what, build, message) => {
    expect(build).toThrow(message);
  });

  test('addServer throws the rule book errors about the new server, with its path', () => {
    const gw = new Gateway(Testing.chart(), 'edge', { servers: [{ port: 80 }] });
    expect(() => gw.addServer({ port: 443, protocol: GatewayProtocol.HTTPS })).toThrow(
      "Gateway 'edge': spec.servers[1].tls: is required for HTTPS servers",
    );
  });

  test('lists every rule-book error of the construction in one error', () => {
    const build = () => new Gateway(Testing.chart(), 'gw', { servers: [{ port: 0, hosts: [] }] });
    expect(build).toThrow(/spec\.servers\[0\]\.port\.number \(0\) must be a port number.*\n.*spec\.servers\[0\]\.hosts: a server needs/);
  });

  test('accepts what Istio accepts: passthrough settings on HTTP, a unix socket listener on port 0', () => {
    const chart = Testing.chart();
    new Gateway(chart, 'gw', {
      servers: [
        { port: 80, tls: ServerTls.passthrough() },
        { port: 0, portName: 'uds', bind: 'unix:///var/run/gw.sock' },
      ],
    });
    expect(Testing.synth(chart)[0].spec.servers).toEqual([
      { port: { number: 80, protocol: 'HTTP', name: 'http' }, hosts: ['*'], tls: { mode: 'PASSTHROUGH' } },
      { port: { number: 0, protocol: 'HTTP', name: 'uds' }, hosts: ['*'], bind: 'unix:///var/run/gw.sock' },
    ]);
  });

  test('a gateway with no servers fails at synth', () => {
    const chart = Testing.chart();
    new Gateway(chart, 'gw');
    expect(() => Testing.synth(chart)).toThrow(/Gateway 'gw': spec.servers: a Gateway needs at least one server/);
  });

  test('a gateway built without servers is fine once addServer() is called', () => {
    const chart = Testing.chart();
    const gw = new Gateway(chart, 'gw');
    gw.addServer({ port: 80 });
    expect(Testing.synth(chart)[0].spec.servers).toHaveLength(1);
  });
});
