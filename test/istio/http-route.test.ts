import { Duration, Testing } from 'cdk8s';
import {
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
  VirtualService,
} from '../../lib';

const v1 = RouteDestination.toHost('addedvalues', { subset: 'v1' });
const v2 = RouteDestination.toHost('addedvalues', { subset: 'v2' });

/** Synthesizes a VirtualService with the single route `options` and returns `spec.http[0]`. */
function render(options: HttpRouteOptions): any {
  const chart = Testing.chart();
  new VirtualService(chart, 'addedvalues', { hosts: ['addedvalues'], http: [options] });
  return Testing.synth(chart)[0].spec.http[0];
}

function build(options: HttpRouteOptions): () => void {
  return () => new VirtualService(Testing.chart(), 'addedvalues', { hosts: ['addedvalues'], http: [options] });
}

describe('HttpRoute destinations and weights', () => {
  test('a single destination without weight renders no weight', () => {
    expect(render({ route: [{ destination: v2 }] })).toEqual({ route: [{ destination: { host: 'addedvalues', subset: 'v2' } }] });
  });

  test('weights are rendered as given, relative (need not sum to 100)', () => {
    expect(
      render({
        route: [
          { destination: v1, weight: 1 },
          { destination: v2, weight: 3 },
        ],
      }).route,
    ).toEqual([
      { destination: { host: 'addedvalues', subset: 'v1' }, weight: 1 },
      { destination: { host: 'addedvalues', subset: 'v2' }, weight: 3 },
    ]);
  });

  test('a zero weight is allowed when the total is positive', () => {
    expect(
      render({
        route: [
          { destination: v1, weight: 0 },
          { destination: v2, weight: 100 },
        ],
      }).route.map((r: any) => r.weight),
    ).toEqual([0, 100]);
  });

  test('per-destination header operations and port', () => {
    expect(
      render({ route: [{ destination: v2.withPort(9080), headers: { response: { set: { 'x-version': 'v2' }, remove: ['x-internal'] } } }] })
        .route,
    ).toEqual([
      {
        destination: { host: 'addedvalues', subset: 'v2', port: { number: 9080 } },
        headers: { response: { set: { 'x-version': 'v2' }, remove: ['x-internal'] } },
      },
    ]);
  });

  test('rejects a negative weight', () => {
    expect(
      build({
        route: [
          { destination: v1, weight: -5 },
          { destination: v2, weight: 105 },
        ],
      }),
    ).toThrow("VirtualService 'addedvalues': spec.http[0].route[0].weight (-5) must be >= 0");
  });

  test('rejects a fractional weight', () => {
    expect(
      build({
        route: [
          { destination: v1, weight: 0.5 },
          { destination: v2, weight: 0.5 },
        ],
      }),
    ).toThrow("VirtualService 'addedvalues': spec.http[0].route[0].weight (0.5) must be an integer");
  });

  test('rejects a weight beyond 32 bits', () => {
    expect(build({ route: [{ destination: v1, weight: 2 ** 31 }] })).toThrow(
      'spec.http[0].route[0].weight (2147483648) must be an integer between -2147483648 and 2147483647',
    );
  });

  test('rejects several destinations whose weights total 0', () => {
    expect(build({ route: [{ destination: v1 }, { destination: v2 }] })).toThrow(
      "VirtualService 'addedvalues': spec.http[0].route: has several destinations but their weights add up to 0",
    );
  });

  test('rejects a bad destination, naming the route and the field', () => {
    expect(build({ route: [{ destination: RouteDestination.toHost('added values') }] })).toThrow(
      "VirtualService 'addedvalues': spec.http[0].route[0].destination.host ('added values') is not a valid host",
    );
    expect(build({ route: [{ destination: v1.withPort(0) }] })).toThrow(
      'spec.http[0].route[0].destination.port.number (0) must be a port number between 1 and 65535',
    );
    expect(build({ route: [{ destination: RouteDestination.toHost('addedvalues', { subset: 'v_1' }) }] })).toThrow(
      "spec.http[0].route[0].destination.subset ('v_1') must be a DNS-1123 label",
    );
    expect(build({ route: [{ destination: v1 }], mirror: RouteDestination.toHost('*') })).toThrow(
      "spec.http[0].mirror.host ('*') may not be a wildcard",
    );
  });
});

describe('HttpRoute actions', () => {
  test('redirect to HTTPS', () => {
    expect(render({ redirect: HttpRedirect.toHttps(308) })).toEqual({
      redirect: { scheme: 'https', derivePort: 'FROM_PROTOCOL_DEFAULT', redirectCode: 308 },
    });
  });

  test('redirect with every field', () => {
    expect(
      render({
        redirect: HttpRedirect.to({
          uri: '/v2/login',
          authority: 'new.example.com',
          scheme: HttpRedirectScheme.HTTP,
          port: 8080,
          redirectCode: 302,
        }),
      }).redirect,
    ).toEqual({ uri: '/v2/login', authority: 'new.example.com', scheme: 'http', port: 8080, redirectCode: 302 });
  });

  test('direct response with body', () => {
    expect(render({ match: [{ uri: StringMatch.exact('/healthz') }], directResponse: { status: 200, body: 'ok' } })).toEqual({
      match: [{ uri: { exact: '/healthz' } }],
      directResponse: { status: 200, body: { string: 'ok' } },
    });
  });

  test('direct response status 600 is accepted, as Istio does', () => {
    expect(render({ directResponse: { status: 600 } }).directResponse).toEqual({ status: 600 });
  });

  test('a direct response body over 100 KiB is accepted (Istio only warns)', () => {
    expect(render({ directResponse: { status: 200, body: 'x'.repeat(200 * 1024) } }).directResponse.body.string).toHaveLength(200 * 1024);
  });

  test.each([
    ['no action', {}, "VirtualService 'addedvalues': spec.http[0].route: an http route needs one action: route"],
    ['an empty route list', { route: [] }, 'spec.http[0].route: an http route needs one action'],
    [
      'route and redirect',
      { route: [{ destination: v1 }], redirect: HttpRedirect.to({ uri: '/x' }) },
      "VirtualService 'addedvalues': spec.http[0].route: may not be combined with redirect",
    ],
    [
      'redirect and directResponse',
      { redirect: HttpRedirect.to({ uri: '/x' }), directResponse: { status: 404 } },
      'spec.http[0].directResponse: may not be combined with redirect',
    ],
    [
      'route and directResponse',
      { route: [{ destination: v1 }], directResponse: { status: 404 } },
      'spec.http[0].route: may not be combined with directResponse',
    ],
    [
      'redirect with rewrite',
      { redirect: HttpRedirect.to({ uri: '/x' }), rewrite: { uri: '/y' } },
      'spec.http[0].rewrite: may not be combined with redirect',
    ],
    [
      'redirect with fault',
      { redirect: HttpRedirect.to({ uri: '/x' }), fault: { abort: HttpFaultAbort.httpStatus(500) } },
      'spec.http[0].fault: may not be combined with redirect',
    ],
    [
      'directResponse with rewrite',
      { directResponse: { status: 200 }, rewrite: { uri: '/y' } },
      'spec.http[0].rewrite: may not be combined with directResponse',
    ],
    [
      'direct response status 199',
      { directResponse: { status: 199 } },
      'spec.http[0].directResponse.status (199) must be an HTTP status between 200 and 599',
    ],
    ['direct response status 601', { directResponse: { status: 601 } }, 'spec.http[0].directResponse.status (601)'],
    [
      'a fractional direct response status',
      { directResponse: { status: 200.5 } },
      'spec.http[0].directResponse.status (200.5) must be an integer',
    ],
    [
      'direct response body over 1 MiB',
      { directResponse: { status: 200, body: 'x'.repeat(1024 * 1024 + 1) } },
      'spec.http[0].directResponse.body.string: body is 1048577 bytes; at most 1 MiB is allowed',
    ],
    [
      'redirect code 200',
      { redirect: HttpRedirect.to({ uri: '/x', redirectCode: 200 }) },
      "VirtualService 'addedvalues': spec.http[0].redirect.redirectCode (200) must be a 3xx status",
    ],
    ['redirect code 400', { redirect: HttpRedirect.toHttps(400) }, 'spec.http[0].redirect.redirectCode (400)'],
    [
      'a redirect that changes nothing',
      { redirect: HttpRedirect.to({ redirectCode: 302 }) },
      'spec.http[0].redirect: a redirect must change at least one of uri, authority, scheme or port',
    ],
    [
      'redirect port 70000',
      { redirect: HttpRedirect.to({ port: 70000 }) },
      'spec.http[0].redirect.port (70000) must be a port number between 1 and 65535',
    ],
    [
      'port with derivePort',
      { redirect: HttpRedirect.to({ port: 80, derivePort: RedirectPortSelection.FROM_REQUEST_PORT }) },
      "spec.http[0].redirect.derivePort ('FROM_REQUEST_PORT') cannot be combined with port",
    ],
    [
      'an empty redirect uri',
      { redirect: HttpRedirect.to({ uri: '', scheme: HttpRedirectScheme.HTTPS }) },
      "spec.http[0].redirect.uri ('') must not be empty",
    ],
    ['an empty route name', { name: '', route: [{ destination: v1 }] }, "spec.http[0].name ('') must not be empty"],
  ])('rejects %s', (_what, options, message) => {
    expect(build(options as HttpRouteOptions)).toThrow(message);
  });

  test('a redirect to port 0 is accepted: Istio reads it as no port change', () => {
    expect(render({ redirect: HttpRedirect.to({ uri: '/x', port: 0 }) }).redirect).toEqual({ uri: '/x', port: 0 });
  });
});

describe('HttpRoute timeout, retries, fault, mirror', () => {
  test('durations render as Go duration strings', () => {
    const route = render({
      route: [{ destination: v2 }],
      timeout: Duration.seconds(10),
      retries: {
        attempts: 3,
        perTryTimeout: Duration.millis(500),
        retryOn: [RetryOn.GATEWAY_ERROR, RetryOn.CONNECT_FAILURE],
        retryOnStatusCodes: [503],
        retryRemoteLocalities: true,
      },
    });
    expect(route.timeout).toBe('10s');
    expect(route.retries).toEqual({
      attempts: 3,
      perTryTimeout: '500ms',
      retryOn: 'gateway-error,connect-failure,503',
      retryRemoteLocalities: true,
    });
  });

  test('sub-second durations with fractions render in ms; whole minutes in m (Go style)', () => {
    expect(render({ route: [{ destination: v2 }], timeout: Duration.seconds(1.5) }).timeout).toBe('1500ms');
    expect(render({ route: [{ destination: v2 }], timeout: Duration.minutes(2) }).timeout).toBe('2m');
    expect(render({ route: [{ destination: v2 }], timeout: Duration.seconds(90) }).timeout).toBe('90s');
    expect(render({ route: [{ destination: v2 }], timeout: Duration.seconds(1.001) }).timeout).toBe('1001ms');
  });

  test('fault injection: fixed delay and abort with percentages', () => {
    expect(
      render({
        route: [{ destination: v1 }],
        fault: { delay: HttpFaultDelay.fixed(Duration.seconds(7), 10), abort: HttpFaultAbort.httpStatus(503, 0.5) },
      }).fault,
    ).toEqual({ delay: { fixedDelay: '7s', percentage: { value: 10 } }, abort: { httpStatus: 503, percentage: { value: 0.5 } } });
    expect(render({ route: [{ destination: v1 }], fault: { abort: HttpFaultAbort.grpcStatus(GrpcStatus.UNAVAILABLE) } }).fault).toEqual({
      abort: { grpcStatus: 'UNAVAILABLE' },
    });
  });

  test('mirror with percentage', () => {
    const route = render({ route: [{ destination: v1 }], mirror: v2, mirrorPercentage: 25 });
    expect(route.mirror).toEqual({ host: 'addedvalues', subset: 'v2' });
    expect(route.mirrorPercentage).toEqual({ value: 25 });
  });

  test.each([
    [
      'a timeout below 1ms',
      { timeout: Duration.millis(0.5) },
      "VirtualService 'addedvalues': spec.http[0].timeout ('0.5ms') must be a valid duration greater than 1ms",
    ],
    ['a zero timeout', { timeout: Duration.millis(0) }, "spec.http[0].timeout ('0s') must be a valid duration greater than 1ms"],
    ['a fractional-ms timeout', { timeout: Duration.millis(1.5) }, "spec.http[0].timeout ('1.5ms') must be a whole number of milliseconds"],
    ['negative attempts', { retries: { attempts: -1 } }, 'spec.http[0].retries.attempts (-1) must be >= 0'],
    ['fractional attempts', { retries: { attempts: 1.5 } }, 'spec.http[0].retries.attempts (1.5) must be an integer'],
    [
      'attempts 0 with retryOn',
      { retries: { attempts: 0, retryOn: [RetryOn.HTTP_5XX] } },
      'spec.http[0].retries.retryOn: may not be set when attempts is 0 or unset (retries disabled)',
    ],
    [
      'attempts 0 with a perTryTimeout',
      { retries: { attempts: 0, perTryTimeout: Duration.seconds(1) } },
      'spec.http[0].retries.perTryTimeout: may not be set when attempts is 0',
    ],
    [
      'a bad perTryTimeout',
      { retries: { attempts: 2, perTryTimeout: Duration.millis(0.1) } },
      "spec.http[0].retries.perTryTimeout ('0.1ms') must be a valid duration greater than 1ms",
    ],
    [
      'a retry status code that is no HTTP status',
      { retries: { attempts: 2, retryOnStatusCodes: [42] } },
      "spec.http[0].retries.retryOn ('42') has an unknown retry condition '42'",
    ],
    [
      'a retry status code Go has no name for',
      { retries: { attempts: 2, retryOn: [RetryOn.RESET], retryOnStatusCodes: [599] } },
      "spec.http[0].retries.retryOn ('reset,599') has an unknown retry condition '599'",
    ],
    ['an empty fault', { fault: {} }, 'spec.http[0].fault: a fault needs abort and/or delay'],
    ['mirrorPercentage without mirror', { mirrorPercentage: 10 }, 'spec.http[0].mirrorPercentage (10) needs mirror'],
    [
      'mirrorPercentage over 100',
      { mirror: v2, mirrorPercentage: 101 },
      'spec.http[0].mirrorPercentage.value (101) must be between 0 and 100',
    ],
    [
      'a fault delay percentage over 100',
      { fault: { delay: HttpFaultDelay.fixed(Duration.seconds(1), 150) } },
      "VirtualService 'addedvalues': spec.http[0].fault.delay.percentage.value (150) must be between 0 and 100",
    ],
    [
      "a fault delay percentage below Envoy's precision",
      { fault: { delay: HttpFaultDelay.fixed(Duration.seconds(1), 0.00001) } },
      'spec.http[0].fault.delay.percentage.value (0.00001) must be 0 or at least 0.0001',
    ],
    [
      'a negative abort percentage',
      { fault: { abort: HttpFaultAbort.httpStatus(500, -1) } },
      'spec.http[0].fault.abort.percentage.value (-1) must be between 0 and 100',
    ],
    [
      'an abort status 100',
      { fault: { abort: HttpFaultAbort.httpStatus(100) } },
      'spec.http[0].fault.abort.httpStatus (100) must be an HTTP status between 200 and 599',
    ],
    [
      'a fault delay below 1ms',
      { fault: { delay: HttpFaultDelay.fixed(Duration.millis(0.2)) } },
      "spec.http[0].fault.delay.fixedDelay ('0.2ms') must be a valid duration greater than 1ms",
    ],
  ])('rejects %s', (_what, extra, message) => {
    expect(build({ route: [{ destination: v1 }], ...(extra as any) })).toThrow(message);
  });

  test('fault values are checked where they are used, not when they are made', () => {
    expect(() => HttpFaultDelay.fixed(Duration.millis(0.2), 150)).not.toThrow();
    expect(() => HttpFaultAbort.httpStatus(100, -1)).not.toThrow();
  });
});

describe('HttpRoute rewrite and headers', () => {
  test('rewrite uri and authority; route-level header operations', () => {
    const route = render({
      route: [{ destination: v1 }],
      rewrite: { uri: '/v1', authority: 'addedvalues.bank.svc.cluster.local' },
      headers: {
        request: { set: { 'x-request-source': 'mesh' }, add: { 'x-trace': '%HOSTNAME%' }, remove: ['cookie'] },
        response: { add: { 'x-ratio': '50%%' } },
      },
    });
    expect(route.rewrite).toEqual({ uri: '/v1', authority: 'addedvalues.bank.svc.cluster.local' });
    expect(route.headers).toEqual({
      request: { set: { 'x-request-source': 'mesh' }, add: { 'x-trace': '%HOSTNAME%' }, remove: ['cookie'] },
      response: { add: { 'x-ratio': '50%%' } },
    });
  });

  test('uriRegexRewrite', () => {
    expect(
      render({ route: [{ destination: v1 }], rewrite: { uriRegexRewrite: { match: '^/api/v1/(.*)', rewrite: '/\\1' } } }).rewrite,
    ).toEqual({
      uriRegexRewrite: { match: '^/api/v1/(.*)', rewrite: '/\\1' },
    });
  });

  test('empty header operations are omitted', () => {
    expect(render({ route: [{ destination: v1 }], headers: { request: { set: {}, remove: [] } } }).headers).toBeUndefined();
  });

  test.each([
    ['an empty rewrite', { rewrite: {} }, 'spec.http[0].rewrite: a rewrite must set at least one of uri, uriRegexRewrite or authority'],
    [
      'uri with uriRegexRewrite',
      { rewrite: { uri: '/a', uriRegexRewrite: { match: 'a', rewrite: 'b' } } },
      'spec.http[0].rewrite: may not set both uri and uriRegexRewrite',
    ],
    [
      'an invalid uriRegexRewrite',
      { rewrite: { uriRegexRewrite: { match: '(?=a)', rewrite: 'b' } } },
      "spec.http[0].rewrite.uriRegexRewrite.match ('(?=a)') is not a valid RE2 regex",
    ],
    ['an empty rewrite authority', { rewrite: { uri: '/', authority: '' } }, "spec.http[0].rewrite.authority ('') must not be empty"],
    [
      'a response header op on host',
      { headers: { response: { set: { host: 'x' } } } },
      "VirtualService 'addedvalues': spec.http[0].headers.response.set.host ('host') may not be modified",
    ],
    [
      'a request remove of :authority',
      { headers: { request: { remove: [':authority'] } } },
      "spec.http[0].headers.request.remove[0] (':authority') may not be modified",
    ],
    [
      'a request set of :path',
      { headers: { request: { set: { ':path': '/x' } } } },
      "spec.http[0].headers.request.set.:path (':path') may not be modified: pseudo-headers and 'host' are managed by the proxy (only ':authority'/'host' may be set)",
    ],
    [
      'an empty header name to remove',
      { headers: { response: { remove: [''] } } },
      "spec.http[0].headers.response.remove[0] ('') header name may not be empty",
    ],
    [
      'a stray % in a value',
      { headers: { request: { set: { 'x-ratio': '50%' } } } },
      "spec.http[0].headers.request.set.x-ratio ('50%') ends with a lone '%'",
    ],
    [
      'an unterminated variable in a value',
      { headers: { response: { add: { 'x-host': '%HOSTNAME' } } } },
      "spec.http[0].headers.response.add.x-host ('%HOSTNAME') has an unterminated variable at offset 0",
    ],
    [
      'a control character in a value',
      { headers: { request: { set: { 'x-a': 'a\nb' } } } },
      /spec\.http\[0\]\.headers\.request\.set\.x-a \('a\nb'\) contains control characters/,
    ],
    [
      'per-destination header op on :path',
      { route: [{ destination: v1, headers: { request: { set: { ':path': '/' } } } }] },
      'spec.http[0].route[0].headers.request.set',
    ],
    [
      'rewrite.authority plus a host header',
      { rewrite: { authority: 'a' }, headers: { request: { set: { host: 'b' } } } },
      "spec.http[0].headers.request.set.host ('b') rewrites the authority a second time (already set by spec.http[0].rewrite.authority)",
    ],
    [
      'two authority headers',
      { headers: { request: { set: { host: 'a' }, add: { ':authority': 'b' } } } },
      "spec.http[0].headers.request.add.:authority ('b') rewrites the authority a second time (already set by spec.http[0].headers.request.set.host)",
    ],
  ])('rejects %s', (_what, extra, message) => {
    expect(build({ route: [{ destination: v1 }], ...(extra as any) })).toThrow(message);
  });

  test("a destination's authority header beside rewrite.authority is accepted, as Istio does", () => {
    const route = render({
      rewrite: { authority: 'a.internal' },
      route: [{ destination: v1, headers: { request: { add: { ':authority': 'b.internal' } } } }],
    });
    expect(route.route[0].headers).toEqual({ request: { add: { ':authority': 'b.internal' } } });
  });
});

describe('HttpRoute CORS policy', () => {
  test('renders the policy', () => {
    expect(
      render({
        route: [{ destination: v1 }],
        corsPolicy: {
          allowOrigins: [StringMatch.exact('https://bank.example.com'), StringMatch.regex('https://.*\\.example\\.com')],
          allowMethods: ['GET', 'POST'],
          allowHeaders: ['authorization', 'content-type'],
          exposeHeaders: ['x-request-id'],
          maxAge: Duration.hours(24),
          allowCredentials: true,
        },
      }).corsPolicy,
    ).toEqual({
      allowOrigins: [{ exact: 'https://bank.example.com' }, { regex: 'https://.*\\.example\\.com' }],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['authorization', 'content-type'],
      exposeHeaders: ['x-request-id'],
      maxAge: '24h',
      allowCredentials: true,
    });
  });

  test.each([
    [
      'an unknown method',
      { allowMethods: ['FETCH'] },
      "VirtualService 'addedvalues': spec.http[0].corsPolicy.allowMethods[0] ('FETCH') is not an HTTP method; use one of GET, HEAD",
    ],
    ['a lower-case method', { allowMethods: ['get'] }, "spec.http[0].corsPolicy.allowMethods[0] ('get') is not an HTTP method"],
    [
      'maxAge in fractions of a second',
      { maxAge: Duration.millis(1500) },
      "spec.http[0].corsPolicy.maxAge ('1500ms') must be a whole number of seconds",
    ],
    ['a zero maxAge', { maxAge: Duration.seconds(0) }, "spec.http[0].corsPolicy.maxAge ('0s') must be a valid duration greater than 1ms"],
    [
      'an empty origin',
      { allowOrigins: [StringMatch.exact('')] },
      'spec.http[0].corsPolicy.allowOrigins[0]: must set a non-empty exact, prefix or regex',
    ],
    [
      'an origin regex RE2 cannot compile',
      { allowOrigins: [StringMatch.regex('https://(?!evil)')] },
      "spec.http[0].corsPolicy.allowOrigins[0].regex ('https://(?!evil)') is not a valid RE2 regex",
    ],
    [
      'an invalid allowed header',
      { allowHeaders: ['a b'] },
      "spec.http[0].corsPolicy.allowHeaders[0] ('a b') is not a valid header name (token characters only) or '*'",
    ],
    [
      'an invalid exposed header',
      { exposeHeaders: ['a:b'] },
      "spec.http[0].corsPolicy.exposeHeaders[0] ('a:b') is not a valid header name",
    ],
  ])('rejects %s', (_what, corsPolicy, message) => {
    expect(build({ route: [{ destination: v1 }], corsPolicy })).toThrow(message);
  });
});

describe('HttpRoute accessors', () => {
  test('addHttpRoute returns the route with copies of its parts', () => {
    const vs = new VirtualService(Testing.chart(), 'addedvalues', { hosts: ['addedvalues'] });
    const route = vs.addHttpRoute({
      name: 'canary',
      match: [{ uri: StringMatch.prefix('/') }],
      route: [
        { destination: v1, weight: 90 },
        { destination: v2, weight: 10 },
      ],
    });
    expect(route.name).toBe('canary');
    expect(route.isCatchAll).toBe(false);
    expect(route.destinations.map((d) => d.weight)).toEqual([90, 10]);
    route.destinations.pop();
    expect(route.destinations).toHaveLength(2);
    expect(route.matches).toHaveLength(1);
  });
});
