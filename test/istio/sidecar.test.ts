import { Testing } from 'cdk8s';
import { OutboundTrafficPolicyMode, ServicePortProtocol, Sidecar, SidecarCaptureMode } from '../../lib';
import { IstioConfigError } from '../../lib/kinds/errors';
import { checkRuleBook } from '../../lib/analysis/rule-book-check';
import { checkSchema } from '../../lib/analysis/schema-check';

describe('Sidecar', () => {
  test("scoping a namespace's proxies to their own namespace and istio-system, registry only", () => {
    const chart = Testing.chart();
    new Sidecar(chart, 'default', {
      metadata: { namespace: 'bank' },
      egress: [{ hosts: ['./*', 'istio-system/*'] }],
      outboundTrafficPolicy: OutboundTrafficPolicyMode.REGISTRY_ONLY,
    });
    const [object] = Testing.synth(chart);
    expect(object).toMatchObject({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Sidecar',
      metadata: { name: 'default', namespace: 'bank' },
    });
    expect(object.spec).toEqual({ egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
    expect(checkSchema({ object, source: {} })).toEqual([]);
    expect(checkRuleBook({ object, source: {} })).toEqual([]);
  });

  test('ingress listener and per-port egress for selected workloads', () => {
    const chart = Testing.chart();
    new Sidecar(chart, 'teller', {
      workloadSelector: { app: 'teller' },
      ingress: [{ port: { number: 9080, protocol: ServicePortProtocol.HTTP, name: 'http' }, defaultEndpoint: '127.0.0.1:8080' }],
      egress: [
        {
          port: { number: 0, name: 'ledger' },
          bind: 'unix:///var/run/ledger.sock',
          captureMode: SidecarCaptureMode.NONE,
          hosts: ['ledger/*'],
        },
        { hosts: ['./*'] },
      ],
    });
    const [object] = Testing.synth(chart);
    expect(object.spec).toEqual({
      workloadSelector: { labels: { app: 'teller' } },
      ingress: [{ port: { number: 9080, protocol: 'HTTP', name: 'http' }, defaultEndpoint: '127.0.0.1:8080' }],
      egress: [
        { port: { number: 0, name: 'ledger' }, bind: 'unix:///var/run/ledger.sock', captureMode: 'NONE', hosts: ['ledger/*'] },
        { hosts: ['./*'] },
      ],
    });
    expect(checkSchema({ object, source: {} })).toEqual([]);
    expect(checkRuleBook({ object, source: {} })).toEqual([]);
  });

  test('an empty Sidecar is refused at construction', () => {
    expect(() => new Sidecar(Testing.chart(), 'empty', {})).toThrow(
      "Sidecar 'empty': spec: a Sidecar needs at least one of egress, ingress, outboundTrafficPolicy or inboundConnectionPool",
    );
  });

  test('a short egress host is refused; the qualified one is not', () => {
    expect(() => new Sidecar(Testing.chart(), 's', { egress: [{ hosts: ['ledger/ledger-db'] }] })).toThrow(IstioConfigError);
    expect(() => new Sidecar(Testing.chart(), 's', { egress: [{ hosts: ['ledger/ledger-db.ledger.svc.cluster.local'] }] })).not.toThrow();
  });

  test('a catch-all egress listener before a port listener is refused', () => {
    expect(
      () =>
        new Sidecar(Testing.chart(), 's', {
          egress: [
            { hosts: ['./*'] },
            { port: { number: 443, protocol: ServicePortProtocol.TLS, name: 'tls' }, hosts: ['*/api.example.com'] },
          ],
        }),
    ).toThrow('spec.egress[0].port: the egress listener without port must be the last one');
  });
});
