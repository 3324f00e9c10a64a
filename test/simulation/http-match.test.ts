import { shopWithReviewsRules, toReviews } from '../fixtures/simulation/mesh';
import { RouteOutcome, SimulatedRequest } from '../../lib';

// One rule with the given match routes to v2, a catch-all to v1: the subset says whether it matched.
function subsetFor(match: any, request: Partial<SimulatedRequest>): string | undefined {
  const sim = shopWithReviewsRules([{ match: [match], route: [toReviews('v2')] }, { route: [toReviews('v1')] }]);
  const d = sim.request({ host: 'reviews', sourceNamespace: 'shop', ...request });
  expect(d.outcome).toBe(RouteOutcome.ROUTED);
  return d.destinations[0].subset;
}
const matches = (match: any, request: Partial<SimulatedRequest>) => subsetFor(match, request) === 'v2';

describe('uri', () => {
  test('exact compares the whole path, without the query string', () => {
    expect(matches({ uri: { exact: '/login' } }, { uri: '/login' })).toBe(true);
    expect(matches({ uri: { exact: '/login' } }, { uri: '/login?next=/' })).toBe(true);
    expect(matches({ uri: { exact: '/login' } }, { uri: '/login/' })).toBe(false);
    expect(matches({ uri: { exact: '/login' } }, { uri: '/Login' })).toBe(false);
  });
  test('prefix compares the start of the path, byte for byte', () => {
    expect(matches({ uri: { prefix: '/api' } }, { uri: '/api' })).toBe(true);
    expect(matches({ uri: { prefix: '/api' } }, { uri: '/apis/x' })).toBe(true);
    expect(matches({ uri: { prefix: '/api' } }, { uri: '/API/x' })).toBe(false);
    expect(matches({ uri: { prefix: '/api' } }, { uri: '/v1/api' })).toBe(false);
  });
  test('regex is RE2 and must match the whole path', () => {
    expect(matches({ uri: { regex: '/users(/.*)?' } }, { uri: '/users/42' })).toBe(true);
    expect(matches({ uri: { regex: '/users(/.*)?' } }, { uri: '/users' })).toBe(true);
    expect(matches({ uri: { regex: '/users' } }, { uri: '/users/42' })).toBe(false);
    expect(matches({ uri: { regex: 'users' } }, { uri: '/users' })).toBe(false);
  });
  test('ignoreUriCase makes exact and prefix case-insensitive', () => {
    expect(matches({ uri: { prefix: '/api' }, ignoreUriCase: true }, { uri: '/API/x' })).toBe(true);
    expect(matches({ uri: { exact: '/Login' }, ignoreUriCase: true }, { uri: '/LOGIN' })).toBe(true);
  });
  test('ignoreUriCase does not apply to regex (Envoy ignores case_sensitive for safe_regex)', () => {
    expect(matches({ uri: { regex: '/api/.*' }, ignoreUriCase: true }, { uri: '/API/x' })).toBe(false);
  });
});

describe('scheme, method, authority', () => {
  test('scheme is compared with the request scheme', () => {
    expect(matches({ scheme: { exact: 'https' } }, { scheme: 'https' })).toBe(true);
    expect(matches({ scheme: { exact: 'https' } }, {})).toBe(false);
  });
  test('method: exact is case-sensitive, regex matches the whole method', () => {
    expect(matches({ method: { exact: 'GET' } }, { method: 'GET' })).toBe(true);
    expect(matches({ method: { exact: 'GET' } }, { method: 'get' })).toBe(false);
    expect(matches({ method: { regex: '(GET|OPTIONS)' } }, { method: 'OPTIONS' })).toBe(true);
    expect(matches({ method: { regex: 'GET|OPT' } }, { method: 'OPTIONS' })).toBe(false);
  });
  test('authority is the Host header as sent', () => {
    expect(matches({ authority: { prefix: 'reviews' } }, {})).toBe(true);
    expect(matches({ authority: { exact: 'reviews:9080' } }, { host: 'reviews:9080' })).toBe(true);
    expect(matches({ authority: { exact: 'reviews' } }, { host: 'reviews:9080' })).toBe(false);
  });
});

describe('headers', () => {
  const rule = { headers: { 'end-user': { prefix: 'yunqi' } } };
  test('names are case-insensitive', () => {
    expect(matches(rule, { headers: { 'END-USER': 'yunqi1' } })).toBe(true);
    expect(matches({ headers: { 'End-User': { exact: 'a' } } }, { headers: { 'end-user': 'a' } })).toBe(true);
  });
  test('values are case-sensitive', () => {
    expect(matches(rule, { headers: { 'end-user': 'YUNQI' } })).toBe(false);
  });
  test('an absent header never matches exact, prefix or regex', () => {
    expect(matches(rule, {})).toBe(false);
    expect(matches({ headers: { 'x-debug': { regex: '.*' } } }, {})).toBe(false);
  });
  test('an empty match or the regex `*` only asks for presence', () => {
    expect(matches({ headers: { 'x-debug': {} } }, { headers: { 'x-debug': '' } })).toBe(true);
    expect(matches({ headers: { 'x-debug': { regex: '*' } } }, { headers: { 'x-debug': 'anything' } })).toBe(true);
    expect(matches({ headers: { 'x-debug': {} } }, {})).toBe(false);
  });
  test('every header of a match must hold (AND)', () => {
    const both = { headers: { a: { exact: '1' }, b: { exact: '2' } } };
    expect(matches(both, { headers: { a: '1', b: '2' } })).toBe(true);
    expect(matches(both, { headers: { a: '1' } })).toBe(false);
  });
});

describe('withoutHeaders', () => {
  test('matches when the header is absent or does not match', () => {
    const rule = { withoutHeaders: { 'end-user': { exact: 'jason' } } };
    expect(matches(rule, {})).toBe(true);
    expect(matches(rule, { headers: { 'end-user': 'mary' } })).toBe(true);
    expect(matches(rule, { headers: { 'End-User': 'jason' } })).toBe(false);
  });
  test('a missing header is taken as empty, so a prefix "" excludes requests without it too', () => {
    expect(matches({ withoutHeaders: { 'x-a': { prefix: '' } } }, {})).toBe(false);
  });
  test('an empty match excludes requests that carry the header at all', () => {
    expect(matches({ withoutHeaders: { 'x-canary': {} } }, {})).toBe(true);
    expect(matches({ withoutHeaders: { 'x-canary': {} } }, { headers: { 'x-canary': 'no' } })).toBe(false);
  });
});

describe('query parameters', () => {
  test('exact, prefix and regex on the value; names case-sensitive', () => {
    expect(matches({ queryParams: { debug: { exact: 'true' } } }, { uri: '/?debug=true' })).toBe(true);
    expect(matches({ queryParams: { debug: { exact: 'true' } } }, { uri: '/?Debug=true' })).toBe(false);
    expect(matches({ queryParams: { v: { prefix: '2' } } }, { queryParams: { v: '2.1' } })).toBe(true);
    expect(matches({ queryParams: { v: { regex: '[0-9]+' } } }, { uri: '/p?v=12a' })).toBe(false);
  });
  test('an empty match asks for presence', () => {
    expect(matches({ queryParams: { debug: {} } }, { uri: '/?debug' })).toBe(true);
    expect(matches({ queryParams: { debug: {} } }, { uri: '/' })).toBe(false);
  });
});

describe('port and source', () => {
  test('port compares with the destination port', () => {
    expect(matches({ port: 9080 }, {})).toBe(true);
    expect(matches({ port: 9090 }, {})).toBe(false);
  });
  test('sourceLabels must all be on the caller', () => {
    expect(matches({ sourceLabels: { app: 'productpage' } }, { sourceLabels: { app: 'productpage', version: 'v1' } })).toBe(true);
    expect(matches({ sourceLabels: { app: 'productpage', version: 'v2' } }, { sourceLabels: { app: 'productpage', version: 'v1' } })).toBe(
      false,
    );
    expect(matches({ sourceLabels: { app: 'productpage' } }, {})).toBe(false);
  });
  test('sourceNamespace compares with the caller namespace', () => {
    expect(matches({ sourceNamespace: 'shop' }, {})).toBe(true);
    expect(matches({ sourceNamespace: 'shop' }, { sourceNamespace: 'other', host: 'reviews.shop' })).toBe(false);
  });
  test('match-level gateways: mesh matches sidecars; when set, sourceLabels are not consulted (Istio)', () => {
    expect(matches({ gateways: ['mesh'] }, {})).toBe(true);
    expect(matches({ gateways: ['shop-gateway'] }, {})).toBe(false);
    expect(matches({ gateways: ['mesh'], sourceLabels: { app: 'nobody' } }, {})).toBe(true);
  });
});

describe('rules', () => {
  const sim = shopWithReviewsRules([
    { name: 'beta', match: [{ headers: { 'x-beta': { exact: '1' } } }, { uri: { prefix: '/beta' } }], route: [toReviews('v3')] },
    { match: [{ uri: { prefix: '/' } }], route: [toReviews('v2')] },
    { route: [toReviews('v1')] },
  ]);

  test('the matches of a rule are ORed', () => {
    expect(sim.request({ host: 'reviews.shop', uri: '/beta/x' }).destinations[0].subset).toBe('v3');
    expect(sim.request({ host: 'reviews.shop', headers: { 'x-beta': '1' } }).destinations[0].subset).toBe('v3');
  });

  test('the first matching rule wins, even when a later one is more specific', () => {
    const d = sim.request({ host: 'reviews.shop', uri: '/anything' });
    expect(d.rule).toBe('http[1]');
    expect(d.destinations[0].subset).toBe('v2');
  });

  test('each earlier rule is listed with why every match failed', () => {
    const d = sim.request({ host: 'reviews.shop', uri: '/x', headers: { 'x-beta': '2' } });
    expect(d.skipped).toEqual([
      {
        virtualService: 'shop/reviews',
        rule: 'http[0]',
        reasons: [
          'match[0] (header x-beta equals "1"): header x-beta is "2" (wanted: equals "1")',
          'match[1] (uri starts with "/beta"): uri is "/x" (wanted: starts with "/beta")',
        ],
      },
    ]);
    expect(d.explain()).toContain('skipped shop/reviews http[0]:');
  });
});

test('JWT claim matches are not simulated: the claim can only be given as a header of that name, and the reason says so', () => {
  const rule = { headers: { '@request.auth.claims.group': { exact: 'admin' } } };
  expect(matches(rule, {})).toBe(false);
  expect(matches(rule, { headers: { '@request.auth.claims.group': 'admin' } })).toBe(true);
  const sim = shopWithReviewsRules([{ match: [rule], route: [toReviews('v2')] }, { route: [toReviews('v1')] }]);
  expect(sim.request({ host: 'reviews.shop' }).skipped[0].reasons[0]).toContain('JWT claim matches are not simulated');
});
