import { Duration, Testing } from 'cdk8s';
import {
  ClientTls,
  DestinationRule,
  LoadBalancer,
  LoadBalancerAlgorithm,
  ProxyProtocolVersion,
  TrafficPolicy,
  TrafficPolicyOptions,
  TunnelProtocol,
} from '../../lib';
import { checkRuleBook } from '../../lib/analysis/rule-book-check';
import { checkSchema } from '../../lib/analysis/schema-check';

/** Renders the policy on a DestinationRule, checks schema and rule book are clean, returns spec.trafficPolicy. */
function rendered(options: TrafficPolicyOptions): any {
  const chart = Testing.chart();
  new DestinationRule(chart, 'teller', { host: 'teller.yunqi.svc.cluster.local', trafficPolicy: new TrafficPolicy(options) });
  const [object] = Testing.synth(chart);
  expect(checkSchema({ object, source: {} })).toEqual([]);
  expect(checkRuleBook({ object, source: {} })).toEqual([]);
  return object.spec.trafficPolicy;
}

function build(options: TrafficPolicyOptions): () => void {
  return () => new DestinationRule(Testing.chart(), 'teller', { host: 'teller', trafficPolicy: new TrafficPolicy(options) });
}

const outlierDetection = { consecutive5xxErrors: 1, interval: Duration.seconds(1), baseEjectionTime: Duration.minutes(1) };

describe('locality load balancing', () => {
  test('failover (Istio locality failover task shape) renders and is clean', () => {
    const tp = rendered({
      loadBalancer: LoadBalancer.byLocality({ enabled: true, failover: [{ from: 'region1', to: 'region2' }] }),
      outlierDetection,
    });
    expect(tp.loadBalancer).toEqual({ localityLbSetting: { enabled: true, failover: [{ from: 'region1', to: 'region2' }] } });
  });

  test('weighted distribution on top of a simple algorithm', () => {
    const lb = LoadBalancer.simple(LoadBalancerAlgorithm.ROUND_ROBIN).withLocality({
      distribute: [{ from: 'region1/zone1/*', to: { 'region1/zone1/*': 70, 'region1/zone2/*': 30 } }],
    });
    expect(rendered({ loadBalancer: lb }).loadBalancer).toEqual({
      simple: 'ROUND_ROBIN',
      localityLbSetting: { distribute: [{ from: 'region1/zone1/*', to: { 'region1/zone1/*': 70, 'region1/zone2/*': 30 } }] },
    });
  });

  test('distribute weights must add up to 100; failover and distribute exclude each other', () => {
    const distribute = (b: number) => [{ from: 'region1/*', to: { 'region1/*': 70, 'region2/*': b } }];
    expect(build({ loadBalancer: LoadBalancer.byLocality({ distribute: distribute(20) }) })).toThrow(/weights add up to 90/);
    expect(build({ loadBalancer: LoadBalancer.byLocality({ distribute: distribute(30) }) })).not.toThrow();
    expect(
      build({
        loadBalancer: LoadBalancer.byLocality({ distribute: distribute(30), failover: [{ from: 'region1', to: 'region2' }] }),
        outlierDetection,
      }),
    ).toThrow(/distribute and failover are mutually exclusive/);
  });

  test('failoverPriority renders', () => {
    const tp = rendered({
      loadBalancer: LoadBalancer.byLocality({ failoverPriority: ['topology.istio.io/network', 'topology.kubernetes.io/region'] }),
      outlierDetection,
    });
    expect(tp.loadBalancer.localityLbSetting.failoverPriority).toEqual(['topology.istio.io/network', 'topology.kubernetes.io/region']);
  });
});

describe('warm-up, ring hash, maglev, cookies', () => {
  test('warmup renders; minimumPercent over 100 is refused', () => {
    const lb = (minimumPercent: number) =>
      LoadBalancer.simple(LoadBalancerAlgorithm.ROUND_ROBIN).withWarmup({ duration: Duration.seconds(60), minimumPercent, aggression: 2 });
    expect(rendered({ loadBalancer: lb(100) }).loadBalancer.warmup).toEqual({ duration: '1m', minimumPercent: 100, aggression: 2 });
    expect(build({ loadBalancer: lb(101) })).toThrow(/warmup\.minimumPercent/);
  });

  test('warmup aggression below 1 is refused', () => {
    const lb = (aggression: number) =>
      LoadBalancer.simple(LoadBalancerAlgorithm.ROUND_ROBIN).withWarmup({ duration: Duration.seconds(30), aggression });
    expect(build({ loadBalancer: lb(0.5) })).toThrow(/warmup\.aggression \(0\.5\) must be >= 1/);
    expect(build({ loadBalancer: lb(1) })).not.toThrow();
  });

  test('ring hash and maglev render; maglev table size must be prime', () => {
    expect(rendered({ loadBalancer: LoadBalancer.consistentHashBySourceIp().withRingHash(2048) }).loadBalancer).toEqual({
      consistentHash: { useSourceIp: true, ringHash: { minimumRingSize: 2048 } },
    });
    expect(rendered({ loadBalancer: LoadBalancer.consistentHashByHeader('x-user').withMaglev(65537) }).loadBalancer).toEqual({
      consistentHash: { httpHeaderName: 'x-user', maglev: { tableSize: 65537 } },
    });
    expect(build({ loadBalancer: LoadBalancer.consistentHashByHeader('x-user').withMaglev(65536) })).toThrow(/must be a prime number/);
  });

  test('the later of withRingHash/withMaglev wins; neither applies to a simple algorithm', () => {
    expect(
      rendered({ loadBalancer: LoadBalancer.consistentHashBySourceIp().withMaglev(251).withRingHash() }).loadBalancer.consistentHash,
    ).toEqual({
      useSourceIp: true,
      ringHash: {},
    });
    expect(build({ loadBalancer: LoadBalancer.simple(LoadBalancerAlgorithm.RANDOM).withMaglev(251) })).toThrow(
      /maglev .* applies to consistent hashing only/,
    );
  });

  test('cookie path and attributes render; a repeated attribute is refused', () => {
    const cookie = (second: string) =>
      LoadBalancer.consistentHashByHttpCookie({
        name: 'session',
        ttl: Duration.seconds(0),
        path: '/bank',
        attributes: [{ name: 'SameSite', value: 'Strict' }, { name: second }],
      });
    expect(rendered({ loadBalancer: cookie('Secure') }).loadBalancer.consistentHash.httpCookie).toEqual({
      name: 'session',
      ttl: '0s',
      path: '/bank',
      attributes: [{ name: 'SameSite', value: 'Strict' }, { name: 'Secure' }],
    });
    expect(build({ loadBalancer: cookie('SameSite') })).toThrow(/is a duplicate cookie attribute/);
  });
});

describe('tunnel, PROXY protocol, retry budget', () => {
  test('tunnel renders; a port outside 1..65535 is refused', () => {
    const tunnel = (targetPort: number) => ({
      tunnel: { targetHost: 'egress-proxy.example.com', targetPort, protocol: TunnelProtocol.POST },
    });
    expect(rendered(tunnel(3128)).tunnel).toEqual({ targetHost: 'egress-proxy.example.com', targetPort: 3128, protocol: 'POST' });
    expect(build(tunnel(70000))).toThrow(/tunnel\.targetPort/);
  });

  test('tunnel target host must be a host name or IP', () => {
    expect(build({ tunnel: { targetHost: 'not a host', targetPort: 3128 } })).toThrow(/targetHost/);
    expect(build({ tunnel: { targetHost: '10.0.0.7', targetPort: 3128 } })).not.toThrow();
  });

  test('PROXY protocol renders; it excludes tunnel', () => {
    expect(rendered({ proxyProtocol: ProxyProtocolVersion.V2 }).proxyProtocol).toEqual({ version: 'V2' });
    expect(build({ proxyProtocol: ProxyProtocolVersion.V1, tunnel: { targetHost: 'proxy.example.com', targetPort: 3128 } })).toThrow(
      /tunnel and proxyProtocol are mutually exclusive/,
    );
  });

  test('retry budget renders; a percent over 100 is refused by the schema', () => {
    expect(rendered({ retryBudget: { percent: 25, minRetryConcurrency: 5 } }).retryBudget).toEqual({ percent: 25, minRetryConcurrency: 5 });
    expect(build({ retryBudget: { percent: 100.5 } })).toThrow(/retryBudget\.percent/);
    expect(build({ retryBudget: { percent: 100 } })).not.toThrow();
  });
});

describe('connection pool and TLS fields', () => {
  test('TCP idleTimeout, maxConnectionDuration and HTTP maxConcurrentStreams render', () => {
    const tp = rendered({
      connectionPool: {
        tcp: { idleTimeout: Duration.minutes(5), maxConnectionDuration: Duration.hours(1) },
        http: { maxConcurrentStreams: 100 },
      },
    });
    expect(tp.connectionPool).toEqual({ tcp: { idleTimeout: '5m', maxConnectionDuration: '1h' }, http: { maxConcurrentStreams: 100 } });
  });

  test('a TCP idleTimeout of 0 disables it (clean); 0.5ms is refused', () => {
    expect(rendered({ connectionPool: { tcp: { idleTimeout: Duration.millis(0) } } }).connectionPool.tcp.idleTimeout).toBe('0s');
    expect(build({ connectionPool: { tcp: { maxConnectionDuration: Duration.millis(0.5) } } })).toThrow(/maxConnectionDuration/);
  });

  test('negative maxConcurrentStreams is refused', () => {
    expect(build({ connectionPool: { http: { maxConcurrentStreams: -1 } } })).toThrow(/maxConcurrentStreams \(-1\) must be >= 0/);
    expect(build({ connectionPool: { http: { maxConcurrentStreams: 0 } } })).not.toThrow();
  });

  test('caCrl renders with file certificates; it cannot be combined with credentialName', () => {
    const tls = rendered({ tls: ClientTls.simple({ caCertificates: '/etc/certs/ca.pem', caCrl: '/etc/certs/ca.crl' }) }).tls;
    expect(tls).toEqual({ mode: 'SIMPLE', caCertificates: '/etc/certs/ca.pem', caCrl: '/etc/certs/ca.crl' });
    expect(build({ tls: ClientTls.simple({ credentialName: 'teller-ca', caCrl: '/etc/certs/ca.crl' }) })).toThrow(
      /caCrl: may not be set together with credentialName/,
    );
  });
});
