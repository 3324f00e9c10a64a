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
    ).toThrow('spec.http[0].route[0].weight (0.5) must be an integer');
  });

  test('rejects several destinations whose weights total 0', () => {
    expect(build({ route: [{ destination: v1 }, { destination: v2 }] })).toThrow(
      'spec.http[0].route[].weight ([0,0]) must add up to more than 0',
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

  test.each([
    ['no action', {}, "VirtualService 'addedvalues': spec.http[0] ([]) must have exactly one action: route, redirect or directResponse"],
    ['an empty route list', { route: [] }, 'must have exactly one action'],
    [
      'route and redirect',
      { route: [{ destination: v1 }], redirect: HttpRedirect.to({ uri: '/x' }) },
      `spec.http[0] (["route","redirect"]) must have exactly one action`,
    ],
    [
      'redirect and directResponse',
      { redirect: HttpRedirect.to({ uri: '/x' }), directResponse: { status: 404 } },
      'must have exactly one action',
    ],
    [
      'redirect with rewrite',
      { redirect: HttpRedirect.to({ uri: '/x' }), rewrite: { uri: '/y' } },
      "spec.http[0].rewrite ('rewrite') cannot be combined with redirect",
    ],
    [
      'redirect with fault',
      { redirect: HttpRedirect.to({ uri: '/x' }), fault: { abort: HttpFaultAbort.httpStatus(500) } },
      'spec.http[0].fault',
    ],
    ['directResponse with rewrite', { directResponse: { status: 200 }, rewrite: { uri: '/y' } }, 'cannot be combined with directResponse'],
    [
      'direct response status 199',
      { directResponse: { status: 199 } },
      'spec.http[0].directResponse.status (199) must be an integer between 200 and 599',
    ],
    ['direct response status 600', { directResponse: { status: 600 } }, 'spec.http[0].directResponse.status (600)'],
    [
      'direct response body over 1 MiB',
      { directResponse: { status: 200, body: 'x'.repeat(1024 * 1024 + 1) } },
      'spec.http[0].directResponse.body.string',
    ],
  ])('rejects %s', (_what, options, message) => {
    expect(build(options as HttpRouteOptions)).toThrow(message);
  });

  test.each([
    [
      'redirect code 200',
      () => HttpRedirect.to({ uri: '/x', redirectCode: 200 }),
      'HttpRedirect: redirect.redirectCode (200) must be an integer between 300 and 399',
    ],
    ['redirect code 400', () => HttpRedirect.toHttps(400), 'redirect.redirectCode (400)'],
    ['a redirect that changes nothing', () => HttpRedirect.to({}), 'HttpRedirect: redirect ({}) must change at least one of'],
    ['redirect port 0', () => HttpRedirect.to({ port: 0 }), 'HttpRedirect: redirect.port (0) must be an integer between 1 and 65535'],
    [
      'port with derivePort',
      () => HttpRedirect.to({ port: 80, derivePort: RedirectPortSelection.FROM_REQUEST_PORT }),
      "redirect.derivePort ('FROM_REQUEST_PORT') cannot be combined with port",
    ],
  ])('rejects %s', (_what, make, message) => {
    expect(make).toThrow(message);
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
      "spec.http[0].timeout ('0.5ms') must be at least 1ms and a whole number of milliseconds",
    ],
    ['a zero timeout', { timeout: Duration.millis(0) }, "spec.http[0].timeout ('0ms') must be at least 1ms"],
    ['a fractional-ms timeout', { timeout: Duration.millis(1.5) }, "spec.http[0].timeout ('1.5ms')"],
    ['negative attempts', { retries: { attempts: -1 } }, 'spec.http[0].retries.attempts (-1) must be an integer >= 0'],
    [
      'attempts 0 with retryOn',
      { retries: { attempts: 0, retryOn: [RetryOn.HTTP_5XX] } },
      'spec.http[0].retries.attempts (0) disables retries',
    ],
    ['a bad perTryTimeout', { retries: { attempts: 2, perTryTimeout: Duration.millis(0.1) } }, 'spec.http[0].retries.perTryTimeout'],
    [
      'a bad retry status code',
      { retries: { attempts: 2, retryOnStatusCodes: [42] } },
      'spec.http[0].retries.retryOnStatusCodes[0] (42) must be an HTTP status code',
    ],
    ['an empty fault', { fault: {} }, 'spec.http[0].fault ({}) must set delay and/or abort'],
    ['mirrorPercentage without mirror', { mirrorPercentage: 10 }, 'spec.http[0].mirrorPercentage (10) needs mirror'],
    [
      'mirrorPercentage over 100',
      { mirror: v2, mirrorPercentage: 101 },
      'spec.http[0].mirrorPercentage.value (101) must be between 0 and 100',
    ],
  ])('rejects %s', (_what, extra, message) => {
    expect(build({ route: [{ destination: v1 }], ...(extra as any) })).toThrow(message);
  });

  test.each([
    [
      'a fault delay percentage over 100',
      () => HttpFaultDelay.fixed(Duration.seconds(1), 150),
      'HttpFaultDelay: fault.delay.percentage.value (150) must be 0, or between 0.0001 and 100',
    ],
    ['a negative abort percentage', () => HttpFaultAbort.httpStatus(500, -1), 'HttpFaultAbort: fault.abort.percentage.value (-1)'],
    [
      'an abort status 100',
      () => HttpFaultAbort.httpStatus(100),
      'HttpFaultAbort: fault.abort.httpStatus (100) must be an integer between 200 and 599',
    ],
    ['a fault delay below 1ms', () => HttpFaultDelay.fixed(Duration.millis(0.2)), "HttpFaultDelay: fault.delay.fixedDelay ('0.2ms')"],
  ])('rejects %s', (_what, make, message) => {
    expect(make).toThrow(message);
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
    ['an empty rewrite', { rewrite: {} }, 'spec.http[0].rewrite ({}) must set at least one of uri, authority or uriRegexRewrite'],
    [
      'uri with uriRegexRewrite',
      { rewrite: { uri: '/a', uriRegexRewrite: { match: 'a', rewrite: 'b' } } },
      "spec.http[0].rewrite.uriRegexRewrite ('a') cannot be combined with uri",
    ],
    [
      'an invalid uriRegexRewrite',
      { rewrite: { uriRegexRewrite: { match: '(?=a)', rewrite: 'b' } } },
      'spec.http[0].rewrite.uriRegexRewrite.match',
    ],
    [
      'a response header op on host',
      { headers: { response: { set: { host: 'x' } } } },
      'spec.http[0].headers.response.set (\'host\') may not name "host" or a pseudo-header',
    ],
    ['a request remove of :authority', { headers: { request: { remove: [':authority'] } } }, 'spec.http[0].headers.request.remove[0]'],
    [
      'a request set of :path',
      { headers: { request: { set: { ':path': '/x' } } } },
      'spec.http[0].headers.request.set (\':path\') may not name a pseudo-header other than ":authority"',
    ],
    [
      'a header name with a space',
      { headers: { request: { add: { 'x y': '1' } } } },
      "spec.http[0].headers.request.add ('x y') is not a valid header name",
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
      'spec.http[0].headers.request (["host"]) sets the authority that rewrite.authority already rewrites',
    ],
    [
      'rewrite.authority plus a destination :authority header',
      { rewrite: { authority: 'a' }, route: [{ destination: v1, headers: { request: { add: { ':authority': 'b' } } } }] },
      'spec.http[0].route[0].headers.request',
    ],
    ['two authority headers', { headers: { request: { set: { host: 'a', ':authority': 'b' } } } }, 'sets the authority more than once'],
  ])('rejects %s', (_what, extra, message) => {
    expect(build({ route: [{ destination: v1 }], ...(extra as any) })).toThrow(message);
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
    ['an unknown method', { allowMethods: ['FETCH'] }, "spec.http[0].corsPolicy.allowMethods[0] ('FETCH') must be one of GET, HEAD"],
    ['a lower-case method', { allowMethods: ['get'] }, 'spec.http[0].corsPolicy.allowMethods[0]'],
    [
      'maxAge in fractions of a second',
      { maxAge: Duration.millis(1500) },
      "spec.http[0].corsPolicy.maxAge ('1500ms') must be a whole number of seconds",
    ],
    ['an empty origin', { allowOrigins: [StringMatch.exact('')] }, "spec.http[0].corsPolicy.allowOrigins[0].exact ('') must not be empty"],
    ['an invalid allowed header', { allowHeaders: ['a b'] }, "spec.http[0].corsPolicy.allowHeaders[0] ('a b') must be a header name"],
    ['an invalid exposed header', { exposeHeaders: ['a:b'] }, 'spec.http[0].corsPolicy.exposeHeaders[0]'],
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
