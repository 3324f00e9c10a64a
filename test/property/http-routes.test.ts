import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import {
  DelegateRef,
  DelegateVirtualService,
  GrpcStatus,
  HttpFaultAbort,
  HttpFaultDelay,
  HttpRedirect,
  HttpRedirectScheme,
  HttpRouteOptions,
  RedirectPortSelection,
  RetryOn,
  RouteDestination,
  StringMatch,
  UnmatchedPreflights,
  VirtualService,
} from '../../lib';
import { describeProperties, optional, Pools, property } from './support';

// The parts of an HTTP route the first properties leave out: redirect, direct response,
// rewrite, fault, CORS, header operations, mirror(s) and the whole retry policy; and a root
// VirtualService delegating to a DelegateVirtualService. Valid pools pair the parts as Istio
// does (one of route, redirect, directResponse; rewrite and mirrors only beside a route).

const headerName = (p: Pools) => (p.hostile ? p.name : fc.constantFrom('x-user', 'x-request-id', 'x-b3-traceid', 'accept'));
// Istio takes any non-empty header-operation name but pseudo-headers and Host (and checks no syntax).
const operationName = (p: Pools) =>
  p.hostile
    ? fc.oneof(p.name, fc.constantFrom(':path', 'host', 'Host'))
    : fc.oneof(headerName(p), fc.constantFrom('X-Mixed-Case', 'a b', 'é', 'toString', 'valueOf', 'x_y', 'x.y'));
const headerValue = (p: Pools) =>
  p.hostile ? fc.oneof(p.text, fc.constantFrom('%', '%HOSTNAME%', '100%')) : fc.oneof(p.text, fc.constant('%HOSTNAME%'));
const percentage = (p: Pools) =>
  p.hostile
    ? fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constantFrom(-1, 101, NaN, 0.00001))
    : fc.integer({ min: 0, max: 100 });
const millis = (p: Pools, min: number) =>
  (p.hostile ? fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constantFrom(0.5, 1e21)) : fc.integer({ min, max: 5000 })).map((ms) =>
    Duration.millis(ms),
  );

const headerOps = (p: Pools) =>
  fc.record(
    {
      set: fc.dictionary(operationName(p), headerValue(p), { maxKeys: 2 }),
      add: fc.dictionary(operationName(p), headerValue(p), { maxKeys: 2 }),
      remove: fc.uniqueArray(operationName(p), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  );
const headers = (p: Pools) => fc.record({ request: headerOps(p), response: headerOps(p) }, { requiredKeys: [] });

const redirect = (p: Pools) =>
  fc
    .record(
      {
        uri: p.hostile ? p.text : fc.constantFrom('/login', '/v2/'),
        authority: p.hostile ? p.host : p.fqdn,
        scheme: fc.constantFrom(...Object.values(HttpRedirectScheme)),
        port: p.port,
        derivePort: fc.constantFrom(...Object.values(RedirectPortSelection)),
        redirectCode: p.hostile ? p.int(300, 399) : fc.integer({ min: 300, max: 399 }),
      },
      { requiredKeys: [] },
    )
    // Istio: the redirect changes something, and port excludes derivePort.
    .filter(
      (r) =>
        p.hostile ||
        ((r.port === undefined || r.derivePort === undefined) &&
          [r.uri, r.authority, r.scheme, r.port, r.derivePort].some((x) => x !== undefined)),
    )
    .map((r) => HttpRedirect.to(r));

const fault = (p: Pools) =>
  fc
    .record(
      {
        delay: fc.tuple(millis(p, 1), optional(percentage(p))).map(([d, pc]) => HttpFaultDelay.fixed(d, pc)),
        abort: fc.oneof(
          fc
            .tuple(p.hostile ? p.int(200, 599) : fc.integer({ min: 200, max: 599 }), optional(percentage(p)))
            .map(([s, pc]) => HttpFaultAbort.httpStatus(s, pc)),
          fc
            .tuple(fc.constantFrom(...Object.values(GrpcStatus)), optional(percentage(p)))
            .map(([s, pc]) => HttpFaultAbort.grpcStatus(s, pc)),
        ),
      },
      { requiredKeys: [] },
    )
    .filter((f) => p.hostile || f.delay !== undefined || f.abort !== undefined);

const cors = (p: Pools) =>
  fc.record(
    {
      allowOrigins: fc.array(
        fc.oneof(
          p.fqdn.map((h) => StringMatch.exact(`https://${h}`)),
          p.fqdn.map((h) => StringMatch.prefix(`https://${h}`)),
          fc.constant(StringMatch.regex('https://.*\\.example\\.com')),
        ),
        { maxLength: 2 },
      ),
      allowMethods: fc.uniqueArray(
        p.hostile ? fc.oneof(fc.constantFrom('GET', 'POST', '*'), p.text) : fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', '*'),
        {
          maxLength: 3,
        },
      ),
      allowHeaders: fc.uniqueArray(headerName(p), { maxLength: 2 }),
      exposeHeaders: fc.uniqueArray(headerName(p), { maxLength: 2 }),
      maxAge: (p.hostile
        ? fc.oneof(fc.integer({ min: 0, max: 86400 }), fc.constantFrom(0.5, 1e21))
        : fc.integer({ min: 1, max: 86400 })
      ).map((s) => Duration.seconds(s)),
      // Istio: maxAge is a duration of at least 1ms, in whole seconds.
      allowCredentials: fc.boolean(),
      unmatchedPreflights: fc.constantFrom(...Object.values(UnmatchedPreflights)),
    },
    { requiredKeys: [] },
  );

const retries = (p: Pools) =>
  fc
    .record(
      {
        attempts: p.hostile ? p.count : fc.integer({ min: 0, max: 5 }),
        perTryTimeout: millis(p, 1),
        retryOn: fc.uniqueArray(fc.constantFrom(...Object.values(RetryOn)), { maxLength: 3 }),
        retryOnStatusCodes: fc.uniqueArray(p.hostile ? fc.integer({ min: 100, max: 599 }) : fc.constantFrom(500, 503, 429), {
          maxLength: 2,
        }),
        retryRemoteLocalities: fc.boolean(),
        backoff: millis(p, 1),
        retryIgnorePreviousHosts: fc.boolean(),
      },
      { requiredKeys: ['attempts'] },
    )
    // Istio: with attempts 0 (retries off), no perTryTimeout, retryOn or retryRemoteLocalities.
    .map((r) =>
      p.hostile || r.attempts > 0 ? r : { attempts: 0, backoff: r.backoff, retryIgnorePreviousHosts: r.retryIgnorePreviousHosts },
    );

const destination = (p: Pools) =>
  fc
    .record({ host: p.hostile ? p.host : p.fqdn, subset: optional(p.name), port: optional(p.port) })
    .map((d) => RouteDestination.toHost(d.host, d));

/** One HTTP route with every part; valid pools pair them as Istio does. */
const fullRoute = (p: Pools): fc.Arbitrary<HttpRouteOptions> =>
  fc
    .record({
      action: fc.constantFrom('route', 'redirect', 'directResponse'),
      name: optional(p.name),
      route: fc.array(fc.record({ destination: destination(p), weight: optional(p.int(1, 100)), headers: optional(headers(p)) }), {
        minLength: 1,
        maxLength: 2,
      }),
      redirect: redirect(p),
      directResponse: fc.record({ status: p.hostile ? p.int(200, 599) : fc.integer({ min: 200, max: 599 }), body: optional(p.text) }),
      rewrite: optional(
        fc.oneof(
          fc.record(
            { uri: p.hostile ? p.text : fc.constantFrom('/', '/v2'), authority: optional(p.hostile ? p.host : p.fqdn) },
            { requiredKeys: p.hostile ? [] : ['uri'] },
          ),
          fc.constant({ uriRegexRewrite: { match: '^/service/([^/]+)(/.*)$', rewrite: '\\2/instance/\\1' } }),
        ),
      ),
      timeout: optional(millis(p, 1)),
      retries: optional(retries(p)),
      fault: optional(fault(p)),
      mirror: optional(fc.tuple(destination(p), optional(percentage(p)))),
      mirrors: optional(
        fc.array(fc.record({ destination: destination(p), percentage: optional(percentage(p)) }), { minLength: 1, maxLength: 2 }),
      ),
      headers: optional(headers(p)),
      corsPolicy: optional(cors(p)),
    })
    .map((r) => {
      const routed = p.hostile || r.action === 'route';
      const weights = r.route.length > 1 && !p.hostile ? r.route.map((d) => ({ ...d, weight: d.weight ?? 1 })) : r.route;
      return {
        name: r.name,
        route: routed ? weights : undefined,
        redirect: p.hostile || r.action === 'redirect' ? r.redirect : undefined,
        directResponse: p.hostile || r.action === 'directResponse' ? r.directResponse : undefined,
        rewrite: routed ? r.rewrite : undefined,
        timeout: r.timeout,
        retries: routed ? r.retries : undefined,
        // Istio: a fault only beside a route (not with redirect or directResponse).
        fault: routed ? r.fault : undefined,
        mirror: routed ? r.mirror?.[0] : undefined,
        mirrorPercentage: routed ? r.mirror?.[1] : undefined,
        // Istio: mirror and mirrors exclude each other.
        mirrors: routed && (p.hostile || r.mirror === undefined) ? r.mirrors : undefined,
        headers: r.headers,
        corsPolicy: r.corsPolicy,
      };
    });

describeProperties('HTTP route parts and delegation (property-based)', [
  property(
    'VirtualService route parts',
    (p) => fc.record({ hosts: fc.uniqueArray(p.hostile ? p.host : p.fqdn, { minLength: 1, maxLength: 2 }), http: fullRoute(p) }),
    (scope, p) => {
      new VirtualService(scope, 'vs', { hosts: p.hosts, http: [p.http] });
    },
  ),
  property(
    'DelegateVirtualService and its root',
    (p) =>
      fc.record({
        delegateName: p.name,
        rootName: p.name,
        prefix: p.hostile ? p.text : fc.constantFrom('/reviews', '/api/'),
        delegateRoutes: fc.array(fullRoute(p), { minLength: p.hostile ? 0 : 1, maxLength: 2 }),
        exportTo: p.exportTo,
        byName: fc.boolean(),
      }),
    (scope, p) => {
      // Istio: a delegate's routes other than the last carry a match (only the last may be the catch-all).
      const http = p.delegateRoutes.map((r, i) =>
        i < p.delegateRoutes.length - 1 ? { ...r, match: [{ uri: StringMatch.prefix(`${p.prefix}${i}`) }] } : r,
      );
      const delegate = new DelegateVirtualService(scope, 'delegate', { metadata: { name: p.delegateName }, http, exportTo: p.exportTo });
      new VirtualService(scope, 'root', {
        metadata: { name: p.rootName },
        hosts: ['reviews.example.com'],
        http: [{ match: [{ uri: StringMatch.prefix(p.prefix) }], delegate: p.byName ? DelegateRef.fromName(p.delegateName) : delegate }],
      });
    },
  ),
]);
