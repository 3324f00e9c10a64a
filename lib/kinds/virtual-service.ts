import {
  hostCoveredBy,
  hostsOverlap,
  isIstioDnsLabel,
  isFqdn,
  isIpAddress,
  isIpOrCidr,
  isJwtClaimHeader,
  isWildcardDomain,
  parseDurationMs,
} from './fields';
import {
  arr,
  checkExportTo,
  checkHeaderMatches,
  checkHeaderOperations,
  checkLabels,
  checkPercentage,
  checkPort,
  checkStringMatch,
  entries,
  has,
  isAuthorityHeader,
  namespaceOf,
  num,
  obj,
  re2Problem,
  setNonEmpty,
  str,
} from './common';
import { Problems, errorsOnly } from './problem';

/**
 * Envoy's retry conditions Istio accepts in `retries.retryOn` (besides HTTP status codes); the
 * public `RetryOn` enum of the L2 constructs is checked against this list at compile time.
 * @internal
 */
export const RETRY_ON_POLICIES = [
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'envoy-ratelimited',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
] as const;

/** One of {@link RETRY_ON_POLICIES}. @internal */
export type RetryOnPolicy = (typeof RETRY_ON_POLICIES)[number];

/**
 * The gRPC status names Istio accepts in `fault.abort.grpcStatus`; the public `GrpcStatus` enum
 * is checked against this list (less `OK`) at compile time.
 * @internal
 */
export const GRPC_STATUS_CODES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

/** One of {@link GRPC_STATUS_CODES}. @internal */
export type GrpcStatusCode = (typeof GRPC_STATUS_CODES)[number];

/** The rule broken by a VirtualService without any route; a later `add*Route()` can still fix it. @internal */
export const NO_ROUTES_RULE = 'a VirtualService needs at least one of http, tcp or tls routes';

const RETRY_ON = new Set<string>(RETRY_ON_POLICIES);
const GRPC_CODES = new Set<string>(GRPC_STATUS_CODES);
// The status codes Go's net/http has a name for: Istio takes a numeric retryOn entry only when
// http.StatusText knows it.
const NAMED_HTTP_STATUS = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404,
  405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502,
  503, 504, 505, 506, 507, 508, 510, 511,
]);
// The CRD's CEL rule on duration fields says the same; one wording lets the analysis show one finding.
const DURATION_RULE = 'must be a valid duration greater than 1ms';
const CORS_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*']);
const MAX_BODY = 1024 * 1024;
/** The annotation (value `gateway`) that marks a VirtualService converted from a Kubernetes Gateway API route. */
const ROUTE_SEMANTICS = 'internal.istio.io/route-semantics';
// Route destinations, which Istio leaves unchecked in routes converted from the Gateway API.
const ROUTE_DESTINATION = /^spec\.(http|tcp|tls)\[\d+\]\.route\[\d+\]\.destination\./;
const WARN_BODY = 100 * 1024;

/**
 * Istio's admission rules for a VirtualService spec that its CRD schema does not express.
 * Unreachable/shadowed rules (IST0130/IST0131) are left to the cross-rule analysis.
 * @internal
 */
export function checkVirtualService(r: Problems, object: any): void {
  const spec = obj(object.spec);
  if (!spec) {
    r.errorAt('spec', NO_ROUTES_RULE);
    return;
  }
  const hosts = arr(spec.hosts);
  const gateways = arr(spec.gateways);
  const delegate = hosts.length === 0;
  const appliesToMesh = gateways.length === 0 || gateways.includes('mesh');

  if (!setNonEmpty(spec, 'http') && !setNonEmpty(spec, 'tcp') && !setNonEmpty(spec, 'tls')) {
    r.errorAt('spec', NO_ROUTES_RULE);
  }
  if (delegate) {
    if (gateways.length > 0) r.error('spec.gateways', gateways, 'must be empty in a delegate VirtualService (one without hosts)');
    if (setNonEmpty(spec, 'tls')) r.errorAt('spec.tls', 'a delegate VirtualService (one without hosts) may only have http routes');
    if (setNonEmpty(spec, 'tcp')) r.errorAt('spec.tcp', 'a delegate VirtualService (one without hosts) may only have http routes');
  }
  // Istio reads the cluster-name form of SNI hosts only on gateways, and only when some TLS match names SNI hosts.
  const tlsOnGateway = !appliesToMesh && arr(spec.tls).some((t) => arr(obj(t)?.match).some((m) => arr(obj(m)?.sniHosts).length > 0));
  const routeSemantics = obj(obj(object.metadata)?.annotations)?.[ROUTE_SEMANTICS] === 'gateway';
  checkHosts(r, hosts, appliesToMesh, tlsOnGateway);
  checkGatewayNames(r, 'spec.gateways', gateways, routeSemantics);
  checkExportTo(r, 'spec.exportTo', spec.exportTo, namespaceOf(object), false);

  const routes = new Problems();
  arr(spec.http).forEach((route, i) => checkHttpRoute(routes, `spec.http[${i}]`, obj(route), delegate, appliesToMesh));
  // SNI hosts take the cluster-name form unless 'mesh' is named (Istio reads no gateways as a gateway here).
  const sniOnGateway = !gateways.includes('mesh');
  arr(spec.tls).forEach((route, i) => checkTlsRoute(routes, `spec.tls[${i}]`, obj(route), hosts, sniOnGateway));
  // Istio keeps only the errors of TCP routes (the legacy gateway-name warning of their matches is dropped).
  arr(spec.tcp).forEach((route, i) => errorsOnly(routes, (e) => checkTcpRoute(e, `spec.tcp[${i}]`, obj(route))));
  r.list.push(...routes.list.filter((p) => !(routeSemantics && ROUTE_DESTINATION.test(p.path))));
}

function checkHosts(r: Problems, hosts: any[], appliesToMesh: boolean, tlsOnGateway: boolean): void {
  const valid: [number, string][] = [];
  hosts.forEach((host, i) => {
    if (typeof host !== 'string') return;
    const f = `spec.hosts[${i}]`;
    if (host === '*' && appliesToMesh) {
      r.error(
        f,
        host,
        "is not allowed when the VirtualService applies to the mesh (no gateways, or 'mesh' among them); name the service hosts",
      );
      return;
    }
    if (!isWildcardDomain(withoutOutboundPrefix(host, tlsOnGateway)) && !isIpAddress(host)) {
      r.error(f, host, "is not a valid host: DNS labels, optionally with a wildcard first label ('*.example.com')");
      return;
    }
    for (const [j, other] of valid) {
      if (hostsOverlap(host, other)) {
        r.error(f, host, `overlaps spec.hosts[${j}] ('${other}'); each host may appear only once in a VirtualService`);
        return;
      }
    }
    valid.push([i, host]);
  });
}

/** Gateway-bound TLS routes may name hosts as `outbound_.<port>_._.<host>` (the cluster-name form). */
function withoutOutboundPrefix(host: string, tlsOnGateway: boolean): string {
  const outbound = tlsOnGateway ? /^outbound_\.\d+_\._\.(.+)$/.exec(host) : null;
  return outbound ? outbound[1] : host;
}

/**
 * Gateway references: `<namespace>/<name>` with DNS-1123 labels, or a bare name; the legacy
 * `<name>.<namespace>` form is accepted with a warning.
 * @internal
 */
export function checkGatewayNames(r: Problems, field: string, gateways: any[], gatewaySemantics = false): void {
  gateways.forEach((gw, i) => {
    if (typeof gw !== 'string') return;
    const f = `${field}[${i}]`;
    const slash = gw.indexOf('/');
    if (slash < 0) {
      if (!isFqdn(gw)) r.error(f, gw, "is not a valid gateway name; use '<namespace>/<name>' or '<name>'");
      else if (gw.includes('.')) {
        const [name, ns] = gw.split('.');
        r.warn(f, gw, `uses the legacy '<name>.<namespace>' form; prefer '${ns}/${name}'`);
      }
      return;
    }
    const ns = gw.slice(0, slash);
    const name = gw.slice(slash + 1);
    if (!isIstioDnsLabel(ns)) r.error(f, gw, `has an invalid namespace '${ns}'; it must be a DNS-1123 label`);
    if (!isIstioDnsLabel(name) && !gatewaySemantics) r.error(f, gw, `has an invalid gateway name '${name}'; it must be a DNS-1123 label`);
  });
}

function checkHttpRoute(r: Problems, f: string, route: Record<string, any> | undefined, delegateVs: boolean, appliesToMesh: boolean): void {
  if (!route) return;
  const isRoot = has(route, 'delegate');
  if (delegateVs && isRoot) r.errorAt(`${f}.delegate`, 'a delegate VirtualService may not delegate again');
  if (isRoot && !delegateVs) {
    if (has(route, 'route')) r.errorAt(`${f}.route`, 'a route with delegate may not also set route');
    if (has(route, 'redirect')) r.errorAt(`${f}.redirect`, 'a route with delegate may not also set redirect');
  } else {
    checkAction(r, f, route);
  }
  if (has(route, 'mirror') && arr(route.mirrors).length > 0) {
    r.errorAt(`${f}.mirrors`, 'mirror and mirrors are mutually exclusive; use mirrors only');
  }

  arr(route.match).forEach((m, j) => checkHttpMatch(r, `${f}.match[${j}]`, obj(m), appliesToMesh));
  checkHeaderOperations(r, `${f}.headers`, route.headers);
  checkAuthorityRewrite(r, f, route);
  checkCors(r, `${f}.corsPolicy`, obj(route.corsPolicy));
  checkFault(r, `${f}.fault`, obj(route.fault));
  checkMirrors(r, f, route);
  checkRedirect(r, `${f}.redirect`, obj(route.redirect));
  checkDirectResponse(r, `${f}.directResponse`, obj(route.directResponse));
  checkRetries(r, `${f}.retries`, obj(route.retries));
  checkRewrite(r, `${f}.rewrite`, obj(route.rewrite));
  checkRouteDuration(r, `${f}.timeout`, route.timeout);
  checkWeightedDestinations(r, `${f}.route`, arr(route.route), true);
}

function checkAction(r: Problems, f: string, route: Record<string, any>): void {
  const hasRoute = arr(route.route).length > 0;
  if (has(route, 'redirect')) {
    for (const other of ['route', 'fault', 'rewrite', 'directResponse']) {
      if (other === 'route' ? hasRoute : has(route, other)) {
        r.errorAt(`${f}.${other}`, `may not be combined with redirect; keep one of them`);
      }
    }
  } else if (has(route, 'directResponse')) {
    for (const other of ['route', 'fault', 'rewrite']) {
      if (other === 'route' ? hasRoute : has(route, other)) {
        r.errorAt(`${f}.${other}`, `may not be combined with directResponse; keep one of them`);
      }
    }
  } else if (!hasRoute) {
    r.errorAt(`${f}.route`, 'an http route needs one action: route (with at least one destination), redirect or directResponse');
  }
}

function checkHttpMatch(r: Problems, f: string, m: Record<string, any> | undefined, appliesToMesh: boolean): void {
  if (!m) return;
  checkHeaderMatches(r, `${f}.headers`, m.headers, false);
  checkHeaderMatches(r, `${f}.withoutHeaders`, m.withoutHeaders, true);
  if (appliesToMesh) {
    for (const key of ['headers', 'withoutHeaders']) {
      for (const [name] of entries(m[key])) {
        if (isJwtClaimHeader(name)) {
          r.error(
            `${f}.${key}.${name}`,
            name,
            'routes on a JWT claim, which only works on gateways; remove mesh from gateways or match another header',
          );
        }
      }
    }
  }
  checkStringMatch(r, `${f}.uri`, m.uri, true);
  for (const key of ['scheme', 'method', 'authority']) checkStringMatch(r, `${f}.${key}`, m[key], false);
  for (const [name, match] of entries(m.queryParams)) checkStringMatch(r, `${f}.queryParams.${name}`, match, false);
  checkPortIfSet(r, `${f}.port`, m.port);
  checkLabels(r, `${f}.sourceLabels`, m.sourceLabels);
  if (typeof m.sourceNamespace === 'string' && m.sourceNamespace !== '' && !isIstioDnsLabel(m.sourceNamespace)) {
    r.error(`${f}.sourceNamespace`, m.sourceNamespace, 'must be a namespace name (DNS-1123 label)');
  }
  // Istio drops the warnings of match-level gateway names (the legacy '<name>.<namespace>' form).
  errorsOnly(r, (e) => checkGatewayNames(e, `${f}.gateways`, arr(m.gateways)));
}

/** Istio reads port 0 as unset (match ports, redirect port) and checks other values. */
function checkPortIfSet(r: Problems, f: string, port: unknown): void {
  if (port !== 0) checkPort(r, f, port);
}

/**
 * Istio's rule for the route durations (timeout, perTryTimeout, backoff, fixedDelay): at least
 * 1ms, in whole milliseconds. The CRD's CEL rule also bounds them below, with the same wording.
 */
function checkRouteDuration(r: Problems, f: string, value: unknown): void {
  if (typeof value !== 'string') return;
  const ms = parseDurationMs(value);
  if (ms === undefined || ms < 1) r.error(f, value, DURATION_RULE);
  else if (!Number.isInteger(ms)) r.error(f, value, 'must be a whole number of milliseconds');
}

function checkAuthorityRewrite(r: Problems, f: string, route: Record<string, any>): void {
  const rewrite = str(obj(route.rewrite)?.authority);
  let current = rewrite !== undefined && rewrite !== '' ? `${f}.rewrite.authority` : undefined;
  const request = obj(obj(route.headers)?.request);
  for (const op of ['set', 'add']) {
    for (const [name, value] of entries(request?.[op])) {
      if (!isAuthorityHeader(name)) continue;
      const here = `${f}.headers.request.${op}.${name}`;
      if (current) r.error(here, value, `rewrites the authority a second time (already set by ${current}); set it in one place`);
      else current = here;
    }
  }
}

function checkCors(r: Problems, f: string, cors: Record<string, any> | undefined): void {
  if (!cors) return;
  arr(cors.allowOrigins).forEach((origin, i) => {
    const o = obj(origin);
    if (!o) return;
    const g = `${f}.allowOrigins[${i}]`;
    const value = o.exact ?? o.prefix ?? o.regex;
    if (value === undefined || value === '') r.errorAt(g, 'must set a non-empty exact, prefix or regex');
    else checkStringMatch(r, g, o, false);
  });
  arr(cors.allowMethods).forEach((method, i) => {
    if (typeof method === 'string' && !CORS_METHODS.has(method)) {
      r.error(`${f}.allowMethods[${i}]`, method, `is not an HTTP method; use one of ${[...CORS_METHODS].join(', ')}`);
    }
  });
  for (const key of ['allowHeaders', 'exposeHeaders']) {
    arr(cors[key]).forEach((name, i) => {
      if (typeof name === 'string' && name !== '*' && !/^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/.test(name)) {
        r.error(`${f}.${key}[${i}]`, name, "is not a valid header name (token characters only) or '*'");
      }
    });
  }
  if (typeof cors.maxAge === 'string') {
    const ms = parseDurationMs(cors.maxAge);
    if (ms === undefined || ms < 1) r.error(`${f}.maxAge`, cors.maxAge, DURATION_RULE);
    else if (ms % 1000 !== 0) r.error(`${f}.maxAge`, cors.maxAge, 'must be a whole number of seconds');
  }
}

function checkFault(r: Problems, f: string, fault: Record<string, any> | undefined): void {
  if (!fault) return;
  const abort = obj(fault.abort);
  const delay = obj(fault.delay);
  if (!abort && !delay) r.errorAt(f, 'a fault needs abort and/or delay');
  if (abort) {
    checkPercentage(r, `${f}.abort.percentage`, abort.percentage, true);
    if (has(abort, 'http2Error')) r.errorAt(`${f}.abort.http2Error`, 'is not supported by Istio; use httpStatus or grpcStatus');
    else if (has(abort, 'httpStatus')) {
      const status = num(abort.httpStatus);
      if (status !== undefined && (status < 200 || status > 600)) {
        r.error(`${f}.abort.httpStatus`, status, 'must be an HTTP status between 200 and 599');
      }
    } else if (has(abort, 'grpcStatus')) {
      if (typeof abort.grpcStatus === 'string' && !GRPC_CODES.has(abort.grpcStatus)) {
        r.error(`${f}.abort.grpcStatus`, abort.grpcStatus, `is not a gRPC status name; use one of ${GRPC_STATUS_CODES.join(', ')}`);
      }
    }
    // An abort without httpStatus or grpcStatus: Istio's webhook computes a warning but drops it.
  }
  if (delay) {
    checkPercentage(r, `${f}.delay.percentage`, delay.percentage, true);
    // The deprecated integer `percent` is not checked by Istio.
    if (has(delay, 'exponentialDelay')) r.errorAt(`${f}.delay.exponentialDelay`, 'is not supported by Istio; use fixedDelay');
    checkRouteDuration(r, `${f}.delay.fixedDelay`, delay.fixedDelay);
  }
}

function checkMirrors(r: Problems, f: string, route: Record<string, any>): void {
  if (has(route, 'mirrorPercent')) {
    const p = num(route.mirrorPercent);
    if (p !== undefined && p > 100) r.error(`${f}.mirrorPercent`, p, 'must be at most 100');
    r.warnAt(`${f}.mirrorPercent`, 'is deprecated; use mirrorPercentage');
  }
  checkPercentage(r, `${f}.mirrorPercentage`, route.mirrorPercentage, false);
  const mirror = obj(route.mirror);
  if (mirror) checkDestination(r, `${f}.mirror`, mirror);
  arr(route.mirrors).forEach((m, i) => {
    const mm = obj(m);
    if (!mm) return;
    const d = obj(mm.destination);
    if (d) checkDestination(r, `${f}.mirrors[${i}].destination`, d);
    checkPercentage(r, `${f}.mirrors[${i}].percentage`, mm.percentage, false);
  });
}

function checkRedirect(r: Problems, f: string, redirect: Record<string, any> | undefined): void {
  if (!redirect) return;
  if (
    !setNonEmpty(redirect, 'uri') &&
    !setNonEmpty(redirect, 'authority') &&
    !setNonEmpty(redirect, 'scheme') &&
    !has(redirect, 'port') &&
    !has(redirect, 'derivePort')
  ) {
    r.errorAt(f, 'a redirect must change at least one of uri, authority, scheme or port');
  }
  const code = num(redirect.redirectCode);
  if (code !== undefined && code !== 0 && (code < 300 || code > 399)) r.error(`${f}.redirectCode`, code, 'must be a 3xx status (300-399)');
  if (typeof redirect.scheme === 'string' && redirect.scheme !== '' && redirect.scheme !== 'http' && redirect.scheme !== 'https') {
    r.error(`${f}.scheme`, redirect.scheme, "must be 'http' or 'https'");
  }
  checkPortIfSet(r, `${f}.port`, redirect.port);
}

function checkDirectResponse(r: Problems, f: string, dr: Record<string, any> | undefined): void {
  if (!dr) return;
  const status = num(dr.status);
  if (status !== undefined && (status < 200 || status > 600)) r.error(`${f}.status`, status, 'must be an HTTP status between 200 and 599');
  const body = obj(dr.body);
  if (!body) return;
  let size: number | undefined;
  let field = `${f}.body`;
  if (typeof body.string === 'string') {
    size = Buffer.byteLength(body.string, 'utf8');
    field = `${f}.body.string`;
  } else if (typeof body.bytes === 'string') {
    size = Math.floor((body.bytes.replace(/=+$/, '').length * 3) / 4);
    field = `${f}.body.bytes`;
  }
  if (size === undefined) return;
  if (size > MAX_BODY) r.errorAt(field, `body is ${size} bytes; at most 1 MiB is allowed`);
  else if (size > WARN_BODY) r.warnAt(field, `body is ${size} bytes; bodies over 100 KiB are kept in every proxy's memory`);
}

function checkRetries(r: Problems, f: string, retries: Record<string, any> | undefined): void {
  if (!retries) return;
  // An unset attempts is 0 for Istio: the other settings then configure retries that never happen.
  const attempts = num(retries.attempts) ?? (has(retries, 'attempts') ? undefined : 0);
  if (attempts !== undefined && attempts < 0) r.error(`${f}.attempts`, attempts, 'must be >= 0');
  if (attempts === 0) {
    for (const key of ['perTryTimeout', 'retryOn', 'retryRemoteLocalities']) {
      if (key === 'retryOn' ? setNonEmpty(retries, key) : has(retries, key)) {
        r.errorAt(`${f}.${key}`, 'may not be set when attempts is 0 or unset (retries disabled); set attempts');
      }
    }
  }
  // Like Istio: entries are split on ',' as they are (no trimming), an empty entry is unknown, and
  // a number counts only when it is a status code Go's net/http names.
  if (typeof retries.retryOn === 'string' && retries.retryOn !== '') {
    for (const policy of retries.retryOn.split(',')) {
      if (RETRY_ON.has(policy)) continue;
      if (/^[+-]?\d+$/.test(policy) && NAMED_HTTP_STATUS.has(Number(policy))) continue;
      r.error(
        `${f}.retryOn`,
        retries.retryOn,
        `has an unknown retry condition '${policy}'; use a known HTTP status code or one of ${RETRY_ON_POLICIES.join(', ')}`,
      );
    }
  }
  checkRouteDuration(r, `${f}.perTryTimeout`, retries.perTryTimeout);
  checkRouteDuration(r, `${f}.backoff`, retries.backoff);
}

function checkRewrite(r: Problems, f: string, rewrite: Record<string, any> | undefined): void {
  if (!rewrite) return;
  const hasUri = setNonEmpty(rewrite, 'uri');
  const regexRewrite = obj(rewrite.uriRegexRewrite);
  if (hasUri && regexRewrite) r.errorAt(f, 'may not set both uri and uriRegexRewrite');
  if (!hasUri && !regexRewrite && !setNonEmpty(rewrite, 'authority')) {
    r.errorAt(f, 'a rewrite must set at least one of uri, uriRegexRewrite or authority');
  }
  if (regexRewrite) {
    if (!setNonEmpty(regexRewrite, 'match')) r.errorAt(`${f}.uriRegexRewrite.match`, 'is required with uriRegexRewrite');
    else {
      const problem = re2Problem(regexRewrite.match);
      if (problem) r.error(`${f}.uriRegexRewrite.match`, regexRewrite.match, problem);
    }
    if (!setNonEmpty(regexRewrite, 'rewrite')) r.errorAt(`${f}.uriRegexRewrite.rewrite`, 'is required with uriRegexRewrite');
  }
}

/** Destinations of an http/tcp/tls route: weights >= 0, total > 0 when split, valid destinations. */
function checkWeightedDestinations(r: Problems, f: string, destinations: any[], http: boolean): void {
  let total = 0;
  let negative = false;
  destinations.forEach((d, i) => {
    const rd = obj(d);
    if (!rd) return;
    const weight = num(rd.weight);
    if (weight !== undefined && weight < 0) {
      r.error(`${f}[${i}].weight`, weight, 'must be >= 0');
      negative = true;
    } else if (weight !== undefined) total += weight;
    const dest = obj(rd.destination);
    if (dest) checkDestination(r, `${f}[${i}].destination`, dest);
    if (http) checkHeaderOperations(r, `${f}[${i}].headers`, rd.headers);
  });
  if (destinations.length > 1 && total === 0 && !negative) {
    r.errorAt(f, 'has several destinations but their weights add up to 0; give at least one a positive weight');
  }
}

function checkDestination(r: Problems, f: string, dest: Record<string, any>): void {
  const host = str(dest.host);
  if (host !== undefined) {
    if (host === '*') r.error(`${f}.host`, host, 'may not be a wildcard; name the service');
    else if (!isWildcardDomain(host)) r.error(`${f}.host`, host, 'is not a valid host (DNS labels, short names allowed)');
  }
  const subset = str(dest.subset);
  if (subset !== undefined && subset !== '' && !isIstioDnsLabel(subset)) {
    r.error(`${f}.subset`, subset, 'must be a DNS-1123 label (alphanumerics and -, at most 63 characters)');
  }
  const port = obj(dest.port);
  if (port && !has(port, 'number')) r.errorAt(`${f}.port.number`, 'is required when port is set (a port selector names a number)');
  else if (port) checkPort(r, `${f}.port.number`, port.number);
}

function checkTlsRoute(r: Problems, f: string, route: Record<string, any> | undefined, hosts: any[], tlsOnGateway: boolean): void {
  if (!route) return;
  const matches = arr(route.match);
  if (matches.length === 0) r.errorAt(`${f}.match`, 'a TLS route needs at least one match with sniHosts');
  matches.forEach((m, j) => {
    const mm = obj(m);
    if (!mm) return;
    const g = `${f}.match[${j}]`;
    const sni = arr(mm.sniHosts);
    if (sni.length === 0) r.errorAt(`${g}.sniHosts`, 'a TLS match needs at least one SNI host');
    sni.forEach((s, k) => {
      if (typeof s !== 'string') return;
      const h = `${g}.sniHosts[${k}]`;
      if (isIpAddress(s)) {
        r.warn(h, s, 'is an IP address; clients do not send IPs as SNI, so this never matches');
        return;
      }
      if (!isWildcardDomain(withoutOutboundPrefix(s, tlsOnGateway))) {
        r.error(h, s, 'is not a valid host name');
        return;
      }
      if (!hosts.some((vh) => typeof vh === 'string' && hostCoveredBy(s, vh))) {
        r.error(h, s, `is not covered by any of the VirtualService hosts (${hosts.join(', ')}); add it to spec.hosts`);
      }
    });
    checkL4Match(r, g, mm);
  });
  const routes = arr(route.route);
  if (routes.length === 0) r.errorAt(`${f}.route`, 'a TLS route needs at least one destination');
  checkWeightedDestinations(r, `${f}.route`, routes, false);
}

function checkTcpRoute(r: Problems, f: string, route: Record<string, any> | undefined): void {
  if (!route) return;
  arr(route.match).forEach((m, j) => {
    const mm = obj(m);
    if (mm) checkL4Match(r, `${f}.match[${j}]`, mm);
  });
  const routes = arr(route.route);
  if (routes.length === 0) r.errorAt(`${f}.route`, 'a TCP route needs at least one destination');
  checkWeightedDestinations(r, `${f}.route`, routes, false);
}

function checkL4Match(r: Problems, g: string, m: Record<string, any>): void {
  arr(m.destinationSubnets).forEach((s, k) => {
    if (typeof s === 'string' && !isIpOrCidr(s)) r.error(`${g}.destinationSubnets[${k}]`, s, 'must be an IP address or CIDR block');
  });
  checkPortIfSet(r, `${g}.port`, m.port);
  checkLabels(r, `${g}.sourceLabels`, m.sourceLabels);
  checkGatewayNames(r, `${g}.gateways`, arr(m.gateways));
}
