/**
 * Istio's VirtualService validation tests (TestValidateVirtualService, TestValidateHTTPRoute,
 * TestValidateRouteDestination, TestValidateDestination, TestValidateCORSPolicy, the fault, retry,
 * rewrite, redirect and direct-response tables, the header name and value tables in
 * pkg/config/validation; the chaining, root and delegate route tables of virtualservice_test.go;
 * the wildcard-domain tables of its agent package), situation by situation, in our own fixtures:
 * each must get Istio's verdict.
 */
import { sameVerdicts, Situation } from './upstream';

function vs(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'accounts', namespace: 'bank', ...metadata },
    spec: { hosts: ['accounts.bank.example'], ...spec },
  };
}

const to = (host: string, extra: Record<string, unknown> = {}) => ({ destination: { host, ...extra } });
const ROUTE = [to('ledger.bank')];
/** A VirtualService with one HTTP route made of `route` (plus a destination unless the route names its action). */
const http = (route: Record<string, unknown>) => vs({ http: [route] });
const routed = (route: Record<string, unknown>) => http({ route: ROUTE, ...route });
/** One HTTP route inside a delegate VirtualService (no hosts). */
const delegated = (route: Record<string, unknown>) => vs({ hosts: [], http: [route] });
const DELEGATE = { name: 'accounts-routes', namespace: 'bank' };
const REDIRECT = { uri: '/', authority: 'bank.example' };

const VIRTUAL_SERVICE: Situation[] = [
  { situation: 'one host, one route', object: vs({ http: [{ route: ROUTE }] }), verdict: 'clean' },
  {
    situation: 'cluster-name SNI host on a gateway',
    object: vs({
      hosts: ['outbound_.15010_._.istiod.istio-system.svc.cluster.local'],
      gateways: ['bank/edge'],
      tls: [
        {
          match: [{ sniHosts: ['outbound_.15010_._.istiod.istio-system.svc.cluster.local'] }],
          route: [to('istiod.istio-system.svc.cluster.local')],
        },
      ],
    }),
    verdict: 'clean',
  },
  {
    situation: 'a wildcard host covering another',
    object: vs({ hosts: ['*.eu.bank', '*.bank'], http: [{ route: ROUTE }] }),
    verdict: 'error',
  },
  {
    situation: 'a route entry without destination',
    object: vs({ hosts: ['*.eu.bank', '*.bank'], http: [{ route: [{}] }] }),
    verdict: 'error',
  },
  {
    situation: 'a destination without host',
    object: vs({ hosts: ['*.eu.bank', '*.bank'], http: [{ route: [{ destination: {} }] }] }),
    verdict: 'error',
  },
  { situation: 'no hosts (a delegate)', object: vs({ hosts: [], http: [{ route: ROUTE }] }), verdict: 'clean' },
  { situation: "a host with '!'", object: vs({ hosts: ['accounts.ba!nk'], http: [{ route: ROUTE }] }), verdict: 'error' },
  { situation: 'no routes at all', object: vs({}), verdict: 'error' },
  { situation: "a gateway named with '@'", object: vs({ gateways: ['b@nkgateway'], http: [{ route: ROUTE }] }), verdict: 'error' },
  {
    situation: "a gateway in the legacy '<name>.<namespace>' form",
    object: vs({ gateways: ['edge.bank.example'], http: [{ route: ROUTE }] }),
    verdict: 'warning',
  },
  { situation: "a gateway as '<namespace>/<name>'", object: vs({ gateways: ['bank/edge'], http: [{ route: ROUTE }] }), verdict: 'clean' },
  { situation: "a gateway as '<namespace>/*'", object: vs({ gateways: ['bank/*'], http: [{ route: ROUTE }] }), verdict: 'error' },
  { situation: "a gateway as '*/<name>'", object: vs({ gateways: ['*/edge'], http: [{ route: ROUTE }] }), verdict: 'error' },
  { situation: "host '*' for the mesh", object: vs({ hosts: ['*'], http: [{ route: ROUTE }] }), verdict: 'error' },
  { situation: "host '*' for a gateway", object: vs({ hosts: ['*'], gateways: ['edge'], http: [{ route: ROUTE }] }), verdict: 'clean' },
  { situation: 'a TCP route without destinations', object: vs({ tcp: [{ match: [{ port: 999 }] }] }), verdict: 'error' },
  {
    situation: 'a TLS route without destinations',
    object: vs({ tls: [{ match: [{ port: 999, sniHosts: ['accounts.bank.example'] }] }] }),
    verdict: 'error',
  },
  {
    situation: 'the deprecated mirrorPercent',
    object: vs({ gateways: ['bank/edge'], http: [{ mirrorPercent: 5, route: ROUTE }] }),
    verdict: 'warning',
  },
  {
    situation: 'setting :authority in the route headers',
    object: routed({ headers: { request: { set: { ':authority': 'ledger' } } } }),
    verdict: 'clean',
  },
  {
    situation: 'setting :authority in a destination',
    object: http({ route: [{ ...to('ledger.bank'), headers: { request: { set: { ':authority': 'ledger' } } } }] }),
    verdict: 'clean',
  },
  {
    situation: 'setting the authority in rewrite and headers',
    object: routed({ headers: { request: { set: { ':authority': 'ledger' } } }, rewrite: { authority: 'books' } }),
    verdict: 'error',
  },
  {
    // The webhook's ineffective-match warning is our IST0131 (a cross-rule analyzer, not the rule book).
    situation: 'a prefix match shadowing a longer one',
    object: routed({ match: [{ uri: { prefix: '/api/v1/account' } }, { uri: { prefix: '/api/v1/accounts' }, method: { exact: 'GET' } }] }),
    verdict: 'warning',
  },
  {
    situation: "prefix '/' before exact '/' with a method",
    object: routed({ match: [{ uri: { prefix: '/' } }, { uri: { exact: '/' }, method: { exact: 'GET' } }] }),
    verdict: 'clean',
  },
  {
    situation: 'a JWT claim match for the mesh',
    object: vs({
      gateways: ['mesh'],
      http: [{ route: ROUTE, match: [{ uri: { prefix: '/' }, headers: { '@request.auth.claims.tier': { exact: 'gold' } } }] }],
    }),
    verdict: 'error',
  },
  {
    situation: 'an IP address as SNI host',
    object: vs({ tls: [{ route: ROUTE, match: [{ port: 999, sniHosts: ['1.1.1.1'] }] }] }),
    verdict: 'warning',
  },
  {
    situation: 'a middle wildcard as SNI host',
    object: vs({ tls: [{ route: ROUTE, match: [{ port: 999, sniHosts: ['a.*.example'] }] }] }),
    verdict: 'error',
  },
];

const CHAINING: Situation[] = [
  { situation: 'a root on a gateway delegating', object: vs({ gateways: ['edge'], http: [{ delegate: DELEGATE }] }), verdict: 'clean' },
  { situation: 'a root for the mesh delegating', object: vs({ http: [{ delegate: DELEGATE }] }), verdict: 'clean' },
  { situation: 'a root route delegating and routing', object: vs({ http: [{ delegate: DELEGATE, route: ROUTE }] }), verdict: 'error' },
  { situation: 'a delegate with an empty route', object: delegated({}), verdict: 'error' },
  { situation: 'a delegate delegating again', object: delegated({ delegate: DELEGATE }), verdict: 'error' },
  { situation: 'a delegate with a TCP route', object: vs({ hosts: [], tcp: [{ route: ROUTE }] }), verdict: 'error' },
  { situation: 'a delegate with gateways', object: vs({ hosts: [], gateways: ['edge'], http: [{ route: ROUTE }] }), verdict: 'error' },
  {
    situation: 'a delegate matching a source namespace',
    object: delegated({ match: [{ sourceNamespace: 'bank' }], route: ROUTE }),
    verdict: 'clean',
  },
];

const root = (route: Record<string, unknown>) => http({ delegate: DELEGATE, ...route });
const redirected = (match: Record<string, unknown>) => http({ redirect: REDIRECT, match: [match] });
const ROOT_ROUTE: Situation[] = [
  { situation: 'delegate only', object: root({}), verdict: 'clean' },
  { situation: 'delegate and route', object: root({ route: ROUTE }), verdict: 'error' },
  { situation: 'delegate and redirect', object: root({ redirect: { uri: '/next', authority: 'bank.example' } }), verdict: 'error' },
  { situation: 'a null header match', object: root({ match: [{ headers: { tier: null } }] }), verdict: 'error' },
  { situation: 'a prefix header match', object: root({ match: [{ headers: { tier: { prefix: 'gold' } } }] }), verdict: 'clean' },
  { situation: 'an empty prefix header match', object: root({ match: [{ headers: { tier: { prefix: '' } } }] }), verdict: 'error' },
  { situation: 'an exact header match', object: root({ match: [{ headers: { tier: { exact: 'gold' } } }] }), verdict: 'clean' },
  { situation: 'a regex header match', object: root({ match: [{ headers: { tier: { regex: 'gold' } } }] }), verdict: 'clean' },
  { situation: 'an exact withoutHeaders match', object: redirected({ withoutHeaders: { tier: { exact: 'gold' } } }), verdict: 'clean' },
  { situation: 'a regex withoutHeaders match', object: redirected({ withoutHeaders: { tier: { regex: 'gold' } } }), verdict: 'clean' },
  { situation: "a withoutHeaders regex '?'", object: redirected({ withoutHeaders: { tier: { regex: '?' } } }), verdict: 'error' },
  {
    situation: "a withoutHeaders regex '*' (presence)",
    object: redirected({ withoutHeaders: { tier: { regex: '*' } } }),
    verdict: 'clean',
  },
  { situation: 'a regex uri match', object: root({ match: [{ uri: { regex: '/accounts' } }] }), verdict: 'clean' },
  { situation: 'a prefix uri match', object: root({ match: [{ uri: { prefix: '/accounts' } }] }), verdict: 'clean' },
  { situation: 'an exact uri match', object: root({ match: [{ uri: { exact: '/accounts' } }] }), verdict: 'clean' },
  { situation: 'a prefix query match', object: root({ match: [{ queryParams: { q: { prefix: 'eur' } } }] }), verdict: 'clean' },
  { situation: 'an exact query match', object: root({ match: [{ queryParams: { q: { exact: 'eur' } } }] }), verdict: 'clean' },
  {
    situation: 'a regex header match named like a query',
    object: root({ match: [{ headers: { q: { regex: 'eur' } } }] }),
    verdict: 'clean',
  },
  { situation: 'an empty method prefix', object: redirected({ method: { prefix: '' } }), verdict: 'error' },
  { situation: 'an empty method regex', object: redirected({ method: { regex: '' } }), verdict: 'error' },
  { situation: 'an empty uri prefix', object: redirected({ uri: { prefix: '' } }), verdict: 'clean' },
  { situation: 'an empty uri regex', object: redirected({ uri: { regex: '' } }), verdict: 'error' },
  { situation: 'an empty query regex', object: redirected({ queryParams: { q: { regex: '' } } }), verdict: 'error' },
  { situation: 'an empty scheme regex', object: redirected({ scheme: { regex: '' } }), verdict: 'error' },
  { situation: 'an empty scheme prefix', object: redirected({ scheme: { prefix: '' } }), verdict: 'error' },
  { situation: 'an empty header prefix and no action', object: http({ match: [{ headers: { tier: { prefix: '' } } }] }), verdict: 'error' },
];

const headerOps = (where: 'request' | 'response', op: 'add' | 'set' | 'remove', value: unknown) =>
  http({ route: [{ ...to('ledger.bank'), headers: { [where]: { [op]: value } } }] });
const HTTP_ROUTE_BODY: Situation[] = [
  { situation: 'no action', object: http({}), verdict: 'error' },
  { situation: 'one destination', object: http({ route: ROUTE }), verdict: 'clean' },
  { situation: 'a null destination', object: http({ route: [{ destination: null }] }), verdict: 'error' },
  {
    situation: 'weights 25/75',
    object: http({
      route: [
        { ...to('ledger.south'), weight: 25 },
        { ...to('ledger.east'), weight: 75 },
      ],
    }),
    verdict: 'clean',
  },
  {
    situation: 'weights adding up over 100',
    object: http({
      route: [
        { ...to('ledger.south'), weight: 550 },
        { ...to('ledger.east'), weight: 500 },
      ],
    }),
    verdict: 'clean',
  },
  {
    situation: 'weights adding up under 100',
    object: http({
      route: [
        { ...to('ledger.south'), weight: 49 },
        { ...to('ledger.east'), weight: 50 },
      ],
    }),
    verdict: 'clean',
  },
  { situation: 'a redirect', object: http({ redirect: { uri: '/next', authority: 'bank.example' } }), verdict: 'clean' },
  {
    situation: 'a redirect and a route',
    object: http({ route: ROUTE, redirect: { uri: '/next', authority: 'bank.example' } }),
    verdict: 'error',
  },
  {
    situation: 'header operations with empty values',
    object: http({
      route: [
        {
          ...to('ledger.bank'),
          headers: {
            request: { add: { trace: '' }, set: { trace: '' }, remove: ['trace'] },
            response: { add: { trace: '' }, set: { trace: '' }, remove: ['trace'] },
          },
        },
      ],
    }),
    verdict: 'clean',
  },
  { situation: 'an empty header name in request add', object: headerOps('request', 'add', { '': 'v' }), verdict: 'error' },
  { situation: 'an empty header name in request set', object: headerOps('request', 'set', { '': 'v' }), verdict: 'error' },
  { situation: 'an empty header name in request remove', object: headerOps('request', 'remove', ['']), verdict: 'error' },
  { situation: 'an empty header name in response add', object: headerOps('response', 'add', { '': 'v' }), verdict: 'error' },
  { situation: 'an empty header name in response set', object: headerOps('response', 'set', { '': 'v' }), verdict: 'error' },
  { situation: 'an empty header name in response remove', object: headerOps('response', 'remove', ['']), verdict: 'error' },
  { situation: "an escaped '%%' value", object: headerOps('response', 'set', { 'x-share': '100%%' }), verdict: 'clean' },
  { situation: 'an Envoy variable value', object: headerOps('response', 'set', { 'x-node': '%HOSTNAME%' }), verdict: 'clean' },
  { situation: "a lone '%' in a set value", object: headerOps('response', 'set', { 'x-node': 'abcd%efgh' }), verdict: 'error' },
  {
    situation: "an escaped '%%' in an added value",
    object: headerOps('response', 'add', { 'x-share': '100%% and more' }),
    verdict: 'clean',
  },
  {
    situation: 'an Envoy variable in an added value',
    object: headerOps('response', 'add', { 'x-node': 'hello %HOSTNAME%' }),
    verdict: 'clean',
  },
  { situation: "a lone '%' in an added value", object: headerOps('response', 'add', { 'x-node': 'abcd%efgh' }), verdict: 'error' },
  {
    situation: 'a header name with a space (Istio checks no characters)',
    object: headerOps('request', 'set', { 'x bank': 'v' }),
    verdict: 'clean',
  },
  { situation: 'a null header match', object: http({ route: ROUTE, match: [{ headers: { tier: null } }] }), verdict: 'error' },
  {
    situation: 'an empty prefix header match',
    object: http({ route: ROUTE, match: [{ headers: { tier: { prefix: '' } } }] }),
    verdict: 'error',
  },
  { situation: 'no match', object: http({ route: ROUTE }), verdict: 'clean' },
  { situation: 'mirrorPercent 101', object: http({ route: ROUTE, mirrorPercent: 101 }), verdict: 'error' },
  { situation: 'mirrorPercentage 101', object: http({ route: ROUTE, mirrorPercentage: { value: 101 } }), verdict: 'error' },
  { situation: 'mirrorPercentage 1', object: http({ route: ROUTE, mirrorPercentage: { value: 1 } }), verdict: 'clean' },
  { situation: 'mirrorPercentage -1', object: http({ route: ROUTE, mirrorPercentage: { value: -1 } }), verdict: 'error' },
  { situation: 'a mirror without destination', object: http({ route: ROUTE, mirrors: [{}] }), verdict: 'error' },
  {
    situation: 'a mirror percentage of 101',
    object: http({ route: ROUTE, mirrors: [to('audit.bank'), { ...to('audit.bank'), percentage: { value: 101 } }] }),
    verdict: 'error',
  },
  {
    situation: 'mirror percentages 1 and 50',
    object: http({
      route: ROUTE,
      mirrors: [
        { ...to('audit.bank'), percentage: { value: 1 } },
        { ...to('audit.bank'), percentage: { value: 50 } },
      ],
    }),
    verdict: 'clean',
  },
  {
    situation: 'a mirror percentage of -1',
    object: http({ route: ROUTE, mirrors: [{ ...to('audit.bank'), percentage: { value: -1 } }] }),
    verdict: 'error',
  },
  {
    situation: 'mirror and mirrors',
    object: http({ route: ROUTE, mirror: { host: 'audit.bank' }, mirrors: [to('audit.bank')] }),
    verdict: 'error',
  },
];

const DELEGATE_ROUTE: Situation[] = [
  { situation: 'no action', object: delegated({}), verdict: 'error' },
  { situation: 'one destination', object: delegated({ route: ROUTE }), verdict: 'clean' },
  { situation: 'a null destination', object: delegated({ route: [{ destination: null }] }), verdict: 'error' },
  {
    situation: 'weights 55/50',
    object: delegated({
      route: [
        { ...to('ledger.south'), weight: 55 },
        { ...to('ledger.east'), weight: 50 },
      ],
    }),
    verdict: 'clean',
  },
  { situation: 'a redirect', object: delegated({ redirect: REDIRECT }), verdict: 'clean' },
  { situation: 'a redirect and a route', object: delegated({ route: ROUTE, redirect: REDIRECT }), verdict: 'error' },
  {
    situation: 'an empty header name',
    object: vs({ hosts: [], http: [{ route: [{ ...to('ledger.bank'), headers: { response: { remove: [''] } } }] }] }),
    verdict: 'error',
  },
  { situation: 'a null header match', object: delegated({ route: ROUTE, match: [{ headers: { tier: null } }] }), verdict: 'error' },
  { situation: 'mirrorPercent 101', object: delegated({ route: ROUTE, mirrorPercent: 101 }), verdict: 'error' },
  { situation: 'mirrorPercentage 1', object: delegated({ route: ROUTE, mirrorPercentage: { value: 1 } }), verdict: 'clean' },
  { situation: 'a delegate inside a delegate', object: delegated({ delegate: DELEGATE }), verdict: 'error' },
];

const dest = (d: Record<string, unknown>) => http({ route: [{ destination: d }] });
const DESTINATION: Situation[] = [
  { situation: 'an empty destination', object: dest({}), verdict: 'error' },
  { situation: 'a host', object: dest({ host: 'ledger.bank' }), verdict: 'clean' },
  { situation: 'host, subset and port', object: dest({ host: 'ledger.bank', subset: 'shiny', port: { number: 5000 } }), verdict: 'clean' },
  {
    situation: 'a port selector without number',
    object: dest({ host: 'ledger.bank', subset: 'shiny', port: {} }),
    verdict: 'error',
    field: 'spec.http[0].route[0].destination.port.number',
  },
  { situation: 'an upper-case subset (Istio allows it)', object: dest({ host: 'ledger.bank', subset: 'Shiny' }), verdict: 'clean' },
];

const tcpTo = (...destinations: Record<string, unknown>[]) => vs({ tcp: [{ route: destinations }] });
const ROUTE_DESTINATION: Situation[] = [
  { situation: 'a host', object: tcpTo(to('ledger.bank')), verdict: 'clean' },
  { situation: "a '*-' wildcard host", object: tcpTo(to('*-ledger.bank')), verdict: 'clean' },
  { situation: "a '*' prefix host", object: tcpTo(to('*ledger.bank')), verdict: 'clean' },
  { situation: "host '*'", object: tcpTo(to('*')), verdict: 'error' },
  { situation: 'a wildcard last label', object: tcpTo(to('ledger.*')), verdict: 'error' },
  { situation: "a '<namespace>/<host>' host", object: tcpTo(to('bank/ledger')), verdict: 'error' },
  { situation: 'no destination', object: tcpTo({}), verdict: 'error' },
  {
    situation: 'weights 25/75',
    object: tcpTo({ ...to('ledger.south'), weight: 25 }, { ...to('ledger.east'), weight: 75 }),
    verdict: 'clean',
  },
  {
    situation: 'a negative weight',
    object: tcpTo({ ...to('ledger.south'), weight: 5 }, { ...to('ledger.east'), weight: -1 }),
    verdict: 'error',
  },
  {
    situation: 'weights over 100',
    object: tcpTo({ ...to('ledger.south'), weight: 550 }, { ...to('ledger.east'), weight: 500 }),
    verdict: 'clean',
  },
  {
    situation: 'weights under 100',
    object: tcpTo({ ...to('ledger.south'), weight: 49 }, { ...to('ledger.east'), weight: 50 }),
    verdict: 'clean',
  },
  {
    situation: 'weights 100 and 0',
    object: tcpTo({ ...to('ledger.south'), weight: 100 }, { ...to('ledger.east'), weight: 0 }),
    verdict: 'clean',
  },
  { situation: 'a single weight 0', object: tcpTo({ ...to('ledger.south'), weight: 0 }), verdict: 'clean' },
  {
    situation: 'two weights 0',
    object: tcpTo({ ...to('ledger.south'), weight: 0 }, { ...to('ledger.east'), weight: 0 }),
    verdict: 'error',
  },
];

const cors = (c: Record<string, unknown>) => routed({ corsPolicy: c });
const CORS_BASE = { allowMethods: ['GET', 'POST'], allowHeaders: ['x-one', 'x-two'], exposeHeaders: ['x-three'], maxAge: '2s' };
const CORS: Situation[] = [
  { situation: 'methods, headers and maxAge', object: cors(CORS_BASE), verdict: 'clean' },
  { situation: 'an unknown method', object: cors({ ...CORS_BASE, allowMethods: ['GET', 'PUTT'] }), verdict: 'error' },
  { situation: 'an empty exposed header', object: cors({ ...CORS_BASE, exposeHeaders: [''] }), verdict: 'error' },
  { situation: 'maxAge with a fraction of a second', object: cors({ ...CORS_BASE, maxAge: '2.000000042s' }), verdict: 'error' },
  {
    situation: 'empty origin matches',
    object: cors({ ...CORS_BASE, allowOrigins: [{ exact: '' }, { prefix: '' }, { regex: '' }] }),
    verdict: 'error',
  },
  {
    situation: 'non-empty origin matches',
    object: cors({ ...CORS_BASE, allowOrigins: [{ exact: 'exact' }, { prefix: 'prefix' }, { regex: 'regex' }] }),
    verdict: 'clean',
  },
];

const abort = (a: Record<string, unknown>) => routed({ fault: { abort: a } });
const delay = (d: Record<string, unknown>) => routed({ fault: { delay: d } });
const FAULT: Situation[] = [
  { situation: 'abort 200 for 20%', object: abort({ percentage: { value: 20 }, httpStatus: 200 }), verdict: 'clean' },
  { situation: 'abort 200 for everyone', object: abort({ httpStatus: 200 }), verdict: 'clean' },
  { situation: 'abort status 9000', object: abort({ percentage: { value: 20 }, httpStatus: 9000 }), verdict: 'error' },
  { situation: 'abort status 100', object: abort({ percentage: { value: 20 }, httpStatus: 100 }), verdict: 'error' },
  { situation: 'abort for 0.001%', object: abort({ percentage: { value: 0.001 }, httpStatus: 200 }), verdict: 'clean' },
  { situation: 'abort for -10%', object: abort({ percentage: { value: -10 }, httpStatus: 200 }), verdict: 'error' },
  { situation: 'gRPC abort for 20%', object: abort({ percentage: { value: 20 }, grpcStatus: 'DEADLINE_EXCEEDED' }), verdict: 'clean' },
  { situation: 'gRPC abort for everyone', object: abort({ grpcStatus: 'DEADLINE_EXCEEDED' }), verdict: 'clean' },
  { situation: 'an unknown gRPC status', object: abort({ percentage: { value: 20 }, grpcStatus: 'NO_SUCH_STATUS' }), verdict: 'error' },
  { situation: 'gRPC abort for 0.001%', object: abort({ percentage: { value: 0.001 }, grpcStatus: 'INTERNAL' }), verdict: 'clean' },
  { situation: 'gRPC abort for -10%', object: abort({ percentage: { value: -10 }, grpcStatus: 'DEADLINE_EXCEEDED' }), verdict: 'error' },
  { situation: 'abort without an error (the webhook drops its warning)', object: abort({ percentage: { value: 20 } }), verdict: 'clean' },
  { situation: 'a fixed delay for 20%', object: delay({ percentage: { value: 20 }, fixedDelay: '3s' }), verdict: 'clean' },
  { situation: 'a fixed delay for everyone', object: delay({ fixedDelay: '3s' }), verdict: 'clean' },
  { situation: 'a delay for 101%', object: delay({ percentage: { value: 101 }, fixedDelay: '3s' }), verdict: 'error' },
  { situation: 'a delay with nanoseconds', object: delay({ percentage: { value: 20 }, fixedDelay: '3.000000042s' }), verdict: 'error' },
  { situation: 'a delay for 0.001%', object: delay({ percentage: { value: 0.001 }, fixedDelay: '3s' }), verdict: 'clean' },
  { situation: 'a delay for -10%', object: delay({ percentage: { value: -10 }, fixedDelay: '3s' }), verdict: 'error' },
  { situation: 'HTTP status 0 in a direct response', object: http({ directResponse: { status: 0 } }), verdict: 'error' },
  { situation: 'HTTP status 600 in a direct response', object: http({ directResponse: { status: 600 } }), verdict: 'clean' },
  { situation: 'HTTP status 601 in a direct response', object: http({ directResponse: { status: 601 } }), verdict: 'error' },
];

const retries = (r: Record<string, unknown>) => routed({ retries: r });
const RETRY: Situation[] = [
  {
    situation: '10 attempts with timeout and conditions',
    object: retries({ attempts: 10, perTryTimeout: '2s', retryOn: '5xx,gateway-error' }),
    verdict: 'clean',
  },
  { situation: 'attempts 0 (retries disabled)', object: retries({ attempts: 0 }), verdict: 'clean' },
  {
    situation: 'attempts 0 with timeout and conditions',
    object: retries({ attempts: 0, perTryTimeout: '2s', retryOn: '5xx,gateway-error' }),
    verdict: 'error',
  },
  { situation: 'attempts only', object: retries({ attempts: 10 }), verdict: 'clean' },
  {
    situation: 'a status code among the conditions',
    object: retries({ attempts: 10, perTryTimeout: '2s', retryOn: '503,connect-failure' }),
    verdict: 'clean',
  },
  { situation: 'attempts -1', object: retries({ attempts: -1, perTryTimeout: '2s' }), verdict: 'error' },
  { situation: 'a timeout with a nanosecond', object: retries({ attempts: 10, perTryTimeout: '2.000000001s' }), verdict: 'error' },
  { situation: 'a timeout under 1ms', object: retries({ attempts: 10, perTryTimeout: '999ns' }), verdict: 'error' },
  { situation: 'a backoff under 1ms', object: retries({ attempts: 10, backoff: '999ns' }), verdict: 'error' },
  {
    situation: 'an unknown condition',
    object: retries({ attempts: 10, perTryTimeout: '2s', retryOn: '5xx,invalid policy' }),
    verdict: 'error',
  },
  {
    situation: 'status 600 as condition',
    object: retries({ attempts: 10, perTryTimeout: '2s', retryOn: '600,connect-failure' }),
    verdict: 'error',
  },
  { situation: 'retryRemoteLocalities with attempts 0', object: retries({ attempts: 0, retryRemoteLocalities: false }), verdict: 'error' },
  // attempts left unset is 0 for Istio.
  {
    situation: 'perTryTimeout without attempts',
    object: retries({ perTryTimeout: '2s' }),
    verdict: 'error',
    field: 'spec.http[0].retries.perTryTimeout',
  },
  { situation: 'retryOn without attempts', object: retries({ retryOn: '5xx' }), verdict: 'error', field: 'spec.http[0].retries.retryOn' },
  { situation: 'retryRemoteLocalities without attempts', object: retries({ retryRemoteLocalities: true }), verdict: 'error' },
  { situation: 'an empty retryOn without attempts', object: retries({ retryOn: '' }), verdict: 'clean' },
];

const rewrite = (r: Record<string, unknown>) => routed({ rewrite: r });
const REGEX = { match: '^/service/([^/]+)(/.*)$', rewrite: '\\2/instance/\\1' };
const REWRITE: Situation[] = [
  { situation: 'uri and authority', object: rewrite({ uri: '/path/to/resource', authority: 'books.bank' }), verdict: 'clean' },
  { situation: 'uri', object: rewrite({ uri: '/path/to/resource' }), verdict: 'clean' },
  { situation: 'authority', object: rewrite({ authority: 'books.bank' }), verdict: 'clean' },
  { situation: 'uriRegexRewrite', object: rewrite({ uriRegexRewrite: REGEX }), verdict: 'clean' },
  { situation: 'uriRegexRewrite and authority', object: rewrite({ authority: 'books.bank', uriRegexRewrite: REGEX }), verdict: 'clean' },
  { situation: 'uriRegexRewrite and uri', object: rewrite({ uri: '/path/to/resource', uriRegexRewrite: REGEX }), verdict: 'error' },
  { situation: 'nothing', object: rewrite({}), verdict: 'error' },
  { situation: 'an empty uri only', object: rewrite({ uri: '' }), verdict: 'error' },
  { situation: 'an empty uri with uriRegexRewrite', object: rewrite({ uri: '', uriRegexRewrite: REGEX }), verdict: 'clean' },
  { situation: 'uriRegexRewrite without match', object: rewrite({ uriRegexRewrite: { rewrite: REGEX.rewrite } }), verdict: 'error' },
  { situation: 'uriRegexRewrite without rewrite', object: rewrite({ uriRegexRewrite: { match: REGEX.match } }), verdict: 'error' },
  {
    situation: 'uriRegexRewrite with an empty rewrite',
    object: rewrite({ uriRegexRewrite: { match: REGEX.match, rewrite: '' } }),
    verdict: 'error',
  },
  {
    situation: 'uriRegexRewrite with a broken regex',
    object: rewrite({ uriRegexRewrite: { match: '[', rewrite: '[' } }),
    verdict: 'error',
  },
];

const redirect = (r: Record<string, unknown>) => http({ redirect: r });
const REDIRECTS: Situation[] = [
  { situation: 'empty uri and authority', object: redirect({ uri: '', authority: '' }), verdict: 'error' },
  { situation: 'code 299', object: redirect({ uri: '/t', redirectCode: 299 }), verdict: 'error' },
  { situation: 'code 400', object: redirect({ uri: '/t', redirectCode: 400 }), verdict: 'error' },
  { situation: 'uri only', object: redirect({ uri: '/t', authority: '' }), verdict: 'clean' },
  { situation: 'authority only', object: redirect({ uri: '', authority: 'bank.example' }), verdict: 'clean' },
  { situation: 'code 0', object: redirect({ uri: '/t', authority: 'bank.example', redirectCode: 0 }), verdict: 'clean' },
  { situation: 'code 308', object: redirect({ uri: '/t', authority: 'bank.example', redirectCode: 308 }), verdict: 'clean' },
];

const direct = (d: Record<string, unknown>) => http({ directResponse: d });
const KB = 1024;
const DIRECT_RESPONSE: Situation[] = [
  { situation: 'status 200', object: direct({ status: 200 }), verdict: 'clean' },
  { situation: 'status 199', object: direct({ status: 199 }), verdict: 'error' },
  { situation: 'status 601', object: direct({ status: 601 }), verdict: 'error' },
  { situation: 'a short string body', object: direct({ status: 200, body: { string: 'hello' } }), verdict: 'clean' },
  { situation: 'a string body over 100 KiB', object: direct({ status: 200, body: { string: 'a'.repeat(101 * KB) } }), verdict: 'warning' },
  { situation: 'a string body over 1 MiB', object: direct({ status: 200, body: { string: 'a'.repeat(2 * KB * KB) } }), verdict: 'error' },
  {
    situation: 'a short bytes body',
    object: direct({ status: 200, body: { bytes: Buffer.from('hello').toString('base64') } }),
    verdict: 'clean',
  },
  {
    situation: 'a bytes body over 100 KiB',
    object: direct({ status: 200, body: { bytes: Buffer.from('a'.repeat(100 * KB + 1)).toString('base64') } }),
    verdict: 'warning',
  },
  {
    situation: 'a bytes body over 1 MiB',
    object: direct({ status: 200, body: { bytes: Buffer.from('a'.repeat(KB * KB + 1)).toString('base64') } }),
    verdict: 'error',
  },
];

const matchHeader = (name: string) => routed({ match: [{ headers: { [name]: { exact: 'v' } } }] });
const corsHeader = (name: string) => cors({ allowHeaders: [name] });
const HEADER_NAMES: Situation[] = [
  { situation: 'match on a plain name', object: matchHeader('header1'), verdict: 'clean' },
  { situation: 'match on a mixed-case name', object: matchHeader('X-Requested-With'), verdict: 'clean' },
  { situation: 'match on :authority', object: matchHeader(':authority'), verdict: 'clean' },
  { situation: 'match on token characters', object: matchHeader('funky!$#_'), verdict: 'clean' },
  { situation: "match on '::'", object: matchHeader('::'), verdict: 'error' },
  { situation: 'match on a name with a quote', object: matchHeader('illegal"char'), verdict: 'error' },
  { situation: 'CORS header with an underscore', object: corsHeader('x_bank'), verdict: 'clean' },
  { situation: "CORS header '*'", object: corsHeader('*'), verdict: 'clean' },
  { situation: 'CORS header :authority', object: corsHeader(':authority'), verdict: 'error' },
];

const value = (v: string) => headerOps('request', 'set', { 'x-bank': v });
const HEADER_VALUES: Situation[] = [
  { situation: 'a plain value', object: value('plain'), verdict: 'clean' },
  { situation: 'a variable', object: value('%HOSTNAME%'), verdict: 'clean' },
  { situation: "an escaped '%'", object: value('100%%'), verdict: 'clean' },
  { situation: 'a variable inside text', object: value('prefix %HOSTNAME% suffix'), verdict: 'clean' },
  {
    situation: 'a variable with a date format argument',
    object: value('%DOWNSTREAM_PEER_CERT_V_END(%b %d %H:%M:%S %Y %Z)%'),
    verdict: 'clean',
  },
  { situation: 'a variable with a dotted argument', object: value('%DYNAMIC_METADATA(com.bank.filter)%'), verdict: 'clean' },
  { situation: "a trailing lone '%'", object: value('%START_TIME%%'), verdict: 'error' },
  { situation: "a '%' never closed", object: value('abc%123'), verdict: 'error' },
];

const hostOf = (host: string) => vs({ hosts: [host], http: [{ route: ROUTE }] });
const sni = (host: string) => vs({ hosts: [host], gateways: ['bank/edge'], tls: [{ match: [{ sniHosts: [host] }], route: ROUTE }] });
const DOMAINS: Situation[] = [
  { situation: 'an empty host', object: hostOf(''), verdict: 'error' },
  { situation: 'a host of 256 characters', object: hostOf('x'.repeat(256)), verdict: 'error' },
  { situation: 'a label of 63 characters', object: hostOf('x'.repeat(63)), verdict: 'clean' },
  { situation: "'*.bank.com'", object: hostOf('*.bank.com'), verdict: 'clean' },
  { situation: "'*bank' (single label)", object: hostOf('*bank'), verdict: 'clean' },
  { situation: "'*bank.example.com'", object: hostOf('*bank.example.com'), verdict: 'clean' },
  { situation: "'*-bank.example.com'", object: hostOf('*-bank.example.com'), verdict: 'clean' },
  { situation: "'bank.*.com'", object: hostOf('bank.*.com'), verdict: 'error' },
  { situation: "'bank*.example.com'", object: hostOf('bank*.example.com'), verdict: 'error' },
  { situation: 'an IP address as VirtualService host', object: hostOf('1.1.1.1'), verdict: 'clean' },
  { situation: 'a cluster-name SNI host on a gateway', object: sni('outbound_.80_._.e2e.bank.mesh'), verdict: 'clean' },
  { situation: "'outbound.com' as SNI host on a gateway", object: sni('outbound.com'), verdict: 'clean' },
  { situation: 'a cluster-name SNI host with another direction', object: sni('neverbound_.80_._.e2e.bank.mesh'), verdict: 'error' },
  { situation: 'a cluster-name SNI host without a port', object: sni('outbound_.notAPort_._.e2e.bank.mesh'), verdict: 'error' },
  { situation: 'a cluster-name SNI host without a host', object: sni('outbound_.80_._'), verdict: 'error' },
];

const semantics = { annotations: { 'internal.istio.io/route-semantics': 'gateway' } };
const ROUTE_SEMANTICS: Situation[] = [
  {
    situation: 'a converted route naming a gateway with dots',
    object: vs({ gateways: ['bank/edge.istio-autogenerated-k8s-gateway'], http: [{ route: ROUTE }] }, semantics),
    verdict: 'clean',
  },
  {
    situation: 'the same gateway name without route semantics',
    object: vs({ gateways: ['bank/edge.istio-autogenerated-k8s-gateway'], http: [{ route: ROUTE }] }),
    verdict: 'error',
  },
  {
    situation: 'a converted route to a host Istio would refuse',
    object: vs({ http: [{ route: [to('bank/ledger')] }] }, semantics),
    verdict: 'clean',
  },
];

sameVerdicts('VirtualService', VIRTUAL_SERVICE);
sameVerdicts('chained VirtualServices', CHAINING);
sameVerdicts('root HTTP route', ROOT_ROUTE);
sameVerdicts('HTTP route', HTTP_ROUTE_BODY);
sameVerdicts('delegate HTTP route', DELEGATE_ROUTE);
sameVerdicts('destination', DESTINATION);
sameVerdicts('route destinations', ROUTE_DESTINATION);
sameVerdicts('CORS policy', CORS);
sameVerdicts('fault injection and HTTP status', FAULT);
sameVerdicts('retries', RETRY);
sameVerdicts('rewrite', REWRITE);
sameVerdicts('redirect', REDIRECTS);
sameVerdicts('direct response', DIRECT_RESPONSE);
sameVerdicts('header names', HEADER_NAMES);
sameVerdicts('header values', HEADER_VALUES);
sameVerdicts('hosts and SNI domains', DOMAINS);
sameVerdicts('VirtualService with route semantics', ROUTE_SEMANTICS);

// Istio's unit tests also accept a match list holding a null entry; the API server refuses null
// list items of a CRD before the webhook sees them, and so do we.
sameVerdicts('null list items (refused by the API server first)', [
  { situation: 'a match list with a null entry', object: routed({ match: [null] }), verdict: 'error', field: 'spec.http[0].match[0]' },
]);

// Istio judges SNI hosts as gateway-bound unless 'mesh' is among the gateways (none named included).
sameVerdicts('SNI hosts without gateways', [
  {
    situation: 'a cluster-name SNI host covered by a wildcard host, no gateways',
    object: vs({ hosts: ['*.bank.mesh'], tls: [{ match: [{ sniHosts: ['outbound_.80_._.ledger.bank.mesh'] }], route: ROUTE }] }),
    verdict: 'clean',
  },
  {
    situation: "the same with 'mesh' named",
    object: vs({
      hosts: ['*.bank.mesh'],
      gateways: ['mesh'],
      tls: [{ match: [{ sniHosts: ['outbound_.80_._.ledger.bank.mesh'] }], route: ROUTE }],
    }),
    verdict: 'error',
  },
]);

// Istio checks `percentage` but not the deprecated integer `percent` of a delay.
sameVerdicts('deprecated delay percent', [
  { situation: 'a delay percent of 150', object: delay({ percent: 150, fixedDelay: '3s' }), verdict: 'clean' },
  { situation: 'a delay percentage of 150', object: delay({ percentage: { value: 150 }, fixedDelay: '3s' }), verdict: 'error' },
]);
