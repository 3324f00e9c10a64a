import { Duration } from 'cdk8s';
import { fail } from '../kinds/errors';
import { checkLabels, formatIstioDuration } from './field-checks';
import { HeaderMatch, HttpMatchOptions, QueryParamMatch, StringMatch } from './match';
import { RouteDestination } from './route-destination';
import { headerValueProblem, isDns1123Label, isHeaderToken, isPort, parseDurationMs } from '../kinds/fields';

const MAX_INT32 = 2147483647;
// Istio's webhook rejects direct-response bodies above 1 MiB.
const MAX_BODY_BYTES = 1024 * 1024;
const CORS_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*']);

/** Properties of one HTTP route of a VirtualService. */
export interface HttpRouteOptions {
  /**
   * Match blocks; the route applies when any of them matches.
   * @default - none: the route is the catch-all route, rendered after all routes with a match
   * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
   */
  readonly match?: HttpMatchOptions[];

  /**
   * Where matched traffic goes, with relative weights. Exactly one of `route`,
   * `redirect` and `directResponse` is required.
   * @default - none
   * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRouteDestination
   */
  readonly route?: HttpRouteDestinationOptions[];

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
   * Percentage (0..100) of requests mirrored; needs `mirror`.
   * @default - 100 when `mirror` is set
   */
  readonly mirrorPercentage?: number;

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
   * Name of the route, shown in access logs and metrics.
   * @default - none
   */
  readonly name?: string;
}

/** One weighted destination of an HTTP route. */
export interface HttpRouteDestinationOptions {
  /** Where the traffic goes. */
  readonly destination: RouteDestination;

  /**
   * Relative weight (a non-negative integer). Weights are relative (Istio >= 1.15):
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
   * Replaces the authority (`Host` header).
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
   * Replaces the path.
   * @default - path unchanged
   */
  readonly uri?: string;

  /**
   * Replaces the authority.
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
 * An HTTP redirect answered by the proxy.
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

  private constructor(private readonly options: HttpRedirectOptions) {
    const o = options;
    if (o.uri === undefined && o.authority === undefined && o.scheme === undefined && o.port === undefined && o.derivePort === undefined) {
      fail('HttpRedirect', 'redirect', {}, 'must change at least one of uri, authority, scheme, port or derivePort');
    }
    if (o.uri !== undefined && o.uri.length === 0) {
      fail('HttpRedirect', 'redirect.uri', o.uri, 'must not be empty', 'omit uri to keep the path');
    }
    if (o.authority !== undefined && o.authority.length === 0) {
      fail('HttpRedirect', 'redirect.authority', o.authority, 'must not be empty', 'omit authority to keep it');
    }
    if (o.port !== undefined && !isPort(o.port)) {
      fail('HttpRedirect', 'redirect.port', o.port, 'must be an integer between 1 and 65535');
    }
    if (o.port !== undefined && o.derivePort !== undefined) {
      fail('HttpRedirect', 'redirect.derivePort', o.derivePort, 'cannot be combined with port', 'set either port or derivePort');
    }
    if (o.redirectCode !== undefined && !(Number.isInteger(o.redirectCode) && o.redirectCode >= 300 && o.redirectCode <= 399)) {
      fail('HttpRedirect', 'redirect.redirectCode', o.redirectCode, 'must be an integer between 300 and 399');
    }
  }

  /** @internal */
  public _toKube(): any {
    const o = this.options;
    return { uri: o.uri, authority: o.authority, scheme: o.scheme, port: o.port, derivePort: o.derivePort, redirectCode: o.redirectCode };
  }
}

/**
 * A delay injected before forwarding requests.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPFaultInjection-Delay
 */
export class HttpFaultDelay {
  /**
   * Delays `percentage` (0..100) of the requests by `delay` (whole milliseconds, at least 1 ms).
   * @param percentage share of requests delayed. Default: 100
   */
  public static fixed(delay: Duration, percentage?: number): HttpFaultDelay {
    const fixedDelay = formatIstioDuration('HttpFaultDelay', 'fault.delay.fixedDelay', delay);
    checkPercentage('HttpFaultDelay', 'fault.delay.percentage.value', percentage);
    return new HttpFaultDelay(fixedDelay, percentage);
  }

  private constructor(
    private readonly fixedDelay: string,
    private readonly percentage?: number,
  ) {}

  /** @internal */
  public _toKube(): any {
    return { fixedDelay: this.fixedDelay, percentage: this.percentage === undefined ? undefined : { value: this.percentage } };
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
   * Aborts `percentage` (0..100) of the requests with HTTP status `status` (200..599).
   * @param percentage share of requests aborted. Default: 100
   */
  public static httpStatus(status: number, percentage?: number): HttpFaultAbort {
    if (!(Number.isInteger(status) && status >= 200 && status <= 599)) {
      fail('HttpFaultAbort', 'fault.abort.httpStatus', status, 'must be an integer between 200 and 599');
    }
    checkPercentage('HttpFaultAbort', 'fault.abort.percentage.value', percentage);
    return new HttpFaultAbort({ httpStatus: status }, percentage);
  }

  /**
   * Aborts `percentage` (0..100) of gRPC requests with `status`.
   * @param percentage share of requests aborted. Default: 100
   */
  public static grpcStatus(status: GrpcStatus, percentage?: number): HttpFaultAbort {
    checkPercentage('HttpFaultAbort', 'fault.abort.percentage.value', percentage);
    return new HttpFaultAbort({ grpcStatus: status }, percentage);
  }

  private constructor(
    private readonly error: any,
    private readonly percentage?: number,
  ) {}

  /** @internal */
  public _toKube(): any {
    return { ...this.error, percentage: this.percentage === undefined ? undefined : { value: this.percentage } };
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
}

/**
 * One HTTP route of a {@link VirtualService}, validated when it is added.
 * Create it with `VirtualService.addHttpRoute()`.
 */
export class HttpRoute {
  /**
   * Validates `options` and builds the route; errors name `object` and `field` (`spec.http[2]`).
   * @internal
   */
  public static _create(options: HttpRouteOptions, object: string, field: string): HttpRoute {
    return new HttpRoute(options, object, field);
  }

  /**
   * Name of the route.
   * @default - none
   */
  public readonly name?: string;
  private readonly _matches: HttpMatchOptions[];
  private readonly _destinations: HttpRouteDestinationOptions[];
  private readonly _kube: any;

  private constructor(options: HttpRouteOptions, object: string, field: string) {
    this.name = options.name;
    this._matches = (options.match ?? []).map((m) => ({ ...m }));
    this._destinations = (options.route ?? []).map((r) => ({ ...r }));
    this._kube = new RouteRenderer(object, field).render(options);
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

  /** @internal */
  public _toKube(): any {
    return JSON.parse(JSON.stringify(this._kube));
  }
}

/** Validates and renders one route; holds the names used in error messages. */
class RouteRenderer {
  public constructor(
    private readonly object: string,
    private readonly field: string,
  ) {}

  public render(o: HttpRouteOptions): any {
    const f = this.field;
    const route = o.route ?? [];
    const actions = [
      route.length > 0 ? 'route' : undefined,
      o.redirect ? 'redirect' : undefined,
      o.directResponse ? 'directResponse' : undefined,
    ].filter((a) => a !== undefined);
    if (actions.length !== 1) {
      fail(
        this.object,
        f,
        actions,
        'must have exactly one action: route, redirect or directResponse',
        actions.length === 0 ? 'add a destination with route: [{ destination }]' : 'keep one of them',
      );
    }
    const answered = o.redirect ? 'redirect' : o.directResponse ? 'directResponse' : undefined;
    if (answered && o.rewrite) fail(this.object, `${f}.rewrite`, 'rewrite', `cannot be combined with ${answered}`, 'remove rewrite');
    if (answered && o.fault) fail(this.object, `${f}.fault`, 'fault', `cannot be combined with ${answered}`, 'remove fault');
    if (o.mirrorPercentage !== undefined && !o.mirror) {
      fail(this.object, `${f}.mirrorPercentage`, o.mirrorPercentage, 'needs mirror', 'set mirror to the destination receiving the copies');
    }
    if (o.name !== undefined && o.name.length === 0) fail(this.object, `${f}.name`, '', 'must not be empty', 'omit name');
    this.checkAuthorityRewrittenOnce(o);
    return {
      name: o.name,
      match: nonEmpty((o.match ?? []).map((m, i) => this.match(m, `${f}.match[${i}]`))),
      route: nonEmpty(this.destinations(route, `${f}.route`)),
      redirect: o.redirect?._toKube(),
      directResponse: o.directResponse ? this.directResponse(o.directResponse, `${f}.directResponse`) : undefined,
      rewrite: o.rewrite ? this.rewrite(o.rewrite, `${f}.rewrite`) : undefined,
      timeout: o.timeout ? formatIstioDuration(this.object, `${f}.timeout`, o.timeout) : undefined,
      retries: o.retries ? this.retries(o.retries, `${f}.retries`) : undefined,
      fault: o.fault ? this.fault(o.fault, `${f}.fault`) : undefined,
      mirror: o.mirror?._toKube(),
      mirrorPercentage: this.mirrorPercentage(o.mirrorPercentage, `${f}.mirrorPercentage.value`),
      headers: o.headers ? this.headers(o.headers, `${f}.headers`) : undefined,
      corsPolicy: o.corsPolicy ? this.cors(o.corsPolicy, `${f}.corsPolicy`) : undefined,
    };
  }

  private match(m: HttpMatchOptions, f: string): any {
    const conditions =
      [m.uri, m.scheme, m.method, m.authority, m.port, m.sourceNamespace].filter((c) => c !== undefined).length +
      (m.headers?.length ?? 0) +
      (m.withoutHeaders?.length ?? 0) +
      (m.queryParams?.length ?? 0) +
      Object.keys(m.sourceLabels ?? {}).length +
      (m.gateways?.length ?? 0);
    if (conditions === 0) {
      fail(this.object, f, {}, 'must set at least one condition', 'omit match entirely for a catch-all route');
    }
    m.uri?._checkAt(this.object, `${f}.uri`, true);
    m.scheme?._checkAt(this.object, `${f}.scheme`, false);
    m.method?._checkAt(this.object, `${f}.method`, false);
    m.authority?._checkAt(this.object, `${f}.authority`, false);
    if (m.port !== undefined && !isPort(m.port)) {
      fail(this.object, `${f}.port`, m.port, 'must be an integer between 1 and 65535');
    }
    checkLabels(this.object, `${f}.sourceLabels`, m.sourceLabels ?? {});
    if (m.sourceNamespace !== undefined && !isDns1123Label(m.sourceNamespace)) {
      fail(this.object, `${f}.sourceNamespace`, m.sourceNamespace, 'must be a DNS-1123 label (a namespace name)');
    }
    if (m.ignoreUriCase && m.uri?.type === 'regex') {
      fail(
        this.object,
        `${f}.ignoreUriCase`,
        true,
        'only applies to exact and prefix uri matches',
        'use a case-insensitive regex such as "(?i)/login"',
      );
    }
    return {
      name: m.name,
      uri: m.uri?._toKube(),
      scheme: m.scheme?._toKube(),
      method: m.method?._toKube(),
      authority: m.authority?._toKube(),
      headers: this.namedMatches(m.headers, `${f}.headers`),
      withoutHeaders: this.namedMatches(m.withoutHeaders, `${f}.withoutHeaders`),
      queryParams: this.namedMatches(m.queryParams, `${f}.queryParams`),
      port: m.port,
      sourceLabels: nonEmptyMap({ ...m.sourceLabels }),
      sourceNamespace: m.sourceNamespace,
      gateways: nonEmpty(unique((m.gateways ?? []).map((g) => g.gatewayName))),
      ignoreUriCase: m.ignoreUriCase,
    };
  }

  private namedMatches(list: (HeaderMatch | QueryParamMatch)[] | undefined, f: string): any {
    const out: { [name: string]: any } = {};
    for (const item of list ?? []) {
      if (item.name in out) fail(this.object, `${f}.${item.name}`, item.name, 'is listed twice', 'combine the conditions into one regex');
      out[item.name] = item._toKube();
    }
    return nonEmptyMap(out);
  }

  private destinations(route: HttpRouteDestinationOptions[], f: string): any[] {
    route.forEach((r, i) => {
      if (r.weight !== undefined && !Number.isInteger(r.weight)) {
        fail(this.object, `${f}[${i}].weight`, r.weight, 'must be an integer', 'weights are relative, so scale them (0.5/0.5 -> 50/50)');
      }
      if (r.weight !== undefined && r.weight < 0) fail(this.object, `${f}[${i}].weight`, r.weight, 'must be >= 0');
      if (r.weight !== undefined && r.weight > MAX_INT32) fail(this.object, `${f}[${i}].weight`, r.weight, `must be at most ${MAX_INT32}`);
    });
    const total = route.reduce((sum, r) => sum + (r.weight ?? 0), 0);
    if (route.length > 1 && total <= 0) {
      fail(
        this.object,
        `${f}[].weight`,
        route.map((r) => r.weight ?? 0),
        'must add up to more than 0 when a route has several destinations',
        'give each destination a weight, e.g. 90 and 10',
      );
    }
    return route.map((r, i) => ({
      destination: r.destination._toKube(),
      weight: r.weight,
      headers: r.headers ? this.headers(r.headers, `${f}[${i}].headers`) : undefined,
    }));
  }

  private directResponse(d: HttpDirectResponseOptions, f: string): any {
    if (!(Number.isInteger(d.status) && d.status >= 200 && d.status <= 599)) {
      fail(this.object, `${f}.status`, d.status, 'must be an integer between 200 and 599');
    }
    if (d.body !== undefined && Buffer.byteLength(d.body, 'utf8') > MAX_BODY_BYTES) {
      fail(this.object, `${f}.body.string`, `${d.body.slice(0, 20)}...`, 'is larger than 1 MiB', 'serve large bodies from a backend');
    }
    return { status: d.status, body: d.body === undefined ? undefined : { string: d.body } };
  }

  private rewrite(r: HttpRewriteOptions, f: string): any {
    if (r.uri === undefined && r.authority === undefined && r.uriRegexRewrite === undefined) {
      fail(this.object, f, {}, 'must set at least one of uri, authority or uriRegexRewrite', 'omit rewrite');
    }
    if (r.uri !== undefined && r.uriRegexRewrite !== undefined) {
      fail(
        this.object,
        `${f}.uriRegexRewrite`,
        r.uriRegexRewrite.match,
        'cannot be combined with uri',
        'use either uri or uriRegexRewrite',
      );
    }
    if (r.authority !== undefined && r.authority.length === 0) {
      fail(this.object, `${f}.authority`, '', 'must not be empty', 'omit authority');
    }
    if (r.uriRegexRewrite) StringMatch._checkRegex(this.object, `${f}.uriRegexRewrite.match`, r.uriRegexRewrite.match);
    return {
      uri: r.uri,
      authority: r.authority,
      uriRegexRewrite: r.uriRegexRewrite ? { match: r.uriRegexRewrite.match, rewrite: r.uriRegexRewrite.rewrite } : undefined,
    };
  }

  private retries(r: HttpRetryOptions, f: string): any {
    if (!(Number.isInteger(r.attempts) && r.attempts >= 0 && r.attempts <= MAX_INT32)) {
      fail(this.object, `${f}.attempts`, r.attempts, 'must be an integer >= 0');
    }
    const codes = r.retryOnStatusCodes ?? [];
    codes.forEach((c, i) => {
      if (!(Number.isInteger(c) && c >= 100 && c <= 599)) {
        fail(this.object, `${f}.retryOnStatusCodes[${i}]`, c, 'must be an HTTP status code (100..599)');
      }
    });
    const retryOn = [...unique(r.retryOn ?? []), ...unique(codes.map(String))];
    if (r.attempts === 0 && (r.perTryTimeout || retryOn.length > 0 || r.retryRemoteLocalities !== undefined)) {
      fail(
        this.object,
        `${f}.attempts`,
        0,
        'disables retries, so perTryTimeout, retryOn and retryRemoteLocalities must not be set',
        'set attempts > 0 or remove the other retry settings',
      );
    }
    return {
      attempts: r.attempts,
      perTryTimeout: r.perTryTimeout ? formatIstioDuration(this.object, `${f}.perTryTimeout`, r.perTryTimeout) : undefined,
      retryOn: retryOn.length > 0 ? retryOn.join(',') : undefined,
      retryRemoteLocalities: r.retryRemoteLocalities,
    };
  }

  private fault(fault: HttpFaultOptions, f: string): any {
    if (!fault.delay && !fault.abort) {
      fail(this.object, f, {}, 'must set delay and/or abort', 'use HttpFaultDelay.fixed() or HttpFaultAbort.httpStatus()');
    }
    return { delay: fault.delay?._toKube(), abort: fault.abort?._toKube() };
  }

  private mirrorPercentage(value: number | undefined, f: string): any {
    if (value === undefined) return undefined;
    if (!(value >= 0 && value <= 100)) fail(this.object, f, value, 'must be between 0 and 100');
    return { value };
  }

  private headers(h: HeadersOptions, f: string): any {
    const request = h.request ? this.headerOps(h.request, `${f}.request`, true) : undefined;
    const response = h.response ? this.headerOps(h.response, `${f}.response`, false) : undefined;
    return request || response ? { request, response } : undefined;
  }

  private headerOps(ops: HeaderOperationsOptions, f: string, isRequest: boolean): any {
    for (const kind of ['set', 'add'] as const) {
      for (const [name, value] of Object.entries(ops[kind] ?? {})) {
        // Only request set/add may touch the authority; nothing may set other pseudo-headers.
        this.checkHeaderOpName(name, `${f}.${kind}`, isRequest);
        this.checkHeaderValue(value, `${f}.${kind}.${name}`);
      }
    }
    (ops.remove ?? []).forEach((name, i) => this.checkHeaderOpName(name, `${f}.remove[${i}]`, false));
    const out = {
      set: nonEmptyMap({ ...ops.set }),
      add: nonEmptyMap({ ...ops.add }),
      remove: nonEmpty([...(ops.remove ?? [])]),
    };
    return out.set || out.add || out.remove ? out : undefined;
  }

  private checkHeaderOpName(name: string, f: string, allowAuthority: boolean): void {
    if (allowAuthority && isAuthorityHeader(name)) return;
    if (name.toLowerCase() === 'host' || name.startsWith(':')) {
      fail(
        this.object,
        f,
        name,
        allowAuthority ? 'may not name a pseudo-header other than ":authority"' : 'may not name "host" or a pseudo-header',
        allowAuthority ? undefined : 'use rewrite.authority to change the authority',
      );
    }
    if (!isHeaderToken(name)) fail(this.object, f, name, 'is not a valid header name (an RFC 7230 token)');
  }

  private checkHeaderValue(value: string, f: string): void {
    const problem = headerValueProblem(value);
    if (problem) fail(this.object, f, value, problem);
  }

  // Istio checks the rewrite against the route's headers and against each destination's headers.
  private checkAuthorityRewrittenOnce(o: HttpRouteOptions): void {
    const rewrites = o.rewrite?.authority !== undefined ? 1 : 0;
    const check = (h: HeadersOptions | undefined, f: string) => {
      const names = [...Object.keys(h?.request?.set ?? {}), ...Object.keys(h?.request?.add ?? {})].filter((n) => isAuthorityHeader(n));
      if (rewrites + names.length > 1) {
        fail(
          this.object,
          f,
          names,
          `sets the authority ${rewrites > 0 ? 'that rewrite.authority already rewrites' : 'more than once'}`,
          'rewrite the authority in one place only',
        );
      }
    };
    check(o.headers, `${this.field}.headers.request`);
    (o.route ?? []).forEach((r, i) => check(r.headers, `${this.field}.route[${i}].headers.request`));
  }

  private cors(c: CorsPolicyOptions, f: string): any {
    (c.allowOrigins ?? []).forEach((origin, i) => {
      if (origin.value.length === 0) {
        fail(
          this.object,
          `${f}.allowOrigins[${i}].${origin.type}`,
          '',
          'must not be empty',
          'use StringMatch.exact("https://example.com") or StringMatch.regex(".*")',
        );
      }
    });
    (c.allowMethods ?? []).forEach((method, i) => {
      if (!CORS_METHODS.has(method)) fail(this.object, `${f}.allowMethods[${i}]`, method, `must be one of ${[...CORS_METHODS].join(', ')}`);
    });
    for (const key of ['allowHeaders', 'exposeHeaders'] as const) {
      (c[key] ?? []).forEach((name, i) => {
        if (name !== '*' && !isHeaderToken(name)) {
          fail(this.object, `${f}.${key}[${i}]`, name, 'must be a header name (an RFC 7230 token) or "*"');
        }
      });
    }
    let maxAge: string | undefined;
    if (c.maxAge) {
      maxAge = formatIstioDuration(this.object, `${f}.maxAge`, c.maxAge);
      if ((parseDurationMs(maxAge) ?? 0) % 1000 !== 0) fail(this.object, `${f}.maxAge`, maxAge, 'must be a whole number of seconds');
    }
    return {
      allowOrigins: nonEmpty((c.allowOrigins ?? []).map((o) => o._toKube())),
      allowMethods: nonEmpty([...(c.allowMethods ?? [])]),
      allowHeaders: nonEmpty([...(c.allowHeaders ?? [])]),
      exposeHeaders: nonEmpty([...(c.exposeHeaders ?? [])]),
      maxAge,
      allowCredentials: c.allowCredentials,
    };
  }
}

function checkPercentage(object: string, field: string, value: number | undefined): void {
  if (value === undefined) return;
  // Envoy's fractional percent has a resolution of one in a million.
  if (!(value === 0 || (value >= 0.0001 && value <= 100))) {
    fail(object, field, value, 'must be 0, or between 0.0001 and 100');
  }
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

function isAuthorityHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === ':authority' || lower === 'host';
}
