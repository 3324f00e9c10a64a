import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import {
  DestinationRule,
  ExternalService,
  Gateway,
  GatewayProtocol,
  GatewayRef,
  HeaderMatch,
  IngressRoute,
  LoadBalancer,
  LoadBalancerAlgorithm,
  QueryParamMatch,
  RetryOn,
  RouteDestination,
  ServerTls,
  ServiceEntry,
  ServiceEntryLocation,
  ServiceEntryResolution,
  ServicePortProtocol,
  StringMatch,
  TrafficPolicy,
  UserPrefixRoute,
  VersionedService,
  VirtualService,
  WeightedRoute,
} from '../../lib';
import { check, Counts, optional, Pools, property, Property } from './support';

// Generated props, from valid pools in some runs and with hostile values mixed in others:
// - every outcome is either our configuration error or objects that pass the CRD schema + CEL,
//   the rule book and the core object ranges (accepted input is never invalid);
// - props from valid pools are accepted, unless the refusal is one of the documented stricter
//   rules (docs/stricter-than-istio.md; valid input is not refused).

const stringMatch = (p: Pools) =>
  fc.oneof(
    p.text.map((s) => StringMatch.exact(s)),
    p.text.map((s) => StringMatch.prefix(s)),
    (p.hostile ? fc.constantFrom('^/api', '(unclosed', '.*', '') : fc.constantFrom('^/api', '.*', '/v[0-9]+')).map((s) =>
      StringMatch.regex(s),
    ),
  );
const headerMatch = (p: Pools) =>
  fc.oneof(
    fc.tuple(p.name, p.text).map(([n, v]) => HeaderMatch.exact(n, v)),
    fc.tuple(p.name, p.text).map(([n, v]) => HeaderMatch.prefix(n, v)),
    p.name.map((n) => HeaderMatch.present(n)),
  );
const trafficPolicy = (p: Pools) =>
  optional(
    fc.oneof(
      fc.constantFrom(...Object.values(LoadBalancerAlgorithm)).map((a) => TrafficPolicy.of({ loadBalancer: LoadBalancer.simple(a) })),
      p.name.map((h) => TrafficPolicy.of({ loadBalancer: LoadBalancer.consistentHashByHeader(h) })),
    ),
  );
// Valid Istio values the typed API refuses on purpose (docs/stricter-than-istio.md), now and then.
const sometimes = <T>(usual: fc.Arbitrary<T>, stricter: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 9, arbitrary: usual }, { weight: 1, arbitrary: stricter });

const httpRoute = (p: Pools) =>
  fc.record(
    {
      // Istio reads an empty route name as none.
      name: p.hostile ? p.name : sometimes(p.name, fc.constant('')),
      match: fc.array(
        fc.record(
          {
            uri: stringMatch(p),
            headers: fc.uniqueArray(headerMatch(p), { maxLength: 3, selector: (h) => (p.hostile ? Math.random() : h.name) }),
            // Istio takes any query-parameter name; no request carries one with '&', '=', '#' or a space.
            queryParams: fc.uniqueArray(
              fc.tuple(p.hostile ? p.name : sometimes(p.name, fc.constantFrom('a b', 'x&y', 'k=v', '#f')), p.text),
              {
                maxLength: 2,
                selector: (q) => (p.hostile ? Math.random() : q[0]),
              },
            ),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 2 },
      ),
      route: fc.array(
        fc.record({
          destination: fc.record({ host: p.host, subset: optional(p.name), port: optional(p.port) }),
          weight: p.hostile ? optional(p.int(0, 100)) : fc.integer({ min: 1, max: 100 }),
        }),
        { minLength: p.hostile ? 0 : 1, maxLength: 3 },
      ),
      retries: fc.record(
        {
          attempts: p.hostile ? p.count : fc.integer({ min: 1, max: 5 }),
          retryOn: fc.array(fc.constantFrom(...Object.values(RetryOn)), { maxLength: 2 }),
          retryOnStatusCodes: fc.array(p.hostile ? fc.integer({ min: 100, max: 599 }) : fc.constantFrom(500, 502, 503, 504, 429, 409), {
            maxLength: 2,
          }),
        },
        { requiredKeys: ['attempts'] },
      ),
      timeout: (p.hostile
        ? fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constantFrom(0.5, 1e21))
        : fc.integer({ min: 1, max: 5000 })
      ).map((ms) => Duration.millis(ms)),
      mirrorPercentage: p.hostile
        ? fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constantFrom(-1, 101, NaN))
        : fc.integer({ min: 0, max: 100 }),
      // Istio ignores a mirrorPercentage without mirror.
      withMirror: p.hostile ? fc.boolean() : sometimes(fc.constant(true), fc.constant(false)),
    },
    { requiredKeys: ['route', 'withMirror'] },
  );

/** Istio: a plain HTTP server may take an HTTPS redirect, or TLS mode PASSTHROUGH without certificates. */
function plainTls(protocol: GatewayProtocol, tls: 'redirect' | 'passthrough' | undefined): ServerTls | undefined {
  if (![GatewayProtocol.HTTP, GatewayProtocol.HTTP2, GatewayProtocol.GRPC].includes(protocol)) return undefined;
  if (tls === 'redirect') return ServerTls.httpsRedirect();
  return tls === 'passthrough' ? ServerTls.passthrough() : undefined;
}

const withService = (scope: Construct) =>
  new VersionedService(scope, 'reviews', {
    versions: [
      { name: 'v1', image: 'i:1' },
      { name: 'v2', image: 'i:2' },
    ],
  });
const version = (p: Pools) =>
  p.hostile
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom('v1', 'v2') }, { weight: 1, arbitrary: p.name })
    : fc.constantFrom('v1', 'v2');

describe('accepted props are valid objects; valid props are accepted (property-based)', () => {
  // Each property must see both outcomes, or it tests nothing.
  let counts: Counts;
  beforeEach(() => {
    counts = new Counts();
  });
  afterEach(() => {
    counts.expectBoth();
  });

  test('Gateway servers from valid pools', () => {
    // Istio's pairing of protocol and TLS: HTTPS and TLS servers need TLS settings, others take none.
    check(
      (p) =>
        fc.record({
          servers: fc.uniqueArray(
            fc.record({
              port: p.port,
              protocol: fc.constantFrom(...Object.values(GatewayProtocol)),
              hosts: fc.array(
                fc.oneof(
                  p.fqdn,
                  fc.constant('*'),
                  p.fqdn.map((h) => `ns/${h}`),
                ),
                { minLength: 1, maxLength: 2 },
              ),
              credential: p.name,
              plainTls: fc.constantFrom(undefined, 'redirect', 'passthrough'),
            }),
            { minLength: 1, maxLength: 3, selector: (s) => s.port },
          ),
        }),
      (scope, p) => {
        new Gateway(scope, 'gw', {
          servers: p.servers.map((s) => ({
            port: s.port,
            protocol: s.protocol,
            hosts: s.hosts,
            tls:
              s.protocol === GatewayProtocol.HTTPS || s.protocol === GatewayProtocol.TLS
                ? ServerTls.simple({ credentialName: s.credential })
                : plainTls(s.protocol, s.plainTls),
          })),
        });
      },
      counts,
    );
  });

  // One property per construct and pattern: make the props, build them, and whether valid pools must be accepted.
  const PROPERTIES: Property[] = [
    property(
      'VirtualService',
      (p) =>
        fc.record({
          name: p.name,
          hosts: p.hostile ? fc.array(p.host, { maxLength: 3 }) : fc.uniqueArray(p.fqdn, { minLength: 1, maxLength: 3 }),
          http: fc.array(httpRoute(p), { minLength: p.hostile ? 0 : 1, maxLength: 3 }),
          exportTo: p.exportTo,
        }),
      (scope, p) => {
        new VirtualService(scope, 'vs', {
          metadata: { name: p.name },
          hosts: p.hosts,
          exportTo: p.exportTo,
          http: p.http.map((h) => ({
            name: h.name,
            match: h.match?.map((m) => ({
              uri: m.uri,
              headers: m.headers,
              queryParams: m.queryParams?.map(([n, v]) => QueryParamMatch.exact(n, v)),
            })),
            route: h.route.map((r) => ({ destination: RouteDestination.toHost(r.destination.host, r.destination), weight: r.weight })),
            retries: h.retries,
            timeout: h.timeout,
            mirrorPercentage: h.mirrorPercentage,
            mirror: h.mirrorPercentage !== undefined && h.withMirror ? RouteDestination.toHost('mirror') : undefined,
          })),
        });
      },
    ),
    property(
      'DestinationRule',
      (p) =>
        fc
          .record({
            name: p.name,
            host: p.host,
            // A subset without labels is every endpoint of the host (as in Istio).
            subsets: fc.uniqueArray(
              fc.record({
                name: p.name,
                labels: p.hostile ? p.labels : sometimes(p.labels, fc.constant({})),
                trafficPolicy: trafficPolicy(p),
              }),
              {
                maxLength: 3,
                selector: (s) => (p.hostile ? Math.random() : s.name),
              },
            ),
            exportTo: p.exportTo,
            // Istio refuses only empty keys and '*' in a selector (and warns about an empty one).
            workloadSelector: optional(
              p.hostile
                ? p.labels
                : sometimes(p.labels, fc.constantFrom<Record<string, string>>({}, { 'a b': 'x' }, { app: 'a b' }, { é: 'x' })),
            ),
            trafficPolicy: trafficPolicy(p),
          })
          .map((r) => (p.hostile || r.workloadSelector === undefined ? r : { ...r, exportTo: ['.'] })),
      (scope, p) => {
        new DestinationRule(scope, 'dr', { ...p, metadata: { name: p.name } });
      },
    ),
    property(
      'Gateway',
      (p) =>
        fc.record({
          name: p.name,
          selector: optional(p.labels),
          servers: fc.array(
            fc.record({
              port: p.port,
              protocol: fc.constantFrom(...Object.values(GatewayProtocol)),
              hosts: fc.array(
                fc.oneof(
                  p.fqdn,
                  fc.constant('*'),
                  p.fqdn.map((h) => `ns/${h}`),
                  p.fqdn.map((h) => `*.${h}`),
                ),
                { minLength: p.hostile ? 0 : 1, maxLength: 2 },
              ),
              tls: optional(
                fc.oneof(
                  p.name.map((c) => ServerTls.simple({ credentialName: c })),
                  p.name.map((c) => ServerTls.mutual({ credentialName: c })),
                  fc.constant(ServerTls.passthrough()),
                ),
              ),
              name: optional(p.name),
            }),
            { minLength: p.hostile ? 0 : 1, maxLength: 3 },
          ),
        }),
      (scope, p) => {
        new Gateway(scope, 'gw', { metadata: { name: p.name }, selector: p.selector, servers: p.servers });
      },
      // Protocol and TLS are paired at random here; the next test pairs them as Istio does.
      false,
    ),
    property(
      'ServiceEntry',
      (p) =>
        fc
          .record({
            name: p.name,
            hosts: fc.array(p.hostile ? p.host : p.fqdn, { minLength: p.hostile ? 0 : 1, maxLength: p.hostile ? 3 : 1 }),
            ports: fc.uniqueArray(
              fc.record({
                number: p.port,
                name: p.name,
                protocol: fc.constantFrom(...Object.values(ServicePortProtocol)),
                targetPort: optional(p.port),
              }),
              { maxLength: 3, selector: (x) => (p.hostile ? Math.random() : x.name) },
            ),
            location: optional(fc.constantFrom(...Object.values(ServiceEntryLocation))),
            resolution: optional(
              fc.constantFrom(
                ...Object.values(ServiceEntryResolution).filter((r) => p.hostile || r !== ServiceEntryResolution.DYNAMIC_DNS),
              ),
            ),
            addresses: fc.array(
              p.hostile
                ? fc.constantFrom('10.0.0.1', '10.0.0.0/24', '2001:db8::1', 'not-an-ip', '')
                : fc.constantFrom('10.0.0.1', '2001:db8::1'),
              {
                maxLength: 2,
              },
            ),
            endpoints: fc.array(
              fc.record({
                address: p.hostile
                  ? fc.constantFrom('10.0.0.2', 'a.example.com', 'unix:///sock', '')
                  : fc.constantFrom('10.0.0.2', '10.0.0.3'),
                labels: p.labels,
                weight: optional(p.int(1, 100)),
              }),
              { maxLength: 2 },
            ),
            exportTo: p.exportTo,
          })
          .map((r) => (p.hostile ? r : { ...r, ports: r.ports.filter((x, i, all) => all.findIndex((y) => y.number === x.number) === i) }))
          .map((r) =>
            p.hostile || r.resolution === ServiceEntryResolution.STATIC || r.resolution === ServiceEntryResolution.DNS
              ? r
              : { ...r, endpoints: [] },
          ),
      (scope, p) => {
        new ServiceEntry(scope, 'se', { ...p, metadata: { name: p.name } });
      },
    ),
    property(
      'VersionedService (what it passes to cdk8s-plus included)',
      (p) =>
        fc.record({
          name: p.name,
          port: optional(p.port),
          containerPort: optional(p.port),
          portName: optional(
            p.hostile ? fc.oneof(fc.constantFrom('http', 'grpc-api', 'tcp'), p.text) : fc.constantFrom('http', 'grpc-api', 'tcp'),
          ),
          versions: fc.uniqueArray(
            fc.record({
              name: p.name,
              image: p.hostile ? fc.constantFrom('img:1', '', ' ') : fc.constant('img:1'),
              replicas: optional(p.int(0, 5)),
              cpuMillis: optional(p.int(1, 4000)),
              memoryMi: optional(
                p.hostile ? fc.oneof(fc.integer({ min: 1, max: 4096 }), fc.constantFrom(1e21, 0.5)) : fc.integer({ min: 1, max: 4096 }),
              ),
            }),
            { minLength: 1, maxLength: 3, selector: (v) => (p.hostile ? Math.random() : v.name) },
          ),
        }),
      (scope, p) => {
        new VersionedService(scope, 'svc', {
          name: p.name,
          port: p.port,
          containerPort: p.containerPort,
          portName: p.portName,
          versions: p.versions.map((v) => ({
            name: v.name,
            image: v.image,
            replicas: v.replicas,
            resources:
              v.cpuMillis === undefined && v.memoryMi === undefined
                ? undefined
                : {
                    cpu: v.cpuMillis === undefined ? undefined : { limit: kplus.Cpu.millis(v.cpuMillis) },
                    memory: v.memoryMi === undefined ? undefined : { limit: Size.mebibytes(v.memoryMi) },
                  },
          })),
        });
      },
    ),
    property(
      'WeightedRoute',
      (p) =>
        fc.record({
          name: optional(p.name),
          weights: fc.uniqueArray(fc.record({ version: version(p), weight: p.int(1, 100) }), {
            minLength: p.hostile ? 0 : 1,
            maxLength: 2,
            selector: (w) => (p.hostile ? Math.random() : w.version),
          }),
          gateways: fc.uniqueArray(p.name, { maxLength: 2 }),
        }),
      (scope, p) => {
        new WeightedRoute(scope, 'wr', {
          service: withService(scope),
          name: p.name,
          weights: p.weights,
          gateways: p.gateways.map((g) => GatewayRef.fromName(g)),
        });
      },
    ),
    property(
      'UserPrefixRoute',
      (p) =>
        fc.record({
          defaultVersion: version(p),
          prefixes: fc.array(fc.record({ prefix: p.text, version: version(p) }), { maxLength: 2 }),
          users: fc.array(fc.record({ user: p.text, version: version(p) }), { maxLength: 2 }),
          header: optional(p.name),
          name: optional(p.name),
        }),
      (scope, p) => {
        new UserPrefixRoute(scope, 'upr', { service: withService(scope), ...p });
      },
    ),
    property(
      'IngressRoute',
      (p) =>
        fc.record({
          servicePort: p.port,
          uris: fc.array(stringMatch(p), { minLength: p.hostile ? 0 : 1, maxLength: 2 }),
          gatewayName: optional(p.name),
          selector: optional(p.labels),
          port: optional(p.port),
          // Gateway hosts, with the namespace prefixes that admit the IngressRoute's own VirtualService.
          hosts: optional(
            p.hostile
              ? fc.array(
                  fc.oneof(
                    p.fqdn,
                    p.fqdn.map((h) => `prod/${h}`),
                  ),
                  { maxLength: 2 },
                )
              : fc
                  .uniqueArray(fc.tuple(fc.constantFrom('', './', '*/'), p.fqdn), { minLength: 1, maxLength: 2, selector: ([, h]) => h })
                  .map((l) => l.map(([ns, h]) => `${ns}${h}`)),
          ),
          name: optional(p.name),
        }),
      (scope, p) => {
        new IngressRoute(scope, 'ir', { service: withService(scope), ...p });
      },
    ),
    property(
      'ExternalService',
      (p) =>
        fc
          .record({ host: p.fqdn, name: optional(p.name), httpPort: optional(p.port), httpsPort: optional(p.port) })
          // One port number per port (Istio's rule).
          .filter((r) => p.hostile || r.httpPort === undefined || r.httpPort !== (r.httpsPort ?? 443)),
      (scope, p) => {
        new ExternalService(scope, 'ext', p);
      },
    ),
  ];

  test.each(PROPERTIES.map((p) => [p.name, p]))('%s', (_, p) => p.run(counts));
});
