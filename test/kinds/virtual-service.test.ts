import { MeshAnalysis } from '../../lib';
import { kindNamed, ruleBookProblems } from '../../lib/kinds/catalogue';
import { fixture } from './fixtures';
import { analyze, expectCase, parseYaml, RuleCase, variant } from './helpers';

const MESH = fixture('VirtualService', 'addedvalues');
const INGRESS = fixture('VirtualService', 'shop');

describe('VirtualService webhook rules: acceptance cases', () => {
  test('weight -1 is rejected naming the field', () => {
    const f = analyze(variant(MESH, { 'spec.http[1].route[0].weight': -1 }));
    expect(f.map((x) => x.message)).toEqual(['spec.http[1].route[0].weight (-1) must be >= 0']);
  });

  test("a header match named 'end user' is rejected naming the field", () => {
    const bad = variant(MESH, { 'spec.http[0].match[0].headers': { 'end user': { prefix: 'yunqi' } } });
    const f = analyze(bad);
    expect(f).toHaveLength(1);
    expect(f[0].field).toBe('spec.http[0].match[0].headers.end user');
    expect(f[0].message).toContain("('end user') is not a valid header name");
  });

  test('a regex with a lookahead is rejected naming the field', () => {
    const bad = variant(MESH, { 'spec.http[0].match[0].headers.end-user': { regex: '^(?=yunqi).*' } });
    const f = analyze(bad);
    expect(f).toHaveLength(1);
    expect(f[0].field).toBe('spec.http[0].match[0].headers.end-user.regex');
    expect(f[0].message).toContain('is not a valid RE2 regex');
  });

  test('the same regex problems are found in YAML input', () => {
    const [object] = parseYaml(`
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - match:
    - headers:
        cookie:
          regex: "^(.*?;)?(user=jason)(;.*)?$"
    route:
    - destination: {host: reviews, subset: v2}
  - match:
    - headers:
        cookie:
          regex: "^(.*?;)?(user=(?!jason))"
    route:
    - destination: {host: reviews, subset: v3}
`);
    expect(analyze(object).map((f) => f.field)).toEqual(['spec.http[1].match[0].headers.cookie.regex']);
  });
});

describe('VirtualService webhook rules: durations', () => {
  test('a sub-millisecond timeout is one finding in the mesh analysis: the rule book words it as the CRD rule does', () => {
    const object = variant(MESH, { 'spec.http[1].timeout': '0.5ms' });
    const findings = MeshAnalysis.analyze([{ object, source: { file: 'mesh.yaml' } }]).filter((f) => f.code === 'IST0106');
    expect(findings.map((f) => f.message)).toEqual(["spec.http[1].timeout ('0.5ms') must be a valid duration greater than 1ms"]);
    expect(ruleBookProblems(kindNamed('VirtualService'), object).errors.map((p) => p.path)).toEqual(['spec.http[1].timeout']);
  });
});

const V = (changes: Record<string, unknown>) => changes;
const CASES: (RuleCase & { base?: any })[] = [
  {
    rule: 'at least one of http, tcp, tls',
    bad: V({ 'spec.http': [] }),
    good: V({ 'spec.http': undefined, 'spec.tcp': [{ route: [{ destination: { host: 'addedvalues' } }] }] }),
    field: 'spec',
    message: 'needs at least one of http, tcp or tls',
  },
  {
    rule: 'hosts are valid wildcard domains',
    bad: V({ 'spec.hosts[0]': 'added_values' }),
    good: V({ 'spec.hosts[0]': 'addedvalues.bank.svc.cluster.local' }),
    field: 'spec.hosts[0]',
    message: "('added_values') is not a valid host",
  },
  {
    rule: 'host * only on gateways',
    bad: V({ 'spec.hosts[0]': '*' }),
    good: V({ 'spec.hosts[0]': '*', 'spec.gateways': ['shop-gateway'] }),
    field: 'spec.hosts[0]',
    message: 'is not allowed when the VirtualService applies to the mesh',
  },
  {
    rule: 'hosts may not overlap',
    bad: V({ 'spec.hosts': ['*.bank.example.com', 'a.bank.example.com'] }),
    good: V({ 'spec.hosts': ['*.bank.example.com', 'a.shop.example.com'] }),
    field: 'spec.hosts[1]',
    message: "overlaps spec.hosts[0] ('*.bank.example.com')",
  },
  {
    rule: 'gateway names: namespace/name with DNS labels',
    bad: V({ 'spec.gateways': ['istio_system/shop-gateway'] }),
    good: V({ 'spec.gateways': ['istio-system/shop-gateway'] }),
    field: 'spec.gateways[0]',
    message: "has an invalid namespace 'istio_system'",
  },
  {
    rule: 'gateway names: bare names are FQDN-like',
    bad: V({ 'spec.gateways': ['shop gateway'] }),
    good: V({ 'spec.gateways': ['shop-gateway'] }),
    field: 'spec.gateways[0]',
    message: 'is not a valid gateway name',
  },
  {
    rule: 'gateway names: legacy name.namespace warns',
    bad: V({ 'spec.gateways': ['shop-gateway.istio-system'] }),
    good: V({ 'spec.gateways': ['istio-system/shop-gateway'] }),
    field: 'spec.gateways[0]',
    message: "prefer 'istio-system/shop-gateway'",
    severity: 'warning',
  },
  {
    rule: 'match gateways are valid names',
    bad: V({ 'spec.http[0].match[0].gateways': ['a/b/c'] }),
    good: V({ 'spec.http[0].match[0].gateways': ['mesh'] }),
    field: 'spec.http[0].match[0].gateways[0]',
    message: "invalid gateway name 'b/c'",
  },
  {
    rule: 'JWT claim routing only on gateways',
    bad: V({ 'spec.http[0].match[0].headers': { '@request.auth.claims.group': { exact: 'vip' } } }),
    good: V({ 'spec.http[0].match[0].headers': { '@request.auth.claims.group': { exact: 'vip' } }, 'spec.gateways': ['shop-gateway'] }),
    field: 'spec.http[0].match[0].headers.@request.auth.claims.group',
    message: 'routes on a JWT claim',
  },
  {
    rule: 'delegate VS has no gateways',
    bad: V({ 'spec.hosts': undefined, 'spec.gateways': ['shop-gateway'] }),
    good: V({ 'spec.hosts': undefined }),
    field: 'spec.gateways',
    message: 'must be empty in a delegate VirtualService',
  },
  {
    rule: 'delegate VS has no tcp routes',
    bad: V({ 'spec.hosts': undefined, 'spec.tcp': [{ route: [{ destination: { host: 'addedvalues' } }] }] }),
    good: V({ 'spec.hosts': undefined }),
    field: 'spec.tcp',
    message: 'may only have http routes',
  },
  {
    rule: 'delegate VS has no tls routes',
    bad: V({
      'spec.hosts': undefined,
      'spec.tls': [{ match: [{ sniHosts: ['a.example.com'] }], route: [{ destination: { host: 'addedvalues' } }] }],
    }),
    good: V({ 'spec.hosts': undefined }),
    field: 'spec.tls',
    message: 'may only have http routes',
  },
  {
    rule: 'delegate VS routes cannot delegate again',
    bad: V({ 'spec.hosts': undefined, 'spec.http[0].delegate': { name: 'other' }, 'spec.http[0].route': undefined }),
    good: V({ 'spec.hosts': undefined }),
    field: 'spec.http[0].delegate',
    message: 'may not delegate again',
  },
  {
    rule: 'root route with delegate has no route',
    bad: V({ 'spec.http[0].delegate': { name: 'addedvalues-users' } }),
    good: V({ 'spec.http[0].delegate': { name: 'addedvalues-users' }, 'spec.http[0].route': undefined }),
    field: 'spec.http[0].route',
    message: 'a route with delegate may not also set route',
  },
  {
    rule: 'root route with delegate has no redirect',
    bad: V({
      'spec.http[0].delegate': { name: 'addedvalues-users' },
      'spec.http[0].route': undefined,
      'spec.http[0].redirect': { uri: '/x' },
    }),
    good: V({ 'spec.http[0].delegate': { name: 'addedvalues-users' }, 'spec.http[0].route': undefined }),
    field: 'spec.http[0].redirect',
    message: 'may not also set redirect',
  },
  {
    rule: 'an http route needs an action',
    bad: V({ 'spec.http[0].route': undefined }),
    good: V({ 'spec.http[0].route': undefined, 'spec.http[0].directResponse': { status: 403 } }),
    field: 'spec.http[0].route',
    message: 'an http route needs one action',
  },
  {
    rule: 'redirect excludes route',
    bad: V({ 'spec.http[0].redirect': { uri: '/v3' } }),
    good: V({ 'spec.http[0].redirect': { uri: '/v3' }, 'spec.http[0].route': undefined }),
    field: 'spec.http[0].route',
    message: 'may not be combined with redirect',
  },
  {
    rule: 'redirect excludes fault',
    bad: V({
      'spec.http[0].redirect': { uri: '/v3' },
      'spec.http[0].route': undefined,
      'spec.http[0].fault': { abort: { httpStatus: 500 } },
    }),
    good: V({ 'spec.http[0].redirect': { uri: '/v3' }, 'spec.http[0].route': undefined }),
    field: 'spec.http[0].fault',
    message: 'may not be combined with redirect',
  },
  {
    rule: 'redirect excludes rewrite',
    bad: V({ 'spec.http[0].redirect': { uri: '/v3' }, 'spec.http[0].route': undefined, 'spec.http[0].rewrite': { uri: '/' } }),
    good: V({ 'spec.http[0].redirect': { uri: '/v3' }, 'spec.http[0].route': undefined }),
    field: 'spec.http[0].rewrite',
    message: 'may not be combined with redirect',
  },
  {
    rule: 'redirect excludes directResponse',
    bad: V({ 'spec.http[0].redirect': { uri: '/v3' }, 'spec.http[0].route': undefined, 'spec.http[0].directResponse': { status: 200 } }),
    good: V({ 'spec.http[0].redirect': { uri: '/v3' }, 'spec.http[0].route': undefined }),
    field: 'spec.http[0].directResponse',
    message: 'may not be combined with redirect',
  },
  {
    rule: 'directResponse excludes route',
    bad: V({ 'spec.http[0].directResponse': { status: 503 } }),
    good: V({ 'spec.http[0].directResponse': { status: 503 }, 'spec.http[0].route': undefined }),
    field: 'spec.http[0].route',
    message: 'may not be combined with directResponse',
  },
  {
    rule: 'mirror and mirrors are exclusive',
    bad: V({ 'spec.http[1].mirror': { host: 'shadow' }, 'spec.http[1].mirrors': [{ destination: { host: 'shadow' } }] }),
    good: V({ 'spec.http[1].mirrors': [{ destination: { host: 'shadow' } }] }),
    field: 'spec.http[1].mirrors',
    message: 'mirror and mirrors are mutually exclusive',
  },
  {
    rule: 'header match value may not be null',
    bad: V({ 'spec.http[0].match[0].headers.end-user': null }),
    good: V({ 'spec.http[0].match[0].headers.end-user': {} }),
    field: 'spec.http[0].match[0].headers.end-user',
    message: 'header match may not be null',
  },
  {
    rule: 'header match name token or pseudo-header',
    bad: V({ 'spec.http[0].match[0].headers': { ':host': { exact: 'a' } } }),
    good: V({ 'spec.http[0].match[0].headers': { ':authority': { exact: 'a' } } }),
    field: 'spec.http[0].match[0].headers.:host',
    message: 'is not a valid header name',
  },
  {
    rule: 'withoutHeaders names are checked',
    bad: V({ 'spec.http[0].match[0].withoutHeaders': { 'x user': {} } }),
    good: V({ 'spec.http[0].match[0].withoutHeaders': { 'x-user': {} } }),
    field: 'spec.http[0].match[0].withoutHeaders.x user',
    message: 'is not a valid header name',
  },
  {
    rule: "withoutHeaders accepts regex '*' but not other bad regexes",
    bad: V({ 'spec.http[0].match[0].withoutHeaders': { 'x-user': { regex: '(' } } }),
    good: V({ 'spec.http[0].match[0].withoutHeaders': { 'x-user': { regex: '*' } } }),
    field: 'spec.http[0].match[0].withoutHeaders.x-user.regex',
    message: 'is not a valid RE2 regex',
  },
  {
    rule: 'regex at most 1024 characters',
    bad: V({ 'spec.http[0].match[0].uri': { regex: 'a'.repeat(1025) } }),
    good: V({ 'spec.http[0].match[0].uri': { regex: 'a'.repeat(1024) } }),
    field: 'spec.http[0].match[0].uri.regex',
    message: 'is longer than 1024 characters',
  },
  {
    rule: 'header prefix may not be empty',
    bad: V({ 'spec.http[0].match[0].headers.end-user': { prefix: '' } }),
    good: V({ 'spec.http[0].match[0].uri': { prefix: '' } }),
    field: 'spec.http[0].match[0].headers.end-user.prefix',
    message: 'may not be empty',
  },
  {
    rule: 'regex may not be empty (method)',
    bad: V({ 'spec.http[0].match[0].method': { regex: '' } }),
    good: V({ 'spec.http[0].match[0].method': { regex: 'GET|HEAD' } }),
    field: 'spec.http[0].match[0].method.regex',
    message: 'may not be empty',
  },
  {
    rule: 'query param regexes are RE2',
    bad: V({ 'spec.http[0].match[0].queryParams': { user: { regex: '(\\w+)\\1' } } }),
    good: V({ 'spec.http[0].match[0].queryParams': { user: { regex: '\\w+' } } }),
    field: 'spec.http[0].match[0].queryParams.user.regex',
    message: 'is not a valid RE2 regex',
  },
  {
    rule: 'match port 1..65535',
    bad: V({ 'spec.http[0].match[0].port': 70000 }),
    good: V({ 'spec.http[0].match[0].port': 9080 }),
    field: 'spec.http[0].match[0].port',
    message: '(70000) must be a port number between 1 and 65535',
  },
  {
    rule: 'match sourceLabels are valid labels',
    bad: V({ 'spec.http[0].match[0].sourceLabels': { app: 'product page' } }),
    good: V({ 'spec.http[0].match[0].sourceLabels': { app: 'productpage' } }),
    field: 'spec.http[0].match[0].sourceLabels.app',
    message: 'is not a valid label value',
  },
  {
    rule: 'match sourceLabels keys are valid',
    bad: V({ 'spec.http[0].match[0].sourceLabels': { 'app name': 'x' } }),
    good: V({ 'spec.http[0].match[0].sourceLabels': { 'app.kubernetes.io/name': 'x' } }),
    field: 'spec.http[0].match[0].sourceLabels.app name',
    message: 'is not a valid label key',
  },
  {
    rule: 'match sourceNamespace is a DNS label (upper case allowed, as Istio does)',
    bad: V({ 'spec.http[0].match[0].sourceNamespace': 'bank.eu' }),
    good: V({ 'spec.http[0].match[0].sourceNamespace': 'Bank' }),
    field: 'spec.http[0].match[0].sourceNamespace',
    message: 'must be a namespace name',
  },
  {
    rule: 'header operation names: no pseudo-headers on response',
    bad: V({ 'spec.http[1].headers.response.set': { ':status': '200' } }),
    good: V({ 'spec.http[1].headers.response.set': { 'x-served-by': 'mesh' } }),
    field: 'spec.http[1].headers.response.set.:status',
    message: 'may not be modified',
  },
  {
    rule: 'header operation names: request remove may not remove host',
    bad: V({ 'spec.http[1].headers.request.remove': ['Host'] }),
    good: V({ 'spec.http[1].headers.request.remove': ['x-debug'] }),
    field: 'spec.http[1].headers.request.remove[0]',
    message: 'may not be modified',
  },
  {
    rule: 'header operation names: not empty',
    bad: V({ 'spec.http[1].headers.request.add': { '': 'x' } }),
    good: V({ 'spec.http[1].headers.request.add': { 'x-a': 'x' } }),
    field: 'spec.http[1].headers.request.add.',
    message: 'header name may not be empty',
  },
  {
    rule: 'header operations per destination are checked too',
    bad: V({ 'spec.http[1].route[0].headers.request.set': { ':path': '/x' } }),
    good: V({ 'spec.http[1].route[0].headers.request.set': { ':authority': 'addedvalues.internal' } }),
    field: 'spec.http[1].route[0].headers.request.set.:path',
    message: 'may not be modified',
  },
  {
    rule: 'header values: lone %',
    bad: V({ 'spec.http[1].headers.request.set': { 'x-discount': '50%' } }),
    good: V({ 'spec.http[1].headers.request.set': { 'x-discount': '50%%' } }),
    field: 'spec.http[1].headers.request.set.x-discount',
    message: "ends with a lone '%'",
  },
  {
    rule: 'header values: unterminated variable',
    bad: V({ 'spec.http[1].headers.response.add': { 'x-up': '%UPSTREAM_HOST' } }),
    good: V({ 'spec.http[1].headers.response.add': { 'x-up': '%UPSTREAM_HOST% %REQ(x-user)%' } }),
    field: 'spec.http[1].headers.response.add.x-up',
    message: 'has an unterminated variable',
  },
  {
    rule: 'header values: no control characters',
    bad: V({ 'spec.http[1].headers.response.add': { 'x-a': 'a\nb' } }),
    good: V({ 'spec.http[1].headers.response.add': { 'x-a': 'a\tb' } }),
    field: 'spec.http[1].headers.response.add.x-a',
    message: 'contains control characters',
  },
  {
    rule: 'authority rewritten only once',
    bad: V({ 'spec.http[1].rewrite': { authority: 'a.internal' }, 'spec.http[1].headers.request.set': { host: 'b.internal' } }),
    good: V({ 'spec.http[1].headers.request.set': { host: 'b.internal' } }),
    field: 'spec.http[1].headers.request.set.host',
    message: 'rewrites the authority a second time (already set by spec.http[1].rewrite.authority)',
  },
  {
    rule: 'rewrite: not both uri and uriRegexRewrite',
    bad: V({ 'spec.http[1].rewrite': { uri: '/', uriRegexRewrite: { match: '^/v1', rewrite: '/' } } }),
    good: V({ 'spec.http[1].rewrite': { uriRegexRewrite: { match: '^/v1', rewrite: '/' } } }),
    field: 'spec.http[1].rewrite',
    message: 'may not set both uri and uriRegexRewrite',
  },
  {
    rule: 'rewrite: sets something',
    bad: V({ 'spec.http[1].rewrite': {} }),
    good: V({ 'spec.http[1].rewrite': { uri: '/' } }),
    field: 'spec.http[1].rewrite',
    message: 'must set at least one of uri, uriRegexRewrite or authority',
  },
  {
    rule: 'rewrite: uriRegexRewrite needs match',
    bad: V({ 'spec.http[1].rewrite': { uriRegexRewrite: { rewrite: '/' } } }),
    good: V({ 'spec.http[1].rewrite': { uriRegexRewrite: { match: '^/v1', rewrite: '/' } } }),
    field: 'spec.http[1].rewrite.uriRegexRewrite.match',
    message: 'is required with uriRegexRewrite',
  },
  {
    rule: 'rewrite: uriRegexRewrite needs rewrite',
    bad: V({ 'spec.http[1].rewrite': { uriRegexRewrite: { match: '^/v1' } } }),
    good: V({ 'spec.http[1].rewrite': { uriRegexRewrite: { match: '^/v1', rewrite: '/' } } }),
    field: 'spec.http[1].rewrite.uriRegexRewrite.rewrite',
    message: 'is required with uriRegexRewrite',
  },
  {
    rule: 'rewrite: uriRegexRewrite match is RE2',
    bad: V({ 'spec.http[1].rewrite': { uriRegexRewrite: { match: '^/(?<!x)v1', rewrite: '/' } } }),
    good: V({ 'spec.http[1].rewrite': { uriRegexRewrite: { match: '^/(?P<v>v1)', rewrite: '/' } } }),
    field: 'spec.http[1].rewrite.uriRegexRewrite.match',
    message: 'is not a valid RE2 regex',
  },
  {
    rule: 'redirect changes something',
    bad: V({ 'spec.http[0].route': undefined, 'spec.http[0].redirect': { redirectCode: 301 } }),
    good: V({ 'spec.http[0].route': undefined, 'spec.http[0].redirect': { redirectCode: 301, derivePort: 'FROM_REQUEST_PORT' } }),
    field: 'spec.http[0].redirect',
    message: 'must change at least one of uri, authority, scheme or port',
  },
  {
    rule: 'redirect code 3xx',
    bad: V({ 'spec.http[0].route': undefined, 'spec.http[0].redirect': { uri: '/v3', redirectCode: 200 } }),
    good: V({ 'spec.http[0].route': undefined, 'spec.http[0].redirect': { uri: '/v3', redirectCode: 308 } }),
    field: 'spec.http[0].redirect.redirectCode',
    message: 'must be a 3xx status',
  },
  {
    rule: 'redirect scheme http or https',
    bad: V({ 'spec.http[0].route': undefined, 'spec.http[0].redirect': { scheme: 'ftp' } }),
    good: V({ 'spec.http[0].route': undefined, 'spec.http[0].redirect': { scheme: 'https' } }),
    field: 'spec.http[0].redirect.scheme',
    message: "must be 'http' or 'https'",
  },
  {
    rule: 'redirect port 1..65535',
    bad: V({ 'spec.http[0].route': undefined, 'spec.http[0].redirect': { port: 70000 } }),
    good: V({ 'spec.http[0].route': undefined, 'spec.http[0].redirect': { port: 8443 } }),
    field: 'spec.http[0].redirect.port',
    message: 'must be a port number between 1 and 65535',
  },
  {
    rule: 'directResponse status 200..599',
    bad: V({ 'spec.http[0].route': undefined, 'spec.http[0].directResponse': { status: 199 } }),
    good: V({ 'spec.http[0].route': undefined, 'spec.http[0].directResponse': { status: 204 } }),
    field: 'spec.http[0].directResponse.status',
    message: 'must be an HTTP status between 200 and 599',
  },
  {
    rule: 'directResponse body over 1 MiB is rejected',
    bad: V({
      'spec.http[0].route': undefined,
      'spec.http[0].directResponse': { status: 200, body: { string: 'x'.repeat(1024 * 1024 + 1) } },
    }),
    good: V({ 'spec.http[0].route': undefined, 'spec.http[0].directResponse': { status: 200, body: { string: 'x'.repeat(1024) } } }),
    field: 'spec.http[0].directResponse.body.string',
    message: 'at most 1 MiB is allowed',
  },
  {
    rule: 'directResponse body over 100 KiB warns',
    bad: V({
      'spec.http[0].route': undefined,
      'spec.http[0].directResponse': { status: 200, body: { string: 'x'.repeat(100 * 1024 + 1) } },
    }),
    good: V({ 'spec.http[0].route': undefined, 'spec.http[0].directResponse': { status: 200, body: { string: 'x'.repeat(100 * 1024) } } }),
    field: 'spec.http[0].directResponse.body.string',
    message: 'bodies over 100 KiB',
    severity: 'warning',
  },
  {
    rule: 'retries: attempts >= 0',
    bad: V({ 'spec.http[1].retries': { attempts: -1 } }),
    good: V({ 'spec.http[1].retries': { attempts: 0 } }),
    field: 'spec.http[1].retries.attempts',
    message: '(-1) must be >= 0',
  },
  {
    rule: 'retries: nothing else with attempts 0',
    bad: V({ 'spec.http[1].retries': { attempts: 0, perTryTimeout: '2s' } }),
    good: V({ 'spec.http[1].retries': { attempts: 1, perTryTimeout: '2s' } }),
    field: 'spec.http[1].retries.perTryTimeout',
    message: 'may not be set when attempts is 0',
  },
  {
    rule: 'retries: retryOn conditions',
    bad: V({ 'spec.http[1].retries': { attempts: 2, retryOn: 'gateway-error,5xx,timeout' } }),
    good: V({ 'spec.http[1].retries': { attempts: 2, retryOn: 'gateway-error,5xx,503,reset-before-request' } }),
    field: 'spec.http[1].retries.retryOn',
    message: "unknown retry condition 'timeout'",
  },
  {
    rule: 'retries: a numeric retryOn entry must be a status code Go names',
    bad: V({ 'spec.http[1].retries': { attempts: 2, retryOn: '5xx,599' } }),
    good: V({ 'spec.http[1].retries': { attempts: 2, retryOn: '5xx,511,418' } }),
    field: 'spec.http[1].retries.retryOn',
    message: "unknown retry condition '599'",
  },
  {
    rule: 'retries: retryOn entries are not trimmed',
    bad: V({ 'spec.http[1].retries': { attempts: 2, retryOn: '5xx, reset' } }),
    good: V({ 'spec.http[1].retries': { attempts: 2, retryOn: '5xx,reset' } }),
    field: 'spec.http[1].retries.retryOn',
    message: "unknown retry condition ' reset'",
  },
  {
    rule: 'retries: an empty retryOn entry is unknown',
    bad: V({ 'spec.http[1].retries': { attempts: 2, retryOn: '5xx,' } }),
    good: V({ 'spec.http[1].retries': { attempts: 2, retryOn: '5xx' } }),
    field: 'spec.http[1].retries.retryOn',
    message: "unknown retry condition ''",
  },
  {
    rule: 'retries: perTryTimeout at least 1ms',
    bad: V({ 'spec.http[1].retries': { attempts: 2, perTryTimeout: '0.5ms' } }),
    good: V({ 'spec.http[1].retries': { attempts: 2, perTryTimeout: '1ms' } }),
    field: 'spec.http[1].retries.perTryTimeout',
    message: 'must be a valid duration greater than 1ms',
  },
  {
    rule: 'retries: perTryTimeout whole milliseconds',
    bad: V({ 'spec.http[1].retries': { attempts: 2, perTryTimeout: '1.5ms' } }),
    good: V({ 'spec.http[1].retries': { attempts: 2, perTryTimeout: '1500ms' } }),
    field: 'spec.http[1].retries.perTryTimeout',
    message: 'must be a whole number of milliseconds',
  },
  {
    rule: 'timeout at least 1ms',
    bad: V({ 'spec.http[1].timeout': '0s' }),
    good: V({ 'spec.http[1].timeout': '1ms' }),
    field: 'spec.http[1].timeout',
    message: "('0s') must be a valid duration greater than 1ms",
  },
  {
    rule: 'timeout whole milliseconds',
    bad: V({ 'spec.http[1].timeout': '2.0005s' }),
    good: V({ 'spec.http[1].timeout': '2.005s' }),
    field: 'spec.http[1].timeout',
    message: 'must be a whole number of milliseconds',
  },
  {
    rule: 'fault needs abort or delay',
    bad: V({ 'spec.http[1].fault': {} }),
    good: V({ 'spec.http[1].fault': { delay: { fixedDelay: '5s', percentage: { value: 10 } } } }),
    field: 'spec.http[1].fault',
    message: 'a fault needs abort and/or delay',
  },
  {
    rule: 'fault percentage 0..100',
    bad: V({ 'spec.http[1].fault': { abort: { httpStatus: 503, percentage: { value: 120 } } } }),
    good: V({ 'spec.http[1].fault': { abort: { httpStatus: 503, percentage: { value: 100 } } } }),
    field: 'spec.http[1].fault.abort.percentage.value',
    message: 'must be between 0 and 100',
  },
  {
    rule: 'fault percentage precision',
    bad: V({ 'spec.http[1].fault': { delay: { fixedDelay: '1s', percentage: { value: 0.00001 } } } }),
    good: V({ 'spec.http[1].fault': { delay: { fixedDelay: '1s', percentage: { value: 0.0001 } } } }),
    field: 'spec.http[1].fault.delay.percentage.value',
    message: 'must be 0 or at least 0.0001',
  },
  {
    rule: 'fault abort httpStatus 200..599',
    bad: V({ 'spec.http[1].fault': { abort: { httpStatus: 700 } } }),
    good: V({ 'spec.http[1].fault': { abort: { httpStatus: 503 } } }),
    field: 'spec.http[1].fault.abort.httpStatus',
    message: 'must be an HTTP status between 200 and 599',
  },
  {
    rule: 'fault abort grpcStatus is a code name',
    bad: V({ 'spec.http[1].fault': { abort: { grpcStatus: 'NOTFOUND' } } }),
    good: V({ 'spec.http[1].fault': { abort: { grpcStatus: 'NOT_FOUND' } } }),
    field: 'spec.http[1].fault.abort.grpcStatus',
    message: 'is not a gRPC status name',
  },
  {
    rule: 'fault abort http2Error unsupported',
    bad: V({ 'spec.http[1].fault': { abort: { http2Error: 'REFUSED_STREAM' } } }),
    good: V({ 'spec.http[1].fault': { abort: { httpStatus: 500 } } }),
    field: 'spec.http[1].fault.abort.http2Error',
    message: 'is not supported by Istio',
  },
  {
    rule: 'fault exponentialDelay unsupported',
    bad: V({ 'spec.http[1].fault': { delay: { exponentialDelay: '1s' } } }),
    good: V({ 'spec.http[1].fault': { delay: { fixedDelay: '1s' } } }),
    field: 'spec.http[1].fault.delay.exponentialDelay',
    message: 'is not supported by Istio',
  },
  {
    rule: 'fault fixedDelay whole milliseconds',
    bad: V({ 'spec.http[1].fault': { delay: { fixedDelay: '1.25ms' } } }),
    good: V({ 'spec.http[1].fault': { delay: { fixedDelay: '2ms' } } }),
    field: 'spec.http[1].fault.delay.fixedDelay',
    message: 'must be a whole number of milliseconds',
  },
  {
    rule: 'mirrorPercentage 0..100',
    bad: V({ 'spec.http[1].mirror': { host: 'shadow' }, 'spec.http[1].mirrorPercentage': { value: 101 } }),
    good: V({ 'spec.http[1].mirror': { host: 'shadow' }, 'spec.http[1].mirrorPercentage': { value: 100 } }),
    field: 'spec.http[1].mirrorPercentage.value',
    message: 'must be between 0 and 100',
  },
  {
    rule: 'mirrorPercent is deprecated',
    bad: V({ 'spec.http[1].mirror': { host: 'shadow' }, 'spec.http[1].mirrorPercent': 50 }),
    good: V({ 'spec.http[1].mirror': { host: 'shadow' }, 'spec.http[1].mirrorPercentage': { value: 50 } }),
    field: 'spec.http[1].mirrorPercent',
    message: 'is deprecated; use mirrorPercentage',
    severity: 'warning',
  },
  {
    rule: 'mirrorPercent at most 100',
    bad: V({ 'spec.http[1].mirror': { host: 'shadow' }, 'spec.http[1].mirrorPercent': 150 }),
    good: V({ 'spec.http[1].mirror': { host: 'shadow' } }),
    field: 'spec.http[1].mirrorPercent',
    message: 'must be at most 100',
  },
  {
    rule: 'mirrors percentage 0..100',
    bad: V({ 'spec.http[1].mirrors': [{ destination: { host: 'shadow' }, percentage: { value: -1 } }] }),
    good: V({ 'spec.http[1].mirrors': [{ destination: { host: 'shadow' }, percentage: { value: 1 } }] }),
    field: 'spec.http[1].mirrors[0].percentage.value',
    message: 'must be between 0 and 100',
  },
  {
    rule: 'mirror destination host valid',
    bad: V({ 'spec.http[1].mirror': { host: '*' } }),
    good: V({ 'spec.http[1].mirror': { host: 'shadow' } }),
    field: 'spec.http[1].mirror.host',
    message: 'may not be a wildcard',
  },
  {
    rule: 'corsPolicy: allowOrigins set a value',
    bad: V({ 'spec.http[1].corsPolicy': { allowOrigins: [{ exact: '' }] } }),
    good: V({ 'spec.http[1].corsPolicy': { allowOrigins: [{ exact: 'https://bank.example.com' }] } }),
    field: 'spec.http[1].corsPolicy.allowOrigins[0]',
    message: 'must set a non-empty exact, prefix or regex',
  },
  {
    rule: 'corsPolicy: allowOrigins regex RE2',
    bad: V({ 'spec.http[1].corsPolicy': { allowOrigins: [{ regex: 'https://(?!evil).*' }] } }),
    good: V({ 'spec.http[1].corsPolicy': { allowOrigins: [{ regex: 'https://.*\\.example\\.com' }] } }),
    field: 'spec.http[1].corsPolicy.allowOrigins[0].regex',
    message: 'is not a valid RE2 regex',
  },
  {
    rule: 'corsPolicy: allowMethods are HTTP methods',
    bad: V({ 'spec.http[1].corsPolicy': { allowMethods: ['get'] } }),
    good: V({ 'spec.http[1].corsPolicy': { allowMethods: ['GET', '*'] } }),
    field: 'spec.http[1].corsPolicy.allowMethods[0]',
    message: 'is not an HTTP method',
  },
  {
    rule: 'corsPolicy: allowHeaders are tokens',
    bad: V({ 'spec.http[1].corsPolicy': { allowHeaders: ['x user'] } }),
    good: V({ 'spec.http[1].corsPolicy': { allowHeaders: ['x-user', '*'] } }),
    field: 'spec.http[1].corsPolicy.allowHeaders[0]',
    message: 'is not a valid header name',
  },
  {
    rule: 'corsPolicy: exposeHeaders are tokens',
    bad: V({ 'spec.http[1].corsPolicy': { exposeHeaders: ['x:y'] } }),
    good: V({ 'spec.http[1].corsPolicy': { exposeHeaders: ['x-y'] } }),
    field: 'spec.http[1].corsPolicy.exposeHeaders[0]',
    message: 'is not a valid header name',
  },
  {
    rule: 'corsPolicy: maxAge at least 1ms',
    bad: V({ 'spec.http[1].corsPolicy': { maxAge: '0s' } }),
    good: V({ 'spec.http[1].corsPolicy': { maxAge: '1s' } }),
    field: 'spec.http[1].corsPolicy.maxAge',
    message: 'must be a valid duration greater than 1ms',
  },
  {
    rule: 'corsPolicy: maxAge whole seconds',
    bad: V({ 'spec.http[1].corsPolicy': { maxAge: '1500ms' } }),
    good: V({ 'spec.http[1].corsPolicy': { maxAge: '24h' } }),
    field: 'spec.http[1].corsPolicy.maxAge',
    message: 'must be a whole number of seconds',
  },
  {
    rule: 'weights: total > 0 with several destinations',
    bad: V({ 'spec.http[1].route[0].weight': 0, 'spec.http[1].route[1].weight': 0 }),
    good: V({ 'spec.http[1].route[0].weight': 0, 'spec.http[1].route[1].weight': 100 }),
    field: 'spec.http[1].route',
    message: 'weights add up to 0',
  },
  {
    rule: 'destination host is not *',
    bad: V({ 'spec.http[0].route[0].destination.host': '*' }),
    good: V({ 'spec.http[0].route[0].destination.host': 'addedvalues.bank.svc.cluster.local' }),
    field: 'spec.http[0].route[0].destination.host',
    message: 'may not be a wildcard',
  },
  {
    rule: 'destination host valid',
    bad: V({ 'spec.http[0].route[0].destination.host': 'added values' }),
    good: V({ 'spec.http[0].route[0].destination.host': 'addedvalues' }),
    field: 'spec.http[0].route[0].destination.host',
    message: 'is not a valid host',
  },
  {
    rule: 'destination subset is a DNS label (upper case allowed, as Istio does)',
    bad: V({ 'spec.http[0].route[0].destination.subset': 'v3_canary' }),
    good: V({ 'spec.http[0].route[0].destination.subset': 'V3-canary' }),
    field: 'spec.http[0].route[0].destination.subset',
    message: 'must be a DNS-1123 label',
  },
  {
    rule: 'destination port 1..65535',
    bad: V({ 'spec.http[0].route[0].destination.port': { number: 0 } }),
    good: V({ 'spec.http[0].route[0].destination.port': { number: 9080 } }),
    field: 'spec.http[0].route[0].destination.port.number',
    message: 'must be a port number between 1 and 65535',
  },
  {
    rule: 'exportTo entries are ., * or namespaces (upper case allowed, as Istio does)',
    bad: V({ 'spec.exportTo': ['bank.eu'] }),
    good: V({ 'spec.exportTo': ['Bank'] }),
    field: 'spec.exportTo[0]',
    message: "must be '.', '*' or a namespace name",
  },
  {
    rule: 'exportTo has no duplicates',
    bad: V({ 'metadata.namespace': 'bank', 'spec.exportTo': ['.', 'bank'] }),
    good: V({ 'metadata.namespace': 'bank', 'spec.exportTo': ['.', 'shop'] }),
    field: 'spec.exportTo[1]',
    message: 'is a duplicate entry',
  },
  {
    rule: 'exportTo * is alone',
    bad: V({ 'spec.exportTo': ['*', 'bank'] }),
    good: V({ 'spec.exportTo': ['*'] }),
    field: 'spec.exportTo',
    message: "may not combine '*' with other entries",
  },
  {
    rule: 'exportTo ~ only for ServiceEntry',
    bad: V({ 'spec.exportTo': ['~'] }),
    good: V({ 'spec.exportTo': ['.'] }),
    field: 'spec.exportTo[0]',
    message: 'is only allowed in a ServiceEntry',
  },
  {
    rule: 'metadata: istio.io/dry-run only on AuthorizationPolicy',
    bad: V({ 'metadata.annotations': { 'istio.io/dry-run': 'true' } }),
    good: V({ 'metadata.annotations': { 'istio.io/rev': 'canary' } }),
    field: 'metadata.annotations.istio.io/dry-run',
    message: 'is only allowed on AuthorizationPolicy',
  },
  {
    rule: 'metadata: internal annotations rejected',
    bad: V({ 'metadata.annotations': { 'internal.istio.io/parents': 'x' } }),
    good: V({ 'metadata.annotations': { 'example.com/owner': 'x' } }),
    field: 'metadata.annotations.internal.istio.io/parents',
    message: 'is reserved for Istio internals',
  },
  {
    rule: 'tcp route needs a destination',
    bad: V({ 'spec.http': undefined, 'spec.tcp': [{ match: [{ port: 3306 }], route: [] }] }),
    good: V({ 'spec.http': undefined, 'spec.tcp': [{ match: [{ port: 3306 }], route: [{ destination: { host: 'db' } }] }] }),
    field: 'spec.tcp[0].route',
    message: 'a TCP route needs at least one destination',
  },
  {
    rule: 'tcp match destinationSubnets are IP/CIDR',
    bad: V({
      'spec.http': undefined,
      'spec.tcp': [{ match: [{ destinationSubnets: ['10.0.0.0/33'] }], route: [{ destination: { host: 'db' } }] }],
    }),
    good: V({
      'spec.http': undefined,
      'spec.tcp': [{ match: [{ destinationSubnets: ['10.0.0.0/8'] }], route: [{ destination: { host: 'db' } }] }],
    }),
    field: 'spec.tcp[0].match[0].destinationSubnets[0]',
    message: 'must be an IP address or CIDR block',
  },
  {
    rule: 'tcp match port 1..65535',
    bad: V({ 'spec.http': undefined, 'spec.tcp': [{ match: [{ port: 65536 }], route: [{ destination: { host: 'db' } }] }] }),
    good: V({ 'spec.http': undefined, 'spec.tcp': [{ match: [{ port: 65535 }], route: [{ destination: { host: 'db' } }] }] }),
    field: 'spec.tcp[0].match[0].port',
    message: 'must be a port number between 1 and 65535',
  },
  {
    rule: 'tcp route weights >= 0',
    bad: V({ 'spec.http': undefined, 'spec.tcp': [{ route: [{ destination: { host: 'db' }, weight: -5 }] }] }),
    good: V({ 'spec.http': undefined, 'spec.tcp': [{ route: [{ destination: { host: 'db' }, weight: 5 }] }] }),
    field: 'spec.tcp[0].route[0].weight',
    message: 'must be >= 0',
  },
];

const ACCEPTED: { rule: string; changes: Record<string, unknown> }[] = [
  {
    rule: 'redirect port 0 reads as unset',
    changes: V({ 'spec.http[0].route': undefined, 'spec.http[0].redirect': { uri: '/v3', port: 0 } }),
  },
  { rule: 'match port 0 reads as any port', changes: V({ 'spec.http[0].match[0].port': 0 }) },
  {
    rule: 'directResponse status 600 (Istio allows up to 600)',
    changes: V({ 'spec.http[0].route': undefined, 'spec.http[0].directResponse': { status: 600 } }),
  },
  {
    rule: "a destination's authority header beside rewrite.authority (Istio compares the route's headers only)",
    changes: V({
      'spec.http[1].rewrite': { authority: 'a.internal' },
      'spec.http[1].route[0].headers.request.set': { ':authority': 'b.internal' },
    }),
  },
  { rule: 'legacy gateway name.namespace only warns', changes: V({ 'spec.gateways': ['shop-gateway.istio-system'] }) },
];

const TLS_BASE = {
  'spec.hosts': ['*.bank.example.com'],
  'spec.http': undefined,
  'spec.gateways': ['shop-gateway'],
};
const TLS_CASES: RuleCase[] = [
  {
    rule: 'tls route needs a match',
    bad: { ...TLS_BASE, 'spec.tls': [{ match: [], route: [{ destination: { host: 'vault' } }] }] },
    good: { ...TLS_BASE, 'spec.tls': [{ match: [{ sniHosts: ['vault.bank.example.com'] }], route: [{ destination: { host: 'vault' } }] }] },
    field: 'spec.tls[0].match',
    message: 'needs at least one match with sniHosts',
  },
  {
    rule: 'tls match needs sniHosts',
    bad: { ...TLS_BASE, 'spec.tls': [{ match: [{ sniHosts: [] }], route: [{ destination: { host: 'vault' } }] }] },
    good: { ...TLS_BASE, 'spec.tls': [{ match: [{ sniHosts: ['*.bank.example.com'] }], route: [{ destination: { host: 'vault' } }] }] },
    field: 'spec.tls[0].match[0].sniHosts',
    message: 'needs at least one SNI host',
  },
  {
    rule: 'tls route needs a destination',
    bad: { ...TLS_BASE, 'spec.tls': [{ match: [{ sniHosts: ['vault.bank.example.com'] }], route: [] }] },
    good: { ...TLS_BASE, 'spec.tls': [{ match: [{ sniHosts: ['vault.bank.example.com'] }], route: [{ destination: { host: 'vault' } }] }] },
    field: 'spec.tls[0].route',
    message: 'a TLS route needs at least one destination',
  },
  {
    rule: 'sni host covered by the VS hosts',
    bad: { ...TLS_BASE, 'spec.tls': [{ match: [{ sniHosts: ['vault.shop.example.com'] }], route: [{ destination: { host: 'vault' } }] }] },
    good: { ...TLS_BASE, 'spec.tls': [{ match: [{ sniHosts: ['vault.bank.example.com'] }], route: [{ destination: { host: 'vault' } }] }] },
    field: 'spec.tls[0].match[0].sniHosts[0]',
    message: 'is not covered by any of the VirtualService hosts',
  },
  {
    rule: 'sni host that is an IP warns',
    bad: {
      ...TLS_BASE,
      'spec.hosts': ['*.bank.example.com', '10.0.0.1'],
      'spec.tls': [{ match: [{ sniHosts: ['10.0.0.1'] }], route: [{ destination: { host: 'vault' } }] }],
    },
    good: { ...TLS_BASE, 'spec.tls': [{ match: [{ sniHosts: ['vault.bank.example.com'] }], route: [{ destination: { host: 'vault' } }] }] },
    field: 'spec.tls[0].match[0].sniHosts[0]',
    message: 'is an IP address',
    severity: 'warning',
  },
  {
    rule: 'sni host is a valid host',
    bad: { ...TLS_BASE, 'spec.tls': [{ match: [{ sniHosts: ['vault..bank.example.com'] }], route: [{ destination: { host: 'vault' } }] }] },
    good: { ...TLS_BASE, 'spec.tls': [{ match: [{ sniHosts: ['vault.bank.example.com'] }], route: [{ destination: { host: 'vault' } }] }] },
    field: 'spec.tls[0].match[0].sniHosts[0]',
    message: 'is not a valid host name',
  },
  {
    rule: 'tls match sourceLabels valid',
    bad: {
      ...TLS_BASE,
      'spec.tls': [
        { match: [{ sniHosts: ['a.bank.example.com'], sourceLabels: { app: '-x' } }], route: [{ destination: { host: 'vault' } }] },
      ],
    },
    good: {
      ...TLS_BASE,
      'spec.tls': [
        { match: [{ sniHosts: ['a.bank.example.com'], sourceLabels: { app: 'x' } }], route: [{ destination: { host: 'vault' } }] },
      ],
    },
    field: 'spec.tls[0].match[0].sourceLabels.app',
    message: 'is not a valid label value',
  },
  {
    rule: 'gateway-bound TLS VS accepts outbound_ hosts',
    bad: {
      ...TLS_BASE,
      'spec.hosts': ['outbound_.443_._.vault.bank.example.com'],
      'spec.gateways': ['mesh'],
      'spec.tls': [{ match: [{ sniHosts: ['outbound_.443_._.vault.bank.example.com'] }], route: [{ destination: { host: 'vault' } }] }],
    },
    good: {
      ...TLS_BASE,
      'spec.hosts': ['outbound_.443_._.vault.bank.example.com'],
      'spec.tls': [{ match: [{ sniHosts: ['outbound_.443_._.vault.bank.example.com'] }], route: [{ destination: { host: 'vault' } }] }],
    },
    field: 'spec.hosts[0]',
    message: 'is not a valid host',
  },
];

describe('VirtualService webhook rules: one case per rule', () => {
  test('Bookinfo-shaped VirtualServices have no findings', () => {
    expect(analyze(MESH)).toEqual([]);
    expect(analyze(INGRESS)).toEqual([]);
  });

  test.each(CASES.map((c) => [c.rule, c] as const))('%s', (_rule, c) => expectCase(MESH, c));
  test.each(ACCEPTED.map((c) => [c.rule, c] as const))('accepted: %s', (_rule, c) => {
    expect(analyze(variant(MESH, c.changes)).filter((f) => f.severity === 'error')).toEqual([]);
  });
  test.each(TLS_CASES.map((c) => [c.rule, c] as const))('%s', (_rule, c) => expectCase(MESH, c));
});
