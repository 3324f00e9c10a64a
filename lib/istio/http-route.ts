import { Duration } from 'cdk8s';
import {
  VirtualServiceSpecHttp,
  VirtualServiceSpecHttpCorsPolicy,
  VirtualServiceSpecHttpDirectResponse,
  VirtualServiceSpecHttpFault,
  VirtualServiceSpecHttpFaultAbort,
  VirtualServiceSpecHttpFaultDelay,
  VirtualServiceSpecHttpHeaders,
  VirtualServiceSpecHttpHeadersRequest,
  VirtualServiceSpecHttpMatch,
  VirtualServiceSpecHttpMatchHeaders,
  VirtualServiceSpecHttpMirrors,
  VirtualServiceSpecHttpRedirect,
  VirtualServiceSpecHttpRetries,
  VirtualServiceSpecHttpRewrite,
  VirtualServiceSpecHttpRoute,
} from '../../imports/istio-types';
import { GrpcStatusCode, RetryOnPolicy } from '../kinds/virtual-service';
import { checkInteger, renderIstioDuration } from './field-checks';
import { FieldPath } from './field-path';
import { HeaderMatch, HttpMatchOptions, QueryParamMatch, StringMatch } from './match';
import { IVirtualServiceDelegate, RouteDestination } from './route-destination';

/** Properties of one HTTP route of a VirtualService. */
export interface HttpRouteOptions {
  /**
   * Match blocks; the route applies when any of them matches. Each block sets at least one
   * condition (stricter than Istio, which reads an empty block as "match everything": omit
   * `match` for that).
   * @default - none: the route is the catch-all route, rendered after all routes with a match
   * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
   */
  readonly match?: HttpMatchOptions[];

  /**
   * Where matched traffic goes, with relative weights. Exactly one of `route`,
   * `redirect`, `directResponse` and `delegate` is required.
   * @default - none
   * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRouteDestination
   */
  readonly route?: HttpRouteDestinationOptions[];

  /**
   * Hand matched traffic to the routes of a delegate VirtualService (only in a VirtualService
   * with hosts; excludes `route` and `redirect`).
   * @default - none
   * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#Delegate
   */
  readonly delegate?: IVirtualServiceDelegate;

  /**
   * Answer with an HTTP redirect instead of forwarding.
   * @default - none
   */
  readonly redirect?: HttpRedirect;

  /**
   * Answer with a fixed response instead of forwarding.
   * @default - none
   */
  readonly directResponse?: HttpDirectResponseOptions;

  /**
   * Rewrite the URI or authority before forwarding.
   * @default - no rewrite
   */
  readonly rewrite?: HttpRewriteOptions;

  /**
   * Timeout of the whole request, retries included.
   * @default - no timeout
   */
  readonly timeout?: Duration;

  /**
   * Retry policy.
   * @default - the mesh default (Istio retries twice on connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes)
   */
  readonly retries?: HttpRetryOptions;

  /**
   * Fault injection (delays and aborts), for resilience testing.
   * @default - no fault
   */
  readonly fault?: HttpFaultOptions;

  /**
   * Also send a copy of each request to this destination (responses are dropped).
   * @default - no mirroring
   */
  readonly mirror?: RouteDestination;

  /**
   * Percentage (0..100) of requests mirrored; needs `mirror` (stricter than Istio, which
   * ignores a percentage without a mirror).
   * @default - 100 when `mirror` is set
   */
  readonly mirrorPercentage?: number;

  /**
   * Send copies of each request to several destinations, each with its own percentage
   * (responses are dropped); cannot be combined with `mirror`.
   * @default - no mirroring
   * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMirrorPolicy
   */
  readonly mirrors?: HttpMirrorOptions[];

  /**
   * Header operations on requests forwarded and responses returned by this route.
   * @default - none
   */
  readonly headers?: HeadersOptions;

  /**
   * Cross-origin resource sharing policy.
   * @default - none
   */
  readonly corsPolicy?: CorsPolicyOptions;

  /**
   * Name of the route, shown in access logs and metrics; not empty (stricter than Istio, which
   * reads an empty name as none).
   * @default - none
   */
  readonly name?: string;
}

/** One mirror of an HTTP route. */
export interface HttpMirrorOptions {
  /** Where the copies go. */
  readonly destination: RouteDestination;

  /**
   * Percentage (0..100) of requests copied to this destination.
   * @default 100
   */
  readonly percentage?: number;
}

/** One weighted destination of an HTTP route. */
export interface HttpRouteDestinationOptions {
  /** Where the traffic goes. */
  readonly destination: RouteDestination;

  /**
   * Relative weight (a non-negative 32-bit integer). Weights are relative (Istio >= 1.15):
   * they need not sum to 100, but their total must be > 0 when there are several destinations.
   * @default - omitted: a single destination receives all traffic
   */
  readonly weight?: number;

  /**
   * Header operations applied only when this destination is chosen.
   * @default - none
   */
  readonly headers?: HeadersOptions;
}

/**
 * Header operations, for requests and responses.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#Headers
 */
export interface HeadersOptions {
  /**
   * Operations on the request before it is forwarded.
   * @default - none
   */
  readonly request?: HeaderOperationsOptions;

  /**
   * Operations on the response before it is returned.
   * @default - none
   */
  readonly response?: HeaderOperationsOptions;
}

/** Set, add or remove headers. Values may use Envoy substitutions (`%HOSTNAME%`); a literal `%` is written `%%`. */
export interface HeaderOperationsOptions {
  /**
   * Headers to overwrite.
   * @default - none
   */
  readonly set?: { [name: string]: string };

  /**
   * Headers to append to.
   * @default - none
   */
  readonly add?: { [name: string]: string };

  /**
   * Headers to remove.
   * @default - none
   */
  readonly remove?: string[];
}

/** A fixed response returned by the proxy. */
export interface HttpDirectResponseOptions {
  /** HTTP status code, 200..599. */
  readonly status: number;

  /**
   * Response body (at most 1 MiB).
   * @default - empty body
   */
  readonly body?: string;
}

/** Options of {@link HttpRewriteOptions.uriRegexRewrite}. */
export interface UriRegexRewriteOptions {
  /** RE2 pattern applied to the path. */
  readonly match: string;
  /** Replacement; `\1`, `\2` refer to capture groups. */
  readonly rewrite: string;
}

/**
 * Rewrites applied before forwarding.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRewrite
 */
export interface HttpRewriteOptions {
  /**
   * Replaces the matched part of the path (the whole path for exact/regex matches, the prefix for prefix matches).
   * @default - path unchanged
   */
  readonly uri?: string;

  /**
   * Replaces the authority (`Host` header); not empty (stricter than Istio, which reads an
   * empty authority as unchanged). Set the authority here or in a request header operation on
   * `:authority`/`host`, not both.
   * @default - authority unchanged
   */
  readonly authority?: string;

  /**
   * Rewrites the path with a regular expression; excludes `uri`.
   * @default - none
   */
  readonly uriRegexRewrite?: UriRegexRewriteOptions;
}

/** Conditions that trigger a retry (Envoy `retry_on` values). */
export enum RetryOn {
  /** Any 5xx response, or no response at all. */
  HTTP_5XX = '5xx',
  /** 502, 503 or 504 responses. */
  GATEWAY_ERROR = 'gateway-error',
  /** Connection reset, disconnect or no response. */
  RESET = 'reset',
  /** Reset before the request was sent upstream (safe for non-idempotent requests). */
  RESET_BEFORE_REQUEST = 'reset-before-request',
  /** Connection to the upstream failed. */
  CONNECT_FAILURE = 'connect-failure',
  /** Retriable 4xx responses (409). */
  RETRIABLE_4XX = 'retriable-4xx',
  /** Upstream refused the stream (HTTP/2 REFUSED_STREAM). */
  REFUSED_STREAM = 'refused-stream',
  /** Status codes listed in `retryOnStatusCodes`. */
  RETRIABLE_STATUS_CODES = 'retriable-status-codes',
  /** Responses carrying a retriable header. */
  RETRIABLE_HEADERS = 'retriable-headers',
  /** Responses rate limited by Envoy. */
  ENVOY_RATELIMITED = 'envoy-ratelimited',
  /** HTTP/3 failures after the connection was established. */
  HTTP3_POST_CONNECT_FAILURE = 'http3-post-connect-failure',
  /** gRPC status CANCELLED. */
  CANCELLED = 'cancelled',
  /** gRPC status DEADLINE_EXCEEDED. */
  DEADLINE_EXCEEDED = 'deadline-exceeded',
  /** gRPC status INTERNAL. */
  INTERNAL = 'internal',
  /** gRPC status RESOURCE_EXHAUSTED. */
  RESOURCE_EXHAUSTED = 'resource-exhausted',
  /** gRPC status UNAVAILABLE. */
  UNAVAILABLE = 'unavailable',
}

/**
 * Retry policy of an HTTP route.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
export interface HttpRetryOptions {
  /** Number of retries (>= 0); 0 disables retries. */
  readonly attempts: number;

  /**
   * Timeout of each attempt.
   * @default - the route timeout
   */
  readonly perTryTimeout?: Duration;

  /**
   * Conditions that trigger a retry.
   * @default - connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes
   */
  readonly retryOn?: RetryOn[];

  /**
   * HTTP status codes that trigger a retry, appended to `retryOn`.
   * @default - none
   */
  readonly retryOnStatusCodes?: number[];

  /**
   * Retry on endpoints in other localities.
   * @default - the mesh setting
   */
  readonly retryRemoteLocalities?: boolean;

  /**
   * Base interval of the exponential back-off between retries (whole milliseconds, at least 1ms).
   * @default - Envoy's 25ms
   */
  readonly backoff?: Duration;

  /**
   * Retry on another host than the ones already tried.
   * @default - the mesh setting (true)
   */
  readonly retryIgnorePreviousHosts?: boolean;
}

/** Faults injected on an HTTP route; at least one of `delay` and `abort`. */
export interface HttpFaultOptions {
  /**
   * Delay requests before forwarding.
   * @default - no delay
   */
  readonly delay?: HttpFaultDelay;

  /**
   * Abort requests with an error.
   * @default - no abort
   */
  readonly abort?: HttpFaultAbort;
}

/** The scheme of a redirect target. */
export enum HttpRedirectScheme {
  /** `http`. */
  HTTP = 'http',
  /** `https`. */
  HTTPS = 'https',
}

/** How a redirect chooses its port when none is given. */
export enum RedirectPortSelection {
  /** The default port of the scheme (80 for http, 443 for https). */
  FROM_PROTOCOL_DEFAULT = 'FROM_PROTOCOL_DEFAULT',
  /** The port of the original request. */
  FROM_REQUEST_PORT = 'FROM_REQUEST_PORT',
}

/** Options of {@link HttpRedirect.to}; at least one of uri, authority, scheme, port, derivePort. */
export interface HttpRedirectOptions {
  /**
   * Replaces the path; not empty (stricter than Istio, which reads an empty uri as unchanged).
   * @default - path unchanged
   */
  readonly uri?: string;

  /**
   * Replaces the authority; not empty (stricter than Istio, which reads an empty authority as
   * unchanged).
   * @default - authority unchanged
   */
  readonly authority?: string;

  /**
   * Replaces the scheme.
   * @default - scheme unchanged
   */
  readonly scheme?: HttpRedirectScheme;

  /**
   * Replaces the port (1..65535); excludes `derivePort`.
   * @default - port unchanged
   */
  readonly port?: number;

  /**
   * Derives the port; excludes `port`.
   * @default - none
   */
  readonly derivePort?: RedirectPortSelection;

  /**
   * Status code of the redirect, 300..399.
   * @default 301
   */
  readonly redirectCode?: number;
}

/**
 * An HTTP redirect answered by the proxy. The VirtualService that uses it applies Istio's rules
 * (it changes something, a 3xx code, a port between 1 and 65535).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRedirect
 */
export class HttpRedirect {
  /** A redirect that replaces the given parts of the request URL. */
  public static to(options: HttpRedirectOptions): HttpRedirect {
    return new HttpRedirect(options);
  }

  /** Redirects to the same URL over HTTPS on port 443. */
  public static toHttps(redirectCode?: number): HttpRedirect {
    return new HttpRedirect({ scheme: HttpRedirectScheme.HTTPS, derivePort: RedirectPortSelection.FROM_PROTOCOL_DEFAULT, redirectCode });
  }

  private constructor(private readonly options: HttpRedirectOptions) {}

  /**
   * Renders the redirect at `at` (`spec.http[0].redirect`).
   * @internal
   */
  public _toKube(at: FieldPath): VirtualServiceSpecHttpRedirect {
    const o = this.options;
    // Stricter than Istio, which reads an empty uri or authority as "unchanged".
    if (o.uri === '') at.at('uri').fail(o.uri, 'must not be empty', 'omit uri to keep the path');
    if (o.authority === '') at.at('authority').fail(o.authority, 'must not be empty', 'omit authority to keep it');
    // The CRD schema's oneOf, which is checked at synth only.
    if (o.port !== undefined && o.derivePort !== undefined) {
      at.at('derivePort').fail(o.derivePort, 'cannot be combined with port', 'set either port or derivePort');
    }
    if (o.port !== undefined) checkInteger(at.at('port'), o.port, UINT32_MAX, 0);
    if (o.redirectCode !== undefined) checkInteger(at.at('redirectCode'), o.redirectCode, UINT32_MAX, 0);
    return { uri: o.uri, authority: o.authority, scheme: o.scheme, port: o.port, derivePort: o.derivePort, redirectCode: o.redirectCode };
  }
}

/**
 * A delay injected before forwarding requests.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPFaultInjection-Delay
 */
export class HttpFaultDelay {
  /**
   * Delays `percentage` (0, or 0.0001..100) of the requests by `delay` (whole milliseconds, at
   * least 1 ms). The VirtualService that uses it checks both.
   * @param percentage share of requests delayed. Default: 100
   */
  public static fixed(delay: Duration, percentage?: number): HttpFaultDelay {
    return new HttpFaultDelay(delay, percentage);
  }

  private constructor(
    private readonly delay: Duration,
    private readonly percentage?: number,
  ) {}

  /** @internal */
  public _toKube(): VirtualServiceSpecHttpFaultDelay {
    return {
      fixedDelay: renderIstioDuration(this.delay),
      percentage: this.percentage === undefined ? undefined : { value: this.percentage },
    };
  }
}

/** gRPC status codes an abort fault can return. */
export enum GrpcStatus {
  /** Cancelled by the caller. */
  CANCELLED = 'CANCELLED',
  /** Unknown error. */
  UNKNOWN = 'UNKNOWN',
  /** Invalid argument. */
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
  /** Deadline exceeded. */
  DEADLINE_EXCEEDED = 'DEADLINE_EXCEEDED',
  /** Not found. */
  NOT_FOUND = 'NOT_FOUND',
  /** Already exists. */
  ALREADY_EXISTS = 'ALREADY_EXISTS',
  /** Permission denied. */
  PERMISSION_DENIED = 'PERMISSION_DENIED',
  /** Resource exhausted. */
  RESOURCE_EXHAUSTED = 'RESOURCE_EXHAUSTED',
  /** Failed precondition. */
  FAILED_PRECONDITION = 'FAILED_PRECONDITION',
  /** Aborted. */
  ABORTED = 'ABORTED',
  /** Out of range. */
  OUT_OF_RANGE = 'OUT_OF_RANGE',
  /** Unimplemented. */
  UNIMPLEMENTED = 'UNIMPLEMENTED',
  /** Internal error. */
  INTERNAL = 'INTERNAL',
  /** Unavailable. */
  UNAVAILABLE = 'UNAVAILABLE',
  /** Data loss. */
  DATA_LOSS = 'DATA_LOSS',
  /** Unauthenticated. */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
}

/**
 * Requests aborted with an error instead of being forwarded.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPFaultInjection-Abort
 */
export class HttpFaultAbort {
  /**
   * Aborts `percentage` (0, or 0.0001..100) of the requests with HTTP status `status` (200..599).
   * The VirtualService that uses it checks both.
   * @param percentage share of requests aborted. Default: 100
   */
  public static httpStatus(status: number, percentage?: number): HttpFaultAbort {
    return new HttpFaultAbort({ httpStatus: status }, percentage);
  }

  /**
   * Aborts `percentage` (0, or 0.0001..100) of gRPC requests with `status`.
   * @param percentage share of requests aborted. Default: 100
   */
  public static grpcStatus(status: GrpcStatus, percentage?: number): HttpFaultAbort {
    return new HttpFaultAbort({ grpcStatus: status }, percentage);
  }

  private constructor(
    private readonly error: { readonly httpStatus?: number; readonly grpcStatus?: GrpcStatus },
    private readonly percentage?: number,
  ) {}

  /**
   * Renders the abort at `at` (`spec.http[0].fault.abort`).
   * @internal
   */
  public _toKube(at: FieldPath): VirtualServiceSpecHttpFaultAbort {
    const { httpStatus, grpcStatus } = this.error;
    if (httpStatus !== undefined) checkInteger(at.at('httpStatus'), httpStatus);
    return { httpStatus, grpcStatus, percentage: this.percentage === undefined ? undefined : { value: this.percentage } };
  }
}

/**
 * Cross-origin resource sharing policy of a route.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#CorsPolicy
 */
export interface CorsPolicyOptions {
  /**
   * Origins allowed to make requests.
   * @default - none
   */
  readonly allowOrigins?: StringMatch[];

  /**
   * Methods allowed (`GET`, `POST`, ... or `*`).
   * @default - none
   */
  readonly allowMethods?: string[];

  /**
   * Request headers allowed (`*` for any).
   * @default - none
   */
  readonly allowHeaders?: string[];

  /**
   * Response headers the browser may read.
   * @default - none
   */
  readonly exposeHeaders?: string[];

  /**
   * How long preflight results may be cached (whole seconds).
   * @default - browser default
   */
  readonly maxAge?: Duration;

  /**
   * Whether credentials are allowed.
   * @default - not set (browser default: false)
   */
  readonly allowCredentials?: boolean;

  /**
   * What to do with a preflight request whose origin is not allowed.
   * @default - Envoy's default (FORWARD)
   */
  readonly unmatchedPreflights?: UnmatchedPreflights;
}

/** Handling of CORS preflight requests that match no allowed origin. */
export enum UnmatchedPreflights {
  /** Forward the request to the upstream. */
  FORWARD = 'FORWARD',
  /** Answer it with 200 without CORS headers, not forwarding it. */
  IGNORE = 'IGNORE',
}

/**
 * One HTTP route of a {@link VirtualService}. Create it with `VirtualService.addHttpRoute()`;
 * the VirtualService checks it against Istio's rules when it is added.
 */
export class HttpRoute {
  /**
   * Keeps a copy of `options`; the owning VirtualService renders and checks it.
   * @internal
   */
  public static _create(options: HttpRouteOptions): HttpRoute {
    return new HttpRoute(options);
  }

  /**
   * Name of the route.
   * @default - none
   */
  public readonly name?: string;
  private readonly _options: HttpRouteOptions;
  private readonly _matches: HttpMatchOptions[];
  private readonly _destinations: HttpRouteDestinationOptions[];

  private constructor(options: HttpRouteOptions) {
    this.name = options.name;
    this._matches = (options.match ?? []).map((m) => ({ ...m }));
    this._destinations = (options.route ?? []).map((r) => ({ ...r }));
    this._options = { ...options, match: this._matches, route: this._destinations };
  }

  /** True when the route has no match block: it takes all traffic that earlier routes did not. */
  public get isCatchAll(): boolean {
    return this._matches.length === 0;
  }

  /** The match blocks (a copy). */
  public get matches(): HttpMatchOptions[] {
    return this._matches.map((m) => ({ ...m }));
  }

  /** The weighted destinations (a copy). */
  public get destinations(): HttpRouteDestinationOptions[] {
    return this._destinations.map((d) => ({ ...d }));
  }

  /**
   * Renders the route at `at` (`spec.http[2]`, its index in the rendered spec). Only the checks
   * stricter than Istio throw here; Istio's rules are the owner's rule book's.
   * @internal
   */
  public _toKube(at: FieldPath): VirtualServiceSpecHttp {
    const o = this._options;
    if (o.name === '') at.at('name').fail('', 'must not be empty', 'omit name');
    if (o.mirrorPercentage !== undefined && !o.mirror) {
      at.at('mirrorPercentage').fail(o.mirrorPercentage, 'needs mirror', 'set mirror to the destination receiving the copies');
    }
    return {
      name: o.name,
      match: nonEmpty(this._matches.map((m, i) => renderMatch(m, at.at('match').item(i)))),
      route: nonEmpty(this._destinations.map((d, i) => renderDestination(d, at.at('route').item(i)))),
      redirect: o.redirect?._toKube(at.at('redirect')),
      directResponse: o.directResponse ? renderDirectResponse(o.directResponse, at.at('directResponse')) : undefined,
      rewrite: o.rewrite ? renderRewrite(o.rewrite, at.at('rewrite')) : undefined,
      timeout: o.timeout ? renderIstioDuration(o.timeout) : undefined,
      retries: o.retries ? renderRetries(o.retries, at.at('retries')) : undefined,
      fault: o.fault ? renderFault(o.fault, at.at('fault')) : undefined,
      mirror: o.mirror?._toKube(at.at('mirror')),
      mirrorPercentage: o.mirrorPercentage === undefined ? undefined : { value: o.mirrorPercentage },
      mirrors: o.mirrors ? o.mirrors.map((m, i) => renderMirror(m, at.at('mirrors').item(i))) : undefined,
      delegate: o.delegate ? { name: o.delegate.delegateName, namespace: o.delegate.delegateNamespace } : undefined,
      headers: o.headers ? renderHeaders(o.headers) : undefined,
      corsPolicy: o.corsPolicy ? renderCors(o.corsPolicy) : undefined,
    };
  }
}

const UINT32_MAX = 4294967295;

// The public enums list the rule book's values; these fail to compile when the two drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const RETRY_ON_IS_THE_RULE_BOOK_LIST: Same<`${RetryOn}`, RetryOnPolicy> = true;
const GRPC_STATUS_IS_THE_RULE_BOOK_LIST: Same<`${GrpcStatus}`, Exclude<GrpcStatusCode, 'OK'>> = true;
void RETRY_ON_IS_THE_RULE_BOOK_LIST;
void GRPC_STATUS_IS_THE_RULE_BOOK_LIST;

function renderMatch(m: HttpMatchOptions, at: FieldPath): VirtualServiceSpecHttpMatch {
  // Stricter than Istio, which reads an empty match block as "match everything".
  const conditions =
    [m.uri, m.scheme, m.method, m.authority, m.port, m.sourceNamespace].filter((c) => c !== undefined).length +
    (m.headers?.length ?? 0) +
    (m.withoutHeaders?.length ?? 0) +
    (m.queryParams?.length ?? 0) +
    Object.keys(m.sourceLabels ?? {}).length +
    (m.gateways?.length ?? 0);
  if (conditions === 0) at.fail({}, 'must set at least one condition', 'omit match entirely for a catch-all route');
  // Stricter than Istio, which ignores ignoreUriCase on a regex.
  if (m.ignoreUriCase && m.uri?.type === 'regex') {
    at.at('ignoreUriCase').fail(true, 'only applies to exact and prefix uri matches', 'use a case-insensitive regex such as "(?i)/login"');
  }
  if (m.port !== undefined) checkInteger(at.at('port'), m.port, UINT32_MAX, 0);
  return {
    name: m.name,
    uri: m.uri?._toKube(),
    scheme: m.scheme?._toKube(),
    method: m.method?._toKube(),
    authority: m.authority?._toKube(),
    headers: namedMatches(m.headers, at.at('headers')),
    withoutHeaders: namedMatches(m.withoutHeaders, at.at('withoutHeaders')),
    queryParams: namedMatches(m.queryParams, at.at('queryParams')),
    port: m.port,
    sourceLabels: nonEmptyMap({ ...m.sourceLabels }),
    sourceNamespace: m.sourceNamespace,
    gateways: nonEmpty(unique((m.gateways ?? []).map((g) => g.gatewayName))),
    ignoreUriCase: m.ignoreUriCase,
    statPrefix: m.statPrefix,
  };
}

// A YAML map holds each name once, so a name listed twice is refused rather than dropped.
function namedMatches(
  list: (HeaderMatch | QueryParamMatch)[] | undefined,
  at: FieldPath,
): { [name: string]: VirtualServiceSpecHttpMatchHeaders } | undefined {
  const out: { [name: string]: VirtualServiceSpecHttpMatchHeaders } = {};
  for (const item of list ?? []) {
    const field = at.at(item.name);
    // Own properties only, defined rather than assigned: `constructor` or `__proto__` are names like any other.
    if (Object.prototype.hasOwnProperty.call(out, item.name)) {
      field.fail(item.name, 'is listed twice', 'combine the conditions into one regex');
    }
    const value = item instanceof QueryParamMatch ? item._toKube(field) : item._toKube();
    Object.defineProperty(out, item.name, { value, enumerable: true, writable: true, configurable: true });
  }
  return nonEmptyMap(out);
}

function renderDestination(d: HttpRouteDestinationOptions, at: FieldPath): VirtualServiceSpecHttpRoute {
  if (d.weight !== undefined) checkInteger(at.at('weight'), d.weight);
  return {
    destination: d.destination._toKube(at.at('destination')),
    weight: d.weight,
    headers: d.headers ? renderHeaders(d.headers) : undefined,
  };
}

function renderDirectResponse(d: HttpDirectResponseOptions, at: FieldPath): VirtualServiceSpecHttpDirectResponse {
  checkInteger(at.at('status'), d.status, UINT32_MAX, 0);
  return { status: d.status, body: d.body === undefined ? undefined : { string: d.body } };
}

function renderRewrite(r: HttpRewriteOptions, at: FieldPath): VirtualServiceSpecHttpRewrite {
  // Stricter than Istio, which reads an empty authority as "unchanged".
  if (r.authority === '') at.at('authority').fail('', 'must not be empty', 'omit authority');
  return {
    uri: r.uri,
    authority: r.authority,
    uriRegexRewrite: r.uriRegexRewrite ? { match: r.uriRegexRewrite.match, rewrite: r.uriRegexRewrite.rewrite } : undefined,
  };
}

function renderRetries(r: HttpRetryOptions, at: FieldPath): VirtualServiceSpecHttpRetries {
  checkInteger(at.at('attempts'), r.attempts);
  const retryOn = [...unique<string>(r.retryOn ?? []), ...unique((r.retryOnStatusCodes ?? []).map(String))];
  return {
    attempts: r.attempts,
    perTryTimeout: r.perTryTimeout ? renderIstioDuration(r.perTryTimeout) : undefined,
    retryOn: retryOn.length > 0 ? retryOn.join(',') : undefined,
    retryRemoteLocalities: r.retryRemoteLocalities,
    backoff: r.backoff ? renderIstioDuration(r.backoff) : undefined,
    retryIgnorePreviousHosts: r.retryIgnorePreviousHosts,
  };
}

function renderFault(fault: HttpFaultOptions, at: FieldPath): VirtualServiceSpecHttpFault {
  return { delay: fault.delay?._toKube(), abort: fault.abort?._toKube(at.at('abort')) };
}

function renderHeaders(h: HeadersOptions): VirtualServiceSpecHttpHeaders | undefined {
  const request = h.request ? renderHeaderOps(h.request) : undefined;
  const response = h.response ? renderHeaderOps(h.response) : undefined;
  return request || response ? { request, response } : undefined;
}

function renderHeaderOps(ops: HeaderOperationsOptions): VirtualServiceSpecHttpHeadersRequest | undefined {
  const out = {
    set: nonEmptyMap({ ...ops.set }),
    add: nonEmptyMap({ ...ops.add }),
    remove: nonEmpty([...(ops.remove ?? [])]),
  };
  return out.set || out.add || out.remove ? out : undefined;
}

function renderCors(c: CorsPolicyOptions): VirtualServiceSpecHttpCorsPolicy {
  return {
    allowOrigins: nonEmpty((c.allowOrigins ?? []).map((o) => o._toKube())),
    allowMethods: nonEmpty([...(c.allowMethods ?? [])]),
    allowHeaders: nonEmpty([...(c.allowHeaders ?? [])]),
    exposeHeaders: nonEmpty([...(c.exposeHeaders ?? [])]),
    maxAge: c.maxAge ? renderIstioDuration(c.maxAge) : undefined,
    allowCredentials: c.allowCredentials,
    unmatchedPreflights: c.unmatchedPreflights,
  };
}

function renderMirror(m: HttpMirrorOptions, at: FieldPath): VirtualServiceSpecHttpMirrors {
  return {
    destination: m.destination._toKube(at.at('destination')),
    percentage: m.percentage === undefined ? undefined : { value: m.percentage },
  };
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

function nonEmptyMap<T>(map: { [key: string]: T }): { [key: string]: T } | undefined {
  return Object.keys(map).length > 0 ? map : undefined;
}

function unique<T>(list: T[]): T[] {
  return [...new Set(list)];
}
