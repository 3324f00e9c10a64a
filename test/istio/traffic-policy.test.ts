import { IstioConfigError } from '../../lib/kinds/errors';
import { Chart, Duration, Testing } from 'cdk8s';
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

/** The message of the IstioConfigError that a DestinationRule 'reviews' with the policy throws at construction. */
function refusal(options: TrafficPolicyOptions): string {
  try {
    new DestinationRule(Testing.chart(), 'reviews', { host: 'reviews', trafficPolicy: new TrafficPolicy(options) });
  } catch (e) {
    expect(e).toBeInstanceOf(IstioConfigError);
    return (e as Error).message;
  }
  throw new Error('expected an IstioConfigError, but the DestinationRule was accepted');
}

const DR = "DestinationRule 'reviews': spec.trafficPolicy";

describe('TrafficPolicy', () => {
  // Istio accepts an empty tcp or http block (the defaults stay), but not a pool with neither.
  test.each<[string, TrafficPolicyOptions, unknown]>([
    ['an empty tcp block', { connectionPool: { tcp: {} } }, { tcp: {} }],
    ['an empty http block', { connectionPool: { http: {} } }, { http: {} }],
    [
      'an empty http block beside tcp limits',
      { connectionPool: { tcp: { maxConnections: 1 }, http: {} } },
      { tcp: { maxConnections: 1 }, http: {} },
    ],
  ])('accepts %s as Istio does, and writes it', (_what, options, pool) => {
    expect(render(options).connectionPool).toEqual(pool);
  });

  test('refuses a connection pool with neither tcp nor http (rule book)', () => {
    expect(refusal({ connectionPool: {} })).toContain(`${DR}.connectionPool: a connectionPool needs http or tcp settings`);
  });

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

  test('a cookie ttl renders as given, fractions of a millisecond included', () => {
    // Istio does not validate the cookie ttl.
    expect(render({ loadBalancer: LoadBalancer.consistentHashByCookie('session', Duration.millis(0.25)) })).toEqual({
      loadBalancer: { consistentHash: { httpCookie: { name: 'session', ttl: '0.25ms' } } },
    });
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

  // Istio's rules come from the rule book, through the owning DestinationRule, at its construction.
  test.each<[string, TrafficPolicyOptions, string]>([
    ['an empty policy', {}, `${DR}: a trafficPolicy must set at least one field`],
    ['a connection pool without tcp or http', { connectionPool: {} }, `${DR}.connectionPool: a connectionPool needs http or tcp settings`],
    [
      'negative maxConnections',
      { connectionPool: { tcp: { maxConnections: -1 } } },
      `${DR}.connectionPool.tcp.maxConnections (-1) must be >= 0`,
    ],
    [
      'negative http1MaxPendingRequests',
      { connectionPool: { http: { http1MaxPendingRequests: -3 } } },
      `${DR}.connectionPool.http.http1MaxPendingRequests (-3) must be >= 0`,
    ],
    [
      'a fractional-millisecond connectTimeout',
      { connectionPool: { tcp: { connectTimeout: Duration.millis(1.5) } } },
      `${DR}.connectionPool.tcp.connectTimeout ('1.5ms') must be a whole number of milliseconds`,
    ],
    [
      'a fractional-millisecond interval',
      { outlierDetection: { interval: Duration.seconds(1.0005) } },
      `${DR}.outlierDetection.interval ('1000.5ms') must be a whole number of milliseconds`,
    ],
    [
      'useClientProtocol with UPGRADE',
      { connectionPool: { http: { useClientProtocol: true, h2UpgradePolicy: H2UpgradePolicy.UPGRADE } } },
      `${DR}.connectionPool.http.h2UpgradePolicy: UPGRADE may not be combined with useClientProtocol: true`,
    ],
    [
      'maxEjectionPercent above 100',
      { outlierDetection: { maxEjectionPercent: 150 } },
      `${DR}.outlierDetection.maxEjectionPercent (150) must be between 0 and 100`,
    ],
    [
      'negative minHealthPercent',
      { outlierDetection: { minHealthPercent: -1 } },
      `${DR}.outlierDetection.minHealthPercent (-1) must be between 0 and 100`,
    ],
    [
      'consecutiveLocalOriginFailures without split',
      { outlierDetection: { consecutiveLocalOriginFailures: 3 } },
      `${DR}.outlierDetection.consecutiveLocalOriginFailures (3) needs splitExternalLocalOriginErrors: true`,
    ],
    [
      'a port-level entry without settings',
      { portLevelSettings: [{ port: 80 }] },
      `${DR}.portLevelSettings[0]: a port-level setting needs at least one of`,
    ],
    [
      'a bad port-level setting',
      { portLevelSettings: [{ port: 80, outlierDetection: { maxEjectionPercent: 101 } }] },
      `${DR}.portLevelSettings[0].outlierDetection.maxEjectionPercent (101) must be between 0 and 100`,
    ],
    [
      'an empty cookie name',
      { loadBalancer: LoadBalancer.consistentHashByCookie('') },
      `${DR}.loadBalancer.consistentHash.httpCookie.name: is required`,
    ],
    [
      'credentialName with a CA file',
      { tls: ClientTls.simple({ credentialName: 'ca', caCertificates: '/ca.pem' }) },
      `${DR}.tls.caCertificates: may not be set together with credentialName`,
    ],
    [
      'credentialName with a client key',
      { tls: ClientTls.mutual({ credentialName: 'c', privateKey: '/key.pem' }) },
      `${DR}.tls.privateKey: may not be set together with credentialName`,
    ],
    [
      'MUTUAL without certificate',
      { tls: ClientTls.mutual({ privateKey: '/key.pem' }) },
      `${DR}.tls.clientCertificate: is required for MUTUAL mode without credentialName`,
    ],
    [
      'SIMPLE with insecureSkipVerify and subjectAltNames',
      { tls: ClientTls.simple({ insecureSkipVerify: true, subjectAltNames: ['a'] }) },
      `${DR}.tls.subjectAltNames: may not be set with insecureSkipVerify: true in SIMPLE mode`,
    ],
    [
      'SIMPLE with insecureSkipVerify and credentialName',
      { tls: ClientTls.simple({ insecureSkipVerify: true, credentialName: 'api-ca' }) },
      `${DR}.tls.credentialName: may not be set with insecureSkipVerify: true in SIMPLE mode`,
    ],
    [
      'MUTUAL with insecureSkipVerify and a CA file',
      { tls: ClientTls.mutual({ insecureSkipVerify: true, clientCertificate: '/c.pem', privateKey: '/k.pem', caCertificates: '/ca.pem' }) },
      `${DR}.tls.caCertificates: may not be set with insecureSkipVerify: true in MUTUAL mode`,
    ],
  ])('rejects %s (rule book)', (_what, options, message) => {
    expect(refusal(options)).toContain(message);
  });

  // Checks stricter than Istio stay in the value classes, and name the owner and the full path too.
  test.each<[string, TrafficPolicyOptions, string]>([
    [
      'fractional maxRetries',
      { connectionPool: { http: { maxRetries: 1.5 } } },
      `${DR}.connectionPool.http.maxRetries (1.5) must be an integer between 0 and 2147483647`,
    ],
    [
      'a maxConnections beyond int32',
      { connectionPool: { tcp: { maxConnections: 2147483648 } } },
      `${DR}.connectionPool.tcp.maxConnections (2147483648) must be an integer between 0 and 2147483647`,
    ],
    [
      'negative keepalive probes',
      { connectionPool: { tcp: { tcpKeepalive: { probes: -1 } } } },
      `${DR}.connectionPool.tcp.tcpKeepalive.probes (-1) must be an integer between 0 and 2147483647`,
    ],
    [
      'negative consecutive5xxErrors',
      { outlierDetection: { consecutive5xxErrors: -2 } },
      `${DR}.outlierDetection.consecutive5xxErrors (-2) must be an integer between 0 and 2147483647`,
    ],
    [
      'a fractional maxEjectionPercent',
      { outlierDetection: { maxEjectionPercent: 12.5 } },
      `${DR}.outlierDetection.maxEjectionPercent (12.5) must be a whole number`,
    ],
    [
      'a port-level port 0',
      { portLevelSettings: [{ port: 0, tls: ClientTls.disable() }] },
      `${DR}.portLevelSettings[0].port.number (0) must be an integer between 1 and 65535`,
    ],
    [
      'a port configured twice',
      {
        portLevelSettings: [
          { port: 80, tls: ClientTls.disable() },
          { port: 80, tls: ClientTls.simple() },
        ],
      },
      `${DR}.portLevelSettings[1].port.number (80) is already configured by portLevelSettings[0]`,
    ],
    [
      'a header name with a space',
      { loadBalancer: LoadBalancer.consistentHashByHeader('x user') },
      `${DR}.loadBalancer.consistentHash.httpHeaderName ('x user') must be an HTTP header name`,
    ],
    [
      'an empty query parameter',
      { loadBalancer: LoadBalancer.consistentHashByQueryParameter('') },
      `${DR}.loadBalancer.consistentHash.httpQueryParameterName ('') must not be empty`,
    ],
    ['an empty credentialName', { tls: ClientTls.simple({ credentialName: '' }) }, `${DR}.tls.credentialName ('') must not be empty`],
  ])('rejects %s (stricter than Istio)', (_what, options, message) => {
    expect(refusal(options)).toContain(message);
  });

  test('value classes keep what they are given; only their owner judges them', () => {
    expect(() => new TrafficPolicy({})).not.toThrow();
    expect(() => LoadBalancer.consistentHashByHeader('x user')).not.toThrow();
    expect(() => LoadBalancer.consistentHashByCookie('')).not.toThrow();
    expect(() => ClientTls.mutual({ privateKey: '/key.pem' })).not.toThrow();
    expect(() => ClientTls.simple({ credentialName: '' })).not.toThrow();
  });

  test('the same bad policy is reported with the path of each owner', () => {
    const policy = new TrafficPolicy({ tls: ClientTls.mutual({ privateKey: '/key.pem' }) });
    const chart = Testing.chart();
    expect(() => new DestinationRule(chart, 'ratings', { host: 'ratings', trafficPolicy: policy })).toThrow(
      "DestinationRule 'ratings': spec.trafficPolicy.tls.clientCertificate: is required for MUTUAL mode without credentialName",
    );
    expect(
      () =>
        new DestinationRule(chart, 'details', {
          host: 'details',
          subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: policy }],
        }),
    ).toThrow("DestinationRule 'details': spec.subsets[0].trafficPolicy.tls.clientCertificate: is required for MUTUAL mode");
  });

  test('what Istio accepts is accepted', () => {
    // MUTUAL may skip verification with its certificates from a secret (validation.go only forbids caCertificates and SANs there).
    expect(render({ tls: ClientTls.mutual({ credentialName: 'client-cert', insecureSkipVerify: true }) })).toEqual({
      tls: { mode: 'MUTUAL', credentialName: 'client-cert', insecureSkipVerify: true },
    });
    // Istio only rejects local-origin failures above 0 without splitting them out.
    expect(render({ outlierDetection: { consecutiveLocalOriginFailures: 0 } })).toEqual({
      outlierDetection: { consecutiveLocalOriginFailures: 0 },
    });
  });

  test("durations under 1ms break the CRD's CEL rule: refused at construction, in any app", () => {
    const options = { connectionPool: { tcp: { connectTimeout: Duration.millis(0.5) }, http: { idleTimeout: Duration.seconds(0) } } };
    const chart = new Chart(Testing.app(), 'c');
    expect(() => new DestinationRule(chart, 'reviews', { host: 'reviews', trafficPolicy: new TrafficPolicy(options) })).toThrow(
      [
        "DestinationRule 'reviews': spec.trafficPolicy.connectionPool.tcp.connectTimeout ('0.5ms') must be a valid duration greater than 1ms",
        "DestinationRule 'reviews': spec.trafficPolicy.connectionPool.http.idleTimeout ('0s') must be a valid duration greater than 1ms",
      ].join('\n'),
    );
  });
});
