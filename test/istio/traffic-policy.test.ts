import { Duration, Testing } from 'cdk8s';
import {
  ClientTls,
  ClientTlsMode,
  DestinationRule,
  H2UpgradePolicy,
  LoadBalancer,
  LoadBalancerAlgorithm,
  TrafficPolicy,
  TrafficPolicyOptions,
} from '../../lib';

/** Synthesizes a DestinationRule with the policy and returns its spec.trafficPolicy. */
function render(options: TrafficPolicyOptions): any {
  const chart = Testing.chart();
  new DestinationRule(chart, 'reviews', { host: 'reviews', trafficPolicy: new TrafficPolicy(options) });
  return Testing.synth(chart)[0].spec.trafficPolicy;
}

describe('TrafficPolicy', () => {
  test('circuit breaking: connection pool and outlier detection, durations as Go strings', () => {
    expect(
      render({
        connectionPool: {
          tcp: {
            maxConnections: 100,
            connectTimeout: Duration.millis(30),
            tcpKeepalive: { probes: 3, time: Duration.hours(2), interval: Duration.seconds(75) },
          },
          http: {
            http1MaxPendingRequests: 1,
            http2MaxRequests: 1000,
            maxRequestsPerConnection: 1,
            maxRetries: 3,
            idleTimeout: Duration.seconds(90),
            h2UpgradePolicy: H2UpgradePolicy.DO_NOT_UPGRADE,
          },
        },
        outlierDetection: {
          consecutive5xxErrors: 7,
          consecutiveGatewayErrors: 2,
          interval: Duration.minutes(5),
          baseEjectionTime: Duration.millis(1500),
          maxEjectionPercent: 100,
          minHealthPercent: 0,
          splitExternalLocalOriginErrors: true,
          consecutiveLocalOriginFailures: 4,
        },
      }),
    ).toEqual({
      connectionPool: {
        tcp: { maxConnections: 100, connectTimeout: '30ms', tcpKeepalive: { probes: 3, time: '2h', interval: '75s' } },
        http: {
          http1MaxPendingRequests: 1,
          http2MaxRequests: 1000,
          maxRequestsPerConnection: 1,
          maxRetries: 3,
          idleTimeout: '90s',
          h2UpgradePolicy: 'DO_NOT_UPGRADE',
        },
      },
      outlierDetection: {
        consecutive5xxErrors: 7,
        consecutiveGatewayErrors: 2,
        interval: '5m',
        baseEjectionTime: '1500ms',
        maxEjectionPercent: 100,
        minHealthPercent: 0,
        splitExternalLocalOriginErrors: true,
        consecutiveLocalOriginFailures: 4,
      },
    });
  });

  test('durations with floating-point noise render in whole milliseconds', () => {
    // Duration.seconds(1.001) is 1000.9999999999999 ms.
    expect(render({ outlierDetection: { interval: Duration.seconds(1.001) } })).toEqual({ outlierDetection: { interval: '1001ms' } });
  });

  test('an empty outlierDetection is kept: it turns detection on with defaults', () => {
    expect(render({ outlierDetection: {} })).toEqual({ outlierDetection: {} });
  });

  test.each([
    [LoadBalancer.simple(LoadBalancerAlgorithm.ROUND_ROBIN), { simple: 'ROUND_ROBIN' }],
    [LoadBalancer.simple(LoadBalancerAlgorithm.LEAST_REQUEST), { simple: 'LEAST_REQUEST' }],
    [LoadBalancer.simple(LoadBalancerAlgorithm.RANDOM), { simple: 'RANDOM' }],
    [LoadBalancer.simple(LoadBalancerAlgorithm.PASSTHROUGH), { simple: 'PASSTHROUGH' }],
    [LoadBalancer.simple(LoadBalancerAlgorithm.LEAST_CONN), { simple: 'LEAST_CONN' }],
    [LoadBalancer.consistentHashByHeader('x-user'), { consistentHash: { httpHeaderName: 'x-user' } }],
    [LoadBalancer.consistentHashByCookie('session'), { consistentHash: { httpCookie: { name: 'session' } } }],
    [
      LoadBalancer.consistentHashByCookie('session', Duration.seconds(0)),
      { consistentHash: { httpCookie: { name: 'session', ttl: '0s' } } },
    ],
    [
      LoadBalancer.consistentHashByCookie('session', Duration.minutes(10)),
      { consistentHash: { httpCookie: { name: 'session', ttl: '10m' } } },
    ],
    [LoadBalancer.consistentHashBySourceIp(), { consistentHash: { useSourceIp: true } }],
    [LoadBalancer.consistentHashByQueryParameter('user'), { consistentHash: { httpQueryParameterName: 'user' } }],
  ])('load balancer %#', (lb, expected) => {
    expect(render({ loadBalancer: lb })).toEqual({ loadBalancer: expected });
  });

  test.each([
    [ClientTls.istioMutual(), { mode: 'ISTIO_MUTUAL' }],
    [ClientTls.disable(), { mode: 'DISABLE' }],
    [ClientTls.simple(), { mode: 'SIMPLE' }],
    [
      ClientTls.simple({ credentialName: 'api-ca', sni: 'api.example.com', subjectAltNames: ['api.example.com'] }),
      { mode: 'SIMPLE', credentialName: 'api-ca', sni: 'api.example.com', subjectAltNames: ['api.example.com'] },
    ],
    [
      ClientTls.mutual({ clientCertificate: '/etc/certs/cert.pem', privateKey: '/etc/certs/key.pem', caCertificates: '/etc/certs/ca.pem' }),
      { mode: 'MUTUAL', clientCertificate: '/etc/certs/cert.pem', privateKey: '/etc/certs/key.pem', caCertificates: '/etc/certs/ca.pem' },
    ],
    [ClientTls.mutual({ credentialName: 'client-cert' }), { mode: 'MUTUAL', credentialName: 'client-cert' }],
  ])('client TLS %#', (tls, expected) => {
    expect(render({ tls })).toEqual({ tls: expected });
  });

  test('ClientTls exposes its mode with the public spelling', () => {
    expect(ClientTls.istioMutual().mode).toBe(ClientTlsMode.ISTIO_MUTUAL);
    expect(ClientTlsMode.ISTIO_MUTUAL).toBe('ISTIO_MUTUAL');
  });

  test('port-level settings override the policy per port (egress TLS origination)', () => {
    const policy = TrafficPolicy.of({
      loadBalancer: LoadBalancer.simple(LoadBalancerAlgorithm.ROUND_ROBIN),
      portLevelSettings: [{ port: 443, tls: ClientTls.simple() }],
    });
    expect(policy.portLevelSettings.map((p) => p.port)).toEqual([443]);
    const chart = Testing.chart();
    new DestinationRule(chart, 'originate-tls-for-googleapis', { host: 'www.googleapis.com', trafficPolicy: policy });
    expect(Testing.synth(chart)[0].spec).toEqual({
      host: 'www.googleapis.com',
      trafficPolicy: {
        loadBalancer: { simple: 'ROUND_ROBIN' },
        portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE' } }],
      },
    });
  });

  test('portLevelSettings alone is a valid policy', () => {
    expect(render({ portLevelSettings: [{ port: 9080, outlierDetection: { consecutive5xxErrors: 1 } }] })).toEqual({
      portLevelSettings: [{ port: { number: 9080 }, outlierDetection: { consecutive5xxErrors: 1 } }],
    });
  });

  test.each<[string, () => unknown, string]>([
    ['an empty policy', () => new TrafficPolicy({}), 'TrafficPolicy: trafficPolicy ({}) must set at least one of loadBalancer'],
    [
      'a connection pool without tcp or http',
      () => new TrafficPolicy({ connectionPool: {} }),
      'TrafficPolicy: trafficPolicy.connectionPool ({}) must set tcp or http',
    ],
    [
      'an empty tcp pool',
      () => new TrafficPolicy({ connectionPool: { tcp: {} } }),
      'trafficPolicy.connectionPool.tcp ({}) must set at least one limit',
    ],
    [
      'an empty http pool',
      () => new TrafficPolicy({ connectionPool: { http: {} } }),
      'trafficPolicy.connectionPool.http ({}) must set at least one limit',
    ],
    [
      'negative maxConnections',
      () => new TrafficPolicy({ connectionPool: { tcp: { maxConnections: -1 } } }),
      'trafficPolicy.connectionPool.tcp.maxConnections (-1) must be an integer between 0 and 2147483647',
    ],
    [
      'fractional maxRetries',
      () => new TrafficPolicy({ connectionPool: { http: { maxRetries: 1.5 } } }),
      'trafficPolicy.connectionPool.http.maxRetries (1.5) must be an integer',
    ],
    [
      'negative http1MaxPendingRequests',
      () => new TrafficPolicy({ connectionPool: { http: { http1MaxPendingRequests: -3 } } }),
      'http.http1MaxPendingRequests (-3)',
    ],
    [
      'negative keepalive probes',
      () => new TrafficPolicy({ connectionPool: { tcp: { tcpKeepalive: { probes: -1 } } } }),
      'tcp.tcpKeepalive.probes (-1)',
    ],
    [
      'a sub-millisecond connectTimeout',
      () => new TrafficPolicy({ connectionPool: { tcp: { connectTimeout: Duration.millis(0.5) } } }),
      "TrafficPolicy: trafficPolicy.connectionPool.tcp.connectTimeout ('0.5ms') must be at least 1ms and a whole number of milliseconds",
    ],
    [
      'a zero idleTimeout',
      () => new TrafficPolicy({ connectionPool: { http: { idleTimeout: Duration.seconds(0) } } }),
      'must be at least 1ms and a whole number of milliseconds',
    ],
    [
      'useClientProtocol with UPGRADE',
      () => new TrafficPolicy({ connectionPool: { http: { useClientProtocol: true, h2UpgradePolicy: H2UpgradePolicy.UPGRADE } } }),
      "http.h2UpgradePolicy ('UPGRADE') cannot be UPGRADE when useClientProtocol is true",
    ],
    [
      'maxEjectionPercent above 100',
      () => new TrafficPolicy({ outlierDetection: { maxEjectionPercent: 150 } }),
      'trafficPolicy.outlierDetection.maxEjectionPercent (150) must be an integer between 0 and 100',
    ],
    [
      'negative minHealthPercent',
      () => new TrafficPolicy({ outlierDetection: { minHealthPercent: -1 } }),
      'outlierDetection.minHealthPercent (-1) must be an integer between 0 and 100',
    ],
    [
      'negative consecutive5xxErrors',
      () => new TrafficPolicy({ outlierDetection: { consecutive5xxErrors: -2 } }),
      'outlierDetection.consecutive5xxErrors (-2)',
    ],
    [
      'a fractional-ms interval',
      () => new TrafficPolicy({ outlierDetection: { interval: Duration.millis(1.5) } }),
      'outlierDetection.interval',
    ],
    [
      'consecutiveLocalOriginFailures without split',
      () => new TrafficPolicy({ outlierDetection: { consecutiveLocalOriginFailures: 3 } }),
      'outlierDetection.consecutiveLocalOriginFailures (3) only applies when splitExternalLocalOriginErrors is true',
    ],
    [
      'a port-level port 0',
      () => new TrafficPolicy({ portLevelSettings: [{ port: 0, tls: ClientTls.disable() }] }),
      'trafficPolicy.portLevelSettings[0].port.number (0) must be an integer between 1 and 65535',
    ],
    [
      'a port-level entry without settings',
      () => new TrafficPolicy({ portLevelSettings: [{ port: 80 }] }),
      'trafficPolicy.portLevelSettings[0] ({"port":80}) must set at least one of',
    ],
    [
      'a port configured twice',
      () =>
        new TrafficPolicy({
          portLevelSettings: [
            { port: 80, tls: ClientTls.disable() },
            { port: 80, tls: ClientTls.simple() },
          ],
        }),
      'portLevelSettings[1].port.number (80) is already configured',
    ],
    [
      'a bad port-level setting',
      () => new TrafficPolicy({ portLevelSettings: [{ port: 80, outlierDetection: { maxEjectionPercent: 101 } }] }),
      'trafficPolicy.portLevelSettings[0].outlierDetection.maxEjectionPercent (101)',
    ],
    [
      'a header name with a space',
      () => LoadBalancer.consistentHashByHeader('x user'),
      "LoadBalancer: loadBalancer.consistentHash.httpHeaderName ('x user') must be an HTTP header name",
    ],
    [
      'an empty cookie name',
      () => LoadBalancer.consistentHashByCookie(''),
      "LoadBalancer: loadBalancer.consistentHash.httpCookie.name ('') must not be empty",
    ],
    [
      'a sub-millisecond cookie ttl',
      () => LoadBalancer.consistentHashByCookie('s', Duration.millis(0.25)),
      'loadBalancer.consistentHash.httpCookie.ttl',
    ],
    [
      'an empty query parameter',
      () => LoadBalancer.consistentHashByQueryParameter(''),
      "loadBalancer.consistentHash.httpQueryParameterName ('') must not be empty",
    ],
    [
      'credentialName with a CA file',
      () => ClientTls.simple({ credentialName: 'ca', caCertificates: '/ca.pem' }),
      "ClientTls: tls.caCertificates ('/ca.pem') cannot be combined with credentialName",
    ],
    [
      'credentialName with a client key',
      () => ClientTls.mutual({ credentialName: 'c', privateKey: '/key.pem' }),
      "tls.privateKey ('/key.pem') cannot be combined with credentialName",
    ],
    ['an empty credentialName', () => ClientTls.simple({ credentialName: '' }), "ClientTls: tls.credentialName ('') must not be empty"],
    [
      'MUTUAL without certificate',
      () => ClientTls.mutual({ privateKey: '/key.pem' }),
      'ClientTls: tls ({"privateKey":"/key.pem"}) MUTUAL needs clientCertificate and privateKey',
    ],
    [
      'insecureSkipVerify with subjectAltNames',
      () => ClientTls.simple({ insecureSkipVerify: true, subjectAltNames: ['a'] }),
      'tls.subjectAltNames (["a"]) cannot be combined with insecureSkipVerify',
    ],
  ])('rejects %s', (_what, build, message) => {
    expect(build).toThrow(message);
  });
});
