import { Testing } from 'cdk8s';
import { GatewayRef, HeaderMatch, QueryParamMatch, RouteDestination, StringMatch, StringMatchType, VirtualService } from '../../lib';

const dest = RouteDestination.toHost('reviews');

/** Synthesizes a VirtualService with one route matching `match` and returns the rendered match block. */
function renderMatch(match: any): any {
  const chart = Testing.chart();
  new VirtualService(chart, 'reviews', { hosts: ['reviews'], http: [{ match: [match], route: [{ destination: dest }] }] });
  return Testing.synth(chart)[0].spec.http[0].match[0];
}

describe('StringMatch', () => {
  test('factories keep type and value and render one key', () => {
    expect(StringMatch.exact('/login')).toMatchObject({ type: StringMatchType.EXACT, value: '/login' });
    expect(renderMatch({ uri: StringMatch.exact('/login') })).toEqual({ uri: { exact: '/login' } });
    expect(renderMatch({ uri: StringMatch.prefix('/static') })).toEqual({ uri: { prefix: '/static' } });
    expect(renderMatch({ uri: StringMatch.regex('^/v[0-9]+/.*') })).toEqual({ uri: { regex: '^/v[0-9]+/.*' } });
  });

  test('an empty uri prefix is allowed (matches every path)', () => {
    expect(renderMatch({ uri: StringMatch.prefix('') })).toEqual({ uri: { prefix: '' } });
  });

  test.each([
    ['scheme', { scheme: StringMatch.prefix('') }, "VirtualService 'reviews': spec.http[0].match[0].scheme.prefix ('') may not be empty"],
    ['method', { method: StringMatch.prefix('') }, "spec.http[0].match[0].method.prefix ('') may not be empty"],
    ['authority', { authority: StringMatch.prefix('') }, "spec.http[0].match[0].authority.prefix ('') may not be empty"],
  ])('an empty prefix on %s is rejected', (_field, match, message) => {
    expect(() => renderMatch(match)).toThrow(message);
  });

  test('the factories refuse nothing: the VirtualService that uses a match checks it', () => {
    expect(StringMatch.regex('^(?!admin).*').value).toBe('^(?!admin).*');
    expect(StringMatch.regex('').value).toBe('');
  });

  test('rejects an empty regex', () => {
    expect(() => renderMatch({ uri: StringMatch.regex('') })).toThrow(
      "VirtualService 'reviews': spec.http[0].match[0].uri.regex ('') may not be empty",
    );
  });

  test('rejects a regex RE2 cannot compile (lookahead)', () => {
    expect(() => renderMatch({ uri: StringMatch.regex('^(?!admin).*') })).toThrow(
      "VirtualService 'reviews': spec.http[0].match[0].uri.regex ('^(?!admin).*') is not a valid RE2 regex",
    );
  });

  test('rejects an unbalanced regex', () => {
    expect(() => renderMatch({ authority: StringMatch.regex('/api/(v1') })).toThrow(
      "spec.http[0].match[0].authority.regex ('/api/(v1') is not a valid RE2 regex",
    );
  });

  test('rejects a regex longer than 1024 characters', () => {
    expect(() => renderMatch({ method: StringMatch.regex('a'.repeat(1025)) })).toThrow('spec.http[0].match[0].method.regex');
    expect(() => renderMatch({ method: StringMatch.regex('a'.repeat(1025)) })).toThrow('is longer than 1024 characters');
    expect(renderMatch({ method: StringMatch.regex('a'.repeat(1024)) }).method.regex).toHaveLength(1024);
  });
});

describe('HeaderMatch', () => {
  test('renders headers and withoutHeaders as maps keyed by name', () => {
    expect(
      renderMatch({
        headers: [HeaderMatch.prefix('end-user', 'yunqi'), HeaderMatch.exact('x-canary', 'true'), HeaderMatch.regex('x-version', 'v[23]')],
        withoutHeaders: [HeaderMatch.present('x-debug')],
      }),
    ).toEqual({
      headers: { 'end-user': { prefix: 'yunqi' }, 'x-canary': { exact: 'true' }, 'x-version': { regex: 'v[23]' } },
      withoutHeaders: { 'x-debug': {} },
    });
  });

  test('present() renders an empty match, which Istio reads as "header is set"', () => {
    expect(renderMatch({ headers: [HeaderMatch.present('x-canary')] })).toEqual({ headers: { 'x-canary': {} } });
  });

  test('accepts pseudo-headers and JWT claim keys as names', () => {
    expect(HeaderMatch.exact(':authority', 'a').name).toBe(':authority');
    expect(HeaderMatch.exact('@request.auth.claims.group', 'admin').name).toBe('@request.auth.claims.group');
  });

  test('rejects an invalid header name', () => {
    expect(() => renderMatch({ headers: [HeaderMatch.exact('end user', 'x')] })).toThrow(
      "VirtualService 'reviews': spec.http[0].match[0].headers.end user ('end user') is not a valid header name",
    );
  });

  test('rejects an empty header name', () => {
    expect(() => renderMatch({ withoutHeaders: [HeaderMatch.present('')] })).toThrow(
      "spec.http[0].match[0].withoutHeaders. ('') is not a valid header name",
    );
  });

  test('rejects an empty prefix', () => {
    expect(() => renderMatch({ headers: [HeaderMatch.prefix('end-user', '')] })).toThrow(
      "VirtualService 'reviews': spec.http[0].match[0].headers.end-user.prefix ('') may not be empty",
    );
  });

  test('rejects a regex RE2 cannot compile', () => {
    expect(() => renderMatch({ headers: [HeaderMatch.regex('end-user', '(?<=x)y')] })).toThrow(
      "spec.http[0].match[0].headers.end-user.regex ('(?<=x)y') is not a valid RE2 regex",
    );
  });

  test("withoutHeaders accepts regex '*' (Istio reads it as presence)", () => {
    expect(renderMatch({ withoutHeaders: [HeaderMatch.regex('x-debug', '*')] })).toEqual({ withoutHeaders: { 'x-debug': { regex: '*' } } });
  });

  test('rejects a header listed twice in one match', () => {
    expect(() => renderMatch({ headers: [HeaderMatch.exact('x-a', '1'), HeaderMatch.prefix('x-a', '2')] })).toThrow(
      "VirtualService 'reviews': spec.http[0].match[0].headers.x-a ('x-a') is listed twice",
    );
  });
});

describe('QueryParamMatch', () => {
  test('renders queryParams', () => {
    expect(renderMatch({ queryParams: [QueryParamMatch.exact('debug', ''), QueryParamMatch.regex('v', '[0-9]+')] })).toEqual({
      queryParams: { debug: { exact: '' }, v: { regex: '[0-9]+' } },
    });
  });

  test('rejects an invalid parameter name', () => {
    expect(() => renderMatch({ queryParams: [QueryParamMatch.exact('a=b', '1')] })).toThrow(
      "VirtualService 'reviews': spec.http[0].match[0].queryParams.a=b ('a=b') must be a non-empty parameter name",
    );
  });

  test('rejects a parameter listed twice', () => {
    expect(() => renderMatch({ queryParams: [QueryParamMatch.exact('v', '1'), QueryParamMatch.exact('v', '2')] })).toThrow(
      "spec.http[0].match[0].queryParams.v ('v') is listed twice",
    );
  });

  test('rejects an invalid regex', () => {
    expect(() => renderMatch({ queryParams: [QueryParamMatch.regex('v', '[')] })).toThrow(
      "spec.http[0].match[0].queryParams.v.regex ('[') is not a valid RE2 regex",
    );
  });
});

describe('HttpMatchOptions', () => {
  test('renders every condition', () => {
    expect(
      renderMatch({
        name: 'api',
        uri: StringMatch.prefix('/api'),
        scheme: StringMatch.exact('https'),
        method: StringMatch.exact('GET'),
        authority: StringMatch.regex('.*\\.example\\.com'),
        port: 9080,
        sourceLabels: { app: 'productpage', version: 'v1' },
        sourceNamespace: 'bank',
        ignoreUriCase: true,
      }),
    ).toEqual({
      name: 'api',
      uri: { prefix: '/api' },
      scheme: { exact: 'https' },
      method: { exact: 'GET' },
      authority: { regex: '.*\\.example\\.com' },
      port: 9080,
      sourceLabels: { app: 'productpage', version: 'v1' },
      sourceNamespace: 'bank',
      ignoreUriCase: true,
    });
  });

  test.each([
    ['a match without conditions', { name: 'x' }, 'spec.http[0].match[0] ({}) must set at least one condition'],
    ['port 65536', { port: 65536 }, 'spec.http[0].match[0].port (65536) must be a port number between 1 and 65535'],
    ['a fractional port', { port: 80.5 }, 'spec.http[0].match[0].port (80.5) must be an integer'],
    [
      'an invalid source label key',
      { sourceLabels: { 'bad key': 'v' } },
      "spec.http[0].match[0].sourceLabels.bad key ('bad key') is not a valid label key",
    ],
    [
      'an invalid source label value',
      { sourceLabels: { app: 'a b' } },
      "spec.http[0].match[0].sourceLabels.app ('a b') is not a valid label value",
    ],
    [
      'an invalid source namespace',
      { sourceNamespace: 'bank.eu' },
      "spec.http[0].match[0].sourceNamespace ('bank.eu') must be a namespace name (DNS-1123 label)",
    ],
    [
      'an invalid match gateway',
      { gateways: [GatewayRef.fromName('a/b/c')] },
      "spec.http[0].match[0].gateways[0] ('a/b/c') has an invalid gateway name 'b/c'",
    ],
    [
      'ignoreUriCase with a regex uri',
      { uri: StringMatch.regex('/a.*'), ignoreUriCase: true },
      'spec.http[0].match[0].ignoreUriCase (true) only applies to exact and prefix uri matches',
    ],
  ])('rejects %s', (_what, match, message) => {
    expect(() => renderMatch(match)).toThrow(message);
  });

  test('port 0 is accepted: Istio reads it as any port', () => {
    expect(renderMatch({ port: 0, uri: StringMatch.prefix('/') })).toEqual({ port: 0, uri: { prefix: '/' } });
  });
});
