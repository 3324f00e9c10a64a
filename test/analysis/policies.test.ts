import { analyze, dr, service, summary } from '../fixtures/analysis/builders';

describe('IST0128 / IST0129 TLS without CA certificates', () => {
  test('SIMPLE and MUTUAL without caCertificates, at rule and port level', () => {
    const findings = analyze([
      dr('ext', {
        host: 'api.example.com',
        trafficPolicy: {
          tls: { mode: 'SIMPLE' },
          portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'MUTUAL', clientCertificate: '/c', privateKey: '/k' } }],
        },
      }),
    ]);
    // Sorted by field path.
    expect(summary(findings)).toEqual([
      'IST0129 DestinationRule/ext spec.trafficPolicy.portLevelSettings[0].tls',
      'IST0128 DestinationRule/ext spec.trafficPolicy.tls',
    ]);
    expect(findings[0].message).toContain('TLS mode MUTUAL without caCertificates on port 443');
  });

  test('with caCertificates, ISTIO_MUTUAL, or credentialName with a workloadSelector: nothing', () => {
    expect(
      analyze([
        dr('a', { host: 'a.example.com', trafficPolicy: { tls: { mode: 'SIMPLE', caCertificates: '/ca.pem' } } }),
        dr('b', { host: 'b.example.com', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } }),
        dr('c', {
          host: 'c.example.com',
          workloadSelector: { matchLabels: { app: 'c' } },
          trafficPolicy: { tls: { mode: 'SIMPLE', credentialName: 'c-cert' } },
        }),
      ]),
    ).toEqual([]);
  });

  test('credentialName without a workloadSelector is still reported', () => {
    const findings = analyze([dr('c', { host: 'c.example.com', trafficPolicy: { tls: { mode: 'SIMPLE', credentialName: 'c-cert' } } })]);
    expect(summary(findings)).toEqual(['IST0128 DestinationRule/c spec.trafficPolicy.tls']);
  });
});

describe('IST0118 port names', () => {
  test('names outside the convention, unnamed ports and unknown appProtocols', () => {
    const findings = analyze([
      service('web', { ports: [{ name: 'web', port: 80 }, { port: 81 }, { name: 'x', port: 82, appProtocol: 'foo' }] }),
    ]);
    expect(summary(findings)).toEqual([
      'IST0118 Service/web spec.ports[0].name',
      'IST0118 Service/web spec.ports[1].name',
      'IST0118 Service/web spec.ports[2].appProtocol',
    ]);
    expect(findings[0].severity).toBe('info');
    expect(findings[0].message).toContain("port name 'web' (port 80) does not follow Istio's protocol naming convention");
  });

  test('conventional names, appProtocol, UDP, well-known ports and Istio services are fine', () => {
    expect(
      analyze([
        service('ok', {
          ports: [
            { name: 'http', port: 80 },
            { name: 'HTTP2-api', port: 81 },
            { name: 'grpc-web-x', port: 82 },
            { name: 'tcp-db', port: 83 },
            { name: 'web', port: 84, appProtocol: 'http' },
            { name: 'web2', port: 85, appProtocol: 'kubernetes.io/h2c' },
            { name: 'dns', port: 86, protocol: 'UDP' },
            { name: 'db', port: 3306 },
          ],
        }),
        service('istio-ingressgateway', { ports: [{ name: 'status-port', port: 15021 }], labels: { istio: 'ingressgateway' } }),
      ]),
    ).toEqual([]);
  });
});
