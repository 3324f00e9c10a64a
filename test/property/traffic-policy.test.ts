import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import {
  ClientTls,
  CookieAttribute,
  DestinationRule,
  H2UpgradePolicy,
  LoadBalancer,
  LoadBalancerAlgorithm,
  LocalityLbSettingOptions,
  ProxyProtocolVersion,
  TrafficPolicy,
  TrafficPolicyOptions,
  TunnelProtocol,
} from '../../lib';
import { describeProperties, optional, Pools, property } from './support';

// DestinationRule traffic policies in full: connection pool, outlier detection, client TLS,
// load balancing with locality, warmup, ring hash and maglev, tunnel, PROXY protocol, retry
// budget and port-level settings. Valid pools follow Istio's rules (validateTrafficPolicy and
// what it calls): at least one setting, tunnel xor proxyProtocol, local-origin failures only
// with split errors, no client protocol with UPGRADE, maglev table sizes prime and < 5000011,
// locality weights summing to 100, failover between different regions.

const ms = (p: Pools, min: number) =>
  (p.hostile ? fc.oneof(fc.integer({ min: 0, max: 60000 }), fc.constantFrom(0.5, 1e21)) : fc.integer({ min, max: 60000 })).map((n) =>
    Duration.millis(n),
  );
const counted = (p: Pools) => (p.hostile ? p.int(0, 1000) : fc.integer({ min: 0, max: 1000 }));
const pct = (p: Pools) => (p.hostile ? fc.oneof(p.int(0, 100), fc.constant(50.5)) : fc.integer({ min: 0, max: 100 }));

const connectionPool = (p: Pools) =>
  fc
    .record(
      {
        tcp: fc.record(
          {
            maxConnections: counted(p),
            connectTimeout: ms(p, 1),
            tcpKeepalive: fc.record({ probes: counted(p), time: ms(p, 1), interval: ms(p, 1) }, { requiredKeys: [] }),
            idleTimeout: ms(p, 0),
            maxConnectionDuration: ms(p, 1),
          },
          { requiredKeys: [] },
        ),
        http: fc.record(
          {
            http1MaxPendingRequests: counted(p),
            http2MaxRequests: counted(p),
            maxRequestsPerConnection: counted(p),
            maxRetries: counted(p),
            idleTimeout: ms(p, 1),
            h2UpgradePolicy: fc.constantFrom(...Object.values(H2UpgradePolicy)),
            useClientProtocol: fc.boolean(),
            maxConcurrentStreams: counted(p),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    )
    .map((c) =>
      p.hostile || c.http?.h2UpgradePolicy !== H2UpgradePolicy.UPGRADE ? c : { ...c, http: { ...c.http, useClientProtocol: undefined } },
    )
    .filter((c) => p.hostile || c.tcp !== undefined || c.http !== undefined);

const outlierDetection = (p: Pools) =>
  fc
    .record(
      {
        consecutive5xxErrors: counted(p),
        consecutiveGatewayErrors: counted(p),
        interval: ms(p, 1),
        baseEjectionTime: ms(p, 1),
        maxEjectionPercent: pct(p),
        minHealthPercent: pct(p),
        splitExternalLocalOriginErrors: fc.boolean(),
        consecutiveLocalOriginFailures: counted(p),
      },
      { requiredKeys: [] },
    )
    .map((o) =>
      p.hostile || o.splitExternalLocalOriginErrors || !o.consecutiveLocalOriginFailures
        ? o
        : { ...o, splitExternalLocalOriginErrors: true },
    );

const locality = (p: Pools): fc.Arbitrary<LocalityLbSettingOptions> =>
  fc.oneof<fc.Arbitrary<LocalityLbSettingOptions>[]>(
    fc.record({
      enabled: optional(fc.boolean()),
      distribute: fc.constant([{ from: 'us-west/zone1/*', to: { 'us-west/zone1/*': 80, 'us-west/zone2/*': 20 } }]),
    }),
    fc.record({
      enabled: optional(fc.boolean()),
      failover: fc.constant([{ from: 'us-east', to: 'eu-west' }]),
      failoverPriority: optional(fc.constant(['topology.istio.io/network'])),
    }),
    fc.record({ failoverPriority: fc.constant(['topology.kubernetes.io/region', 'topology.kubernetes.io/zone']) }),
    ...(p.hostile
      ? [
          fc.constant<LocalityLbSettingOptions>({ distribute: [{ from: 'us-west/*', to: { 'us-east/*': 60 } }] }),
          fc.constant<LocalityLbSettingOptions>({ failover: [{ from: 'us-east', to: 'us-east' }] }),
          fc.constant<LocalityLbSettingOptions>({ distribute: [{ from: 'a', to: { b: 100 } }], failover: [{ from: 'c', to: 'd' }] }),
        ]
      : []),
  );

const loadBalancer = (p: Pools) =>
  fc
    .record({
      base: fc.oneof(
        fc.constantFrom(...Object.values(LoadBalancerAlgorithm)).map((a) => ({ hashed: false, lb: LoadBalancer.simple(a) })),
        p.name.map((h) => ({ hashed: true, lb: LoadBalancer.consistentHashByHeader(h) })),
        fc.tuple(p.name, optional(ms(p, 0))).map(([n, ttl]) => ({ hashed: true, lb: LoadBalancer.consistentHashByCookie(n, ttl) })),
        fc
          .record({
            name: p.name,
            path: optional(fc.constantFrom('/', '/api')),
            attributes: optional(fc.constant<CookieAttribute[]>([{ name: 'SameSite', value: 'Strict' }])),
          })
          .map((c) => ({ hashed: true, lb: LoadBalancer.consistentHashByHttpCookie(c) })),
        fc.constant({ hashed: true, lb: LoadBalancer.consistentHashBySourceIp() }),
        p.name.map((n) => ({ hashed: true, lb: LoadBalancer.consistentHashByQueryParameter(n) })),
        locality(p).map((l) => ({ hashed: false, lb: LoadBalancer.byLocality(l) })),
      ),
      locality: optional(locality(p)),
      warmup: optional(
        fc.record(
          {
            duration: ms(p, 1),
            minimumPercent: p.hostile ? p.int(0, 100) : fc.integer({ min: 0, max: 100 }),
            aggression: p.hostile ? p.int(1, 10) : fc.integer({ min: 1, max: 10 }),
          },
          { requiredKeys: ['duration'] },
        ),
      ),
      hash: optional(
        fc.oneof(
          optional(p.hostile ? p.int(1, 1 << 20) : fc.integer({ min: 1, max: 1 << 20 })).map((size) => ({ ring: size })),
          (p.hostile ? fc.constantFrom(65537, 5000011, 65536, 0) : fc.constantFrom(2, 3, 65537, 131071, 4999999)).map((size) => ({
            maglev: size,
          })),
        ),
      ),
    })
    .map((r) => {
      let lb = r.base.lb;
      if (r.locality) lb = lb.withLocality(r.locality);
      if (r.warmup) lb = lb.withWarmup(r.warmup);
      // Ring hash and maglev are choices of consistent hashing (their fields live inside it).
      if (r.hash && (p.hostile || r.base.hashed)) lb = 'ring' in r.hash ? lb.withRingHash(r.hash.ring) : lb.withMaglev(r.hash.maglev);
      return lb;
    });

const tls = (p: Pools) =>
  fc.oneof(
    fc.constant(ClientTls.istioMutual()),
    fc.constant(ClientTls.disable()),
    fc
      .record({ sni: optional(p.fqdn), subjectAltNames: optional(fc.array(p.fqdn, { maxLength: 2 })) }, { requiredKeys: [] })
      .map((o) => ClientTls.simple(o)),
    p.name.map((c) => ClientTls.mutual({ credentialName: c })),
  );

const settings = (p: Pools) =>
  fc.record(
    {
      loadBalancer: loadBalancer(p),
      connectionPool: connectionPool(p),
      outlierDetection: outlierDetection(p),
      tls: tls(p),
    },
    { requiredKeys: [] },
  );

const trafficPolicy = (p: Pools): fc.Arbitrary<TrafficPolicyOptions> =>
  fc
    .record({
      common: settings(p),
      portLevelSettings: fc.uniqueArray(
        fc.tuple(p.port, settings(p)).map(([port, s]) => ({ port, ...s })),
        { maxLength: 2, selector: (x) => (p.hostile ? Math.random() : x.port) },
      ),
      extra: fc.oneof(
        fc.constant({}),
        fc
          .record({
            targetHost: p.hostile ? p.host : fc.oneof(p.fqdn, fc.constant('10.0.0.1')),
            targetPort: p.port,
            protocol: optional(fc.constantFrom(...Object.values(TunnelProtocol))),
          })
          .map((tunnel) => ({ tunnel })),
        fc.constantFrom(...Object.values(ProxyProtocolVersion)).map((proxyProtocol) => ({ proxyProtocol })),
      ),
      proxyProtocolToo: p.hostile ? fc.boolean() : fc.constant(false),
      retryBudget: optional(fc.record({ percent: pct(p), minRetryConcurrency: counted(p) }, { requiredKeys: [] })),
    })
    .map((r) => ({
      ...r.common,
      // Istio: each port-level entry sets something.
      portLevelSettings: p.hostile
        ? r.portLevelSettings
        : r.portLevelSettings.filter((s) => Object.values(s).filter((v) => v !== undefined).length > 1),
      ...r.extra,
      proxyProtocol: r.proxyProtocolToo ? ProxyProtocolVersion.V1 : (r.extra as TrafficPolicyOptions).proxyProtocol,
      retryBudget: r.retryBudget,
    }))
    // Istio: a traffic policy sets at least one field.
    .filter(
      (t) =>
        p.hostile || Object.entries(t).some(([k, v]) => v !== undefined && !(k === 'portLevelSettings' && (v as unknown[]).length === 0)),
    );

describeProperties('DestinationRule traffic policies (property-based)', [
  property(
    'DestinationRule traffic policy, subset policies and port-level settings',
    (p) =>
      fc.record({
        host: p.hostile ? p.host : p.fqdn,
        trafficPolicy: trafficPolicy(p),
        subsetPolicy: optional(trafficPolicy(p)),
      }),
    (scope, p) => {
      new DestinationRule(scope, 'dr', {
        host: p.host,
        trafficPolicy: TrafficPolicy.of(p.trafficPolicy),
        subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: p.subsetPolicy && TrafficPolicy.of(p.subsetPolicy) }],
      });
    },
  ),
]);
