import { Testing } from 'cdk8s';
import { EgressGatewayRoute, EgressMode, MeshAnalysis } from '../../lib';

function synth(mode: EgressMode, extra: object = {}): { objects: any[]; byKind: (kind: string) => any[] } {
  const chart = Testing.chart();
  new EgressGatewayRoute(chart, 'ledger', { host: 'ledger.partner.example', mode, ...extra });
  const objects = Testing.synth(chart);
  return { objects, byKind: (kind) => objects.filter((o) => o.kind === kind) };
}

const GW_HOST = 'istio-egressgateway.istio-system.svc.cluster.local';

describe('EgressGatewayRoute', () => {
  test.each([EgressMode.HTTP, EgressMode.TLS_ORIGINATION, EgressMode.TLS_PASSTHROUGH])('%s analyzes without findings', (mode) => {
    const { objects } = synth(mode);
    expect(MeshAnalysis.analyze(objects.map((object) => ({ object, source: {} })))).toEqual([]);
  });

  test('HTTP: port 80 at the gateway, the mesh leg to the gateway subset, the gateway leg to the host', () => {
    const { byKind } = synth(EgressMode.HTTP);
    expect(byKind('ServiceEntry')[0].spec).toEqual({
      hosts: ['ledger.partner.example'],
      ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
    });
    expect(byKind('Gateway')[0].spec).toEqual({
      selector: { istio: 'egressgateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['ledger.partner.example'] }],
    });
    expect(byKind('DestinationRule').map((d) => d.spec)).toEqual([
      { host: GW_HOST, subsets: [{ name: 'ledger-partner-example', labels: { istio: 'egressgateway' } }] },
    ]);
    const vs = byKind('VirtualService')[0];
    expect(vs.metadata.name).toBe('ledger-partner-example-through-egressgateway');
    expect(vs.spec.gateways).toEqual(['mesh', 'ledger-partner-example-egressgateway']);
    expect(vs.spec.http).toEqual([
      {
        match: [{ gateways: ['mesh'], port: 80 }],
        route: [{ destination: { host: GW_HOST, subset: 'ledger-partner-example', port: { number: 80 } } }],
      },
      {
        match: [{ gateways: ['ledger-partner-example-egressgateway'], port: 80 }],
        route: [{ destination: { host: 'ledger.partner.example', port: { number: 80 } } }],
      },
    ]);
  });

  test('TLS origination: the gateway leg goes to 443 and a DestinationRule originates verified TLS there', () => {
    const { byKind } = synth(EgressMode.TLS_ORIGINATION, { caCertificates: '/etc/partner/ca.pem' });
    const vs = byKind('VirtualService')[0];
    expect(vs.spec.http[1].route[0].destination).toEqual({ host: 'ledger.partner.example', port: { number: 443 } });
    const tls = byKind('DestinationRule').find((d) => d.metadata.name === 'ledger-partner-example-tls-origination');
    expect(tls.spec).toEqual({
      host: 'ledger.partner.example',
      trafficPolicy: {
        portLevelSettings: [
          { port: { number: 443 }, tls: { mode: 'SIMPLE', sni: 'ledger.partner.example', caCertificates: '/etc/partner/ca.pem' } },
        ],
      },
    });
    expect(byKind('ServiceEntry')[0].spec.ports.map((p: any) => p.protocol)).toEqual(['HTTP', 'HTTPS']);
  });

  test('TLS passthrough: a TLS server in PASSTHROUGH and two TLS legs on SNI', () => {
    const { byKind } = synth(EgressMode.TLS_PASSTHROUGH, { namespace: 'bank', name: 'ledger' });
    expect(byKind('Gateway')[0].spec.servers).toEqual([
      { port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['ledger.partner.example'], tls: { mode: 'PASSTHROUGH' } },
    ]);
    const vs = byKind('VirtualService')[0];
    expect(vs.metadata).toEqual({ name: 'ledger-through-egressgateway', namespace: 'bank' });
    expect(vs.spec.http).toBeUndefined();
    expect(vs.spec.tls.map((r: any) => [r.match[0].gateways, r.match[0].sniHosts, r.route[0].destination.host])).toEqual([
      [['mesh'], ['ledger.partner.example'], GW_HOST],
      [['bank/ledger-egressgateway'], ['ledger.partner.example'], 'ledger.partner.example'],
    ]);
  });

  test('refuses a wildcard host', () => {
    expect(() => new EgressGatewayRoute(Testing.chart(), 'x', { host: '*.partner.example', mode: EgressMode.HTTP })).toThrow(
      'must be a fully qualified DNS name without wildcard',
    );
  });
});
