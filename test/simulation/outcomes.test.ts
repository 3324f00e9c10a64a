import { vs } from '../fixtures/analysis/builders';
import { REVIEWS, shopMesh, shopWithReviewsRules, toReviews } from '../fixtures/simulation/mesh';
import { MeshSimulator, RouteOutcome } from '../../lib';

function decide(http: any[], request: any = {}) {
  return shopWithReviewsRules(http).request({ host: 'reviews', sourceNamespace: 'shop', ...request });
}
const to = toReviews;

describe('destinations', () => {
  test('weights are normalized to percent over their total', () => {
    const d = decide([{ route: [to('v1', 1), to('v2', 3)] }]);
    expect(d.destinations.map((x) => [x.subset, x.weight, x.configuredWeight])).toEqual([
      ['v1', 25, 1],
      ['v2', 75, 3],
    ]);
  });

  test('0-weight destinations are listed with 0%', () => {
    const d = decide([{ route: [to('v1', 0), to('v2', 100)] }]);
    expect(d.destinations.map((x) => [x.subset, x.weight])).toEqual([
      ['v1', 0],
      ['v2', 100],
    ]);
  });

  test('a single destination takes everything, whatever its weight', () => {
    expect(decide([{ route: [to('v3', 0)] }]).destinations[0].weight).toBe(100);
  });

  test('a subset resolves through the DestinationRule to the Deployments its labels select', () => {
    const dest = decide([{ route: [to('v3')] }]).destinations[0];
    expect(dest).toMatchObject({
      host: REVIEWS,
      subset: 'v3',
      port: 9080,
      service: 'Service shop/reviews',
      destinationRule: 'shop/reviews',
    });
    expect(dest.selector).toEqual({ app: 'reviews', version: 'v3' });
    expect(dest.workloads).toEqual([{ kind: 'Deployment', namespace: 'shop', name: 'reviews-v3' }]);
    expect(dest.problem).toBeUndefined();
  });

  test('an undefined subset, an unknown host and a subset without pods are reported', () => {
    expect(decide([{ route: [to('v9')] }]).destinations[0].problem).toContain('no DestinationRule defines subset v9');
    expect(decide([{ route: [{ destination: { host: 'nowhere' } }] }]).destinations[0].problem).toContain(
      'no Service or ServiceEntry declares nowhere.shop.svc.cluster.local',
    );
    const extraRule = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews', namespace: 'shop' },
      spec: { host: 'reviews', subsets: [{ name: 'v4', labels: { version: 'v4' } }] },
    };
    const lonely = MeshSimulator.fromManifests([
      ...shopMesh().filter((o) => o.kind !== 'DestinationRule'),
      extraRule,
      vs('reviews', { hosts: ['reviews'], http: [{ route: [to('v4')] }] }, 'shop'),
    ]);
    expect(lonely.request({ host: 'reviews.shop' }).destinations[0].problem).toContain('no workload in shop carries');
  });

  test('the port: as written, else the only port of the Service, else the request port', () => {
    const ratings = (dest: any, port?: number) =>
      MeshSimulator.fromManifests([
        ...shopMesh(),
        vs('ratings', { hosts: ['ratings'], http: [{ route: [{ destination: dest }] }] }, 'shop'),
      ]).request({ host: 'ratings.shop', port }).destinations[0].port;
    expect(ratings({ host: 'ratings', port: { number: 9090 } })).toBe(9090);
    expect(ratings({ host: 'ratings' }, 9090)).toBe(9090);
    expect(decide([{ route: [{ destination: { host: 'reviews' } }] }]).destinations[0].port).toBe(9080);
  });

  test('a wildcard DestinationRule host applies when no rule names the host exactly', () => {
    const wide = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'all-shop', namespace: 'shop' },
      spec: { host: '*.shop.svc.cluster.local', subsets: [{ name: 'only-v1', labels: { version: 'v1' } }] },
    };
    const sim = MeshSimulator.fromManifests([
      ...shopMesh().filter((o) => o.kind !== 'DestinationRule'),
      wide,
      vs('reviews', { hosts: ['reviews'], http: [{ route: [to('only-v1')] }] }, 'shop'),
    ]);
    const dest = sim.request({ host: 'reviews.shop' }).destinations[0];
    expect(dest).toMatchObject({ destinationRule: 'shop/all-shop', subset: 'only-v1' });
    expect(dest.workloads.map((w) => w.name)).toEqual(['reviews-v1']);
  });

  test('a DestinationRule in the caller namespace wins over the one in the Service namespace', () => {
    const webRule = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews-web', namespace: 'web' },
      spec: { host: 'reviews.shop.svc.cluster.local', subsets: [{ name: 'v3', labels: { version: 'v2' } }] },
    };
    const sim = MeshSimulator.fromManifests([
      ...shopMesh(),
      vs('reviews', { hosts: ['reviews'], http: [{ route: [to('v3')] }] }, 'shop'),
      webRule,
    ]);
    expect(sim.request({ host: 'reviews.shop', sourceNamespace: 'web' }).destinations[0].workloads.map((w) => w.name)).toEqual([
      'reviews-v2',
    ]);
    expect(sim.request({ host: 'reviews.shop', sourceNamespace: 'shop' }).destinations[0].workloads.map((w) => w.name)).toEqual([
      'reviews-v3',
    ]);
  });
});

describe('actions', () => {
  test('redirect: status and location', () => {
    const d = decide([{ redirect: { uri: '/new', authority: 'www.example.com', redirectCode: 302 } }], { uri: '/old?a=1' });
    expect(d.outcome).toBe(RouteOutcome.REDIRECTED);
    expect(d.redirect).toMatchObject({ status: 302, location: 'http://www.example.com/new?a=1' });
    expect(decide([{ redirect: { scheme: 'https', port: 8443 } }], { uri: '/x' }).redirect).toMatchObject({
      status: 301,
      location: 'https://reviews:8443/x',
    });
    expect(decide([{ redirect: { scheme: 'https', port: 443 } }], { uri: '/x' }).redirect?.location).toBe('https://reviews/x');
  });

  test('direct response: status and body', () => {
    const d = decide([{ directResponse: { status: 503, body: { string: 'down for maintenance' } } }]);
    expect(d.outcome).toBe(RouteOutcome.DIRECT_RESPONSE);
    expect(d.directResponse).toEqual({ status: 503, body: 'down for maintenance' });
    expect(d.destinations).toEqual([]);
  });

  test('fault, headers, timeout and retries are reported with the route', () => {
    const fault = { abort: { httpStatus: 500, percentage: { value: 10 } }, delay: { fixedDelay: '2s', percentage: { value: 50 } } };
    const headers = { request: { set: { 'x-v': '3' } }, response: { remove: ['server'] } };
    const retries = { attempts: 3, perTryTimeout: '2s', retryOn: '5xx' };
    const d = decide([{ route: [to('v3')], fault, headers, timeout: '5s', retries }]);
    expect(d.outcome).toBe(RouteOutcome.ROUTED);
    expect(d.actions).toMatchObject({ fault, headers, timeout: '5s', retries });
    expect(d.explain()).toContain('timeout: 5s');
  });

  test('rewrite uri swaps the matched prefix, an exact match the whole path, no uri match the leading "/"', () => {
    expect(
      decide([{ match: [{ uri: { prefix: '/api/v1' } }], rewrite: { uri: '/v2' }, route: [to('v1')] }], { uri: '/api/v1/users?x=1' })
        .actions.rewrittenUri,
    ).toBe('/v2/users');
    expect(
      decide([{ match: [{ uri: { exact: '/login' } }], rewrite: { uri: '/auth/login' }, route: [to('v1')] }], { uri: '/login' }).actions
        .rewrittenUri,
    ).toBe('/auth/login');
    expect(decide([{ rewrite: { uri: '/app/' }, route: [to('v1')] }], { uri: '/users' }).actions.rewrittenUri).toBe('/app/users');
    expect(decide([{ rewrite: { authority: 'reviews.internal' }, route: [to('v1')] }]).actions.rewrite).toEqual({
      authority: 'reviews.internal',
    });
  });

  test('uriRegexRewrite substitutes RE2 groups', () => {
    const d = decide(
      [{ rewrite: { uriRegexRewrite: { match: '^/service/([^/]+)(/.*)$', rewrite: '\\2/instance/\\1' } }, route: [to('v1')] }],
      { uri: '/service/foo/v1/api' },
    );
    expect(d.actions.rewrittenUri).toBe('/v1/api/instance/foo');
  });

  test('mirrors: `mirror` with its percentage and `mirrors`', () => {
    const d = decide([
      {
        route: [to('v1')],
        mirror: { host: 'reviews', subset: 'v2' },
        mirrorPercentage: { value: 25 },
        mirrors: [{ destination: { host: 'reviews', subset: 'v3' } }],
      },
    ]);
    expect(d.mirrors.map((m) => [m.destination.subset, m.percentage, m.destination.workloads.map((w) => w.name)])).toEqual([
      ['v2', 25, ['reviews-v2']],
      ['v3', 100, ['reviews-v3']],
    ]);
  });

  test('no rule matches: 404 from the VirtualService', () => {
    const d = decide([{ match: [{ uri: { prefix: '/only' } }], route: [to('v1')] }], { uri: '/' });
    expect(d.outcome).toBe(RouteOutcome.NO_ROUTE);
    expect(d.virtualService).toBe('shop/reviews');
    expect(d.skipped).toHaveLength(1);
  });
});

describe('delegates', () => {
  const root = (http: any[]) => vs('front', { hosts: ['shop.example.com'], http }, 'shop');
  const leaf = (name: string, http: any[], ns = 'shop', extra: any = {}) => vs(name, { http, ...extra }, ns);
  const ask = (objects: any[], uri: string) =>
    MeshSimulator.fromManifests([...shopMesh(), ...objects]).request({ host: 'shop.example.com', uri });

  test("a delegate's rules replace the rule that names it, with the matches merged", () => {
    const objs = [
      root([{ match: [{ uri: { prefix: '/reviews' } }], delegate: { name: 'reviews-routes' } }, { route: [to('v1')] }]),
      leaf('reviews-routes', [{ match: [{ uri: { prefix: '/reviews/beta' } }], route: [to('v3')] }, { route: [to('v2')] }]),
    ];
    const beta = ask(objs, '/reviews/beta/1');
    expect(beta).toMatchObject({
      virtualService: 'shop/front',
      rule: 'http[0]',
      delegateVirtualService: 'shop/reviews-routes',
      delegateRuleIndex: 0,
    });
    expect(beta.destinations[0].subset).toBe('v3');
    // The delegate's catch-all inherits the root's match: only /reviews...
    expect(ask(objs, '/reviews/x').destinations[0].subset).toBe('v2');
    // ... so other paths fall through to the root's later rules.
    expect(ask(objs, '/other').destinations[0].subset).toBe('v1');
  });

  test("the root's header conditions are added to each delegate match (both must hold)", () => {
    const objs = [
      root([{ match: [{ headers: { 'x-team': { exact: 'a' } } }], delegate: { name: 'd' } }, { route: [to('v1')] }]),
      leaf('d', [{ match: [{ uri: { prefix: '/x' } }], route: [to('v3')] }]),
    ];
    const sim = MeshSimulator.fromManifests([...shopMesh(), ...objs]);
    const both = sim.request({ host: 'shop.example.com', uri: '/x', headers: { 'x-team': 'a' } });
    expect(both.destinations[0].subset).toBe('v3');
    expect(both.actions.route.match).toEqual([{ uri: { prefix: '/x' }, headers: { 'x-team': { exact: 'a' } } }]);
    expect(sim.request({ host: 'shop.example.com', uri: '/x' }).destinations[0].subset).toBe('v1');
    expect(sim.request({ host: 'shop.example.com', uri: '/y', headers: { 'x-team': 'a' } }).destinations[0].subset).toBe('v1');
  });

  test("the delegate inherits the root rule's actions it does not set", () => {
    const objs = [
      root([{ delegate: { name: 'd' }, timeout: '3s', headers: { request: { set: { a: '1' } } } }]),
      leaf('d', [{ route: [to('v1')], timeout: '1s' }]),
    ];
    expect(ask(objs, '/').actions).toMatchObject({ timeout: '1s', headers: { request: { set: { a: '1' } } } });
  });

  test('a missing delegate drops only its rule; the next rules still apply', () => {
    const objs = [root([{ match: [{ uri: { prefix: '/a' } }], delegate: { name: 'missing' } }, { route: [to('v1')] }])];
    const d = ask(objs, '/a');
    expect(d.destinations[0].subset).toBe('v1');
    expect(d.skipped[0].reasons[0]).toContain('delegate shop/missing is not a VirtualService without hosts');
  });

  test('a delegate not exported to the root namespace is ignored', () => {
    const objs = [
      root([{ delegate: { name: 'd', namespace: 'team' } }, { route: [to('v1')] }]),
      leaf('d', [{ route: [to('v3')] }], 'team', { exportTo: ['.'] }),
    ];
    expect(ask(objs, '/').destinations[0].subset).toBe('v1');
    const exported = [
      root([{ delegate: { name: 'd', namespace: 'team' } }]),
      leaf('d', [{ route: [to('v3')] }], 'team', { exportTo: ['shop'] }),
    ];
    expect(ask(exported, '/').destinations[0].subset).toBe('v3');
  });

  test('a delegate match that conflicts with the root (regex under regex, prefix outside the prefix) is dropped', () => {
    const objs = [
      root([
        { match: [{ uri: { regex: '/m(/.*)?' } }], delegate: { name: 'd' } },
        { match: [{ uri: { prefix: '/p' } }], delegate: { name: 'e' } },
      ]),
      leaf('d', [{ match: [{ uri: { regex: '/m/.*' } }], route: [to('v3')] }]),
      leaf('e', [{ match: [{ uri: { prefix: '/q' } }], route: [to('v3')] }]),
    ];
    // Every rule is dropped: the VirtualService yields no route and is not applied at all.
    const d = ask(objs, '/m/1');
    expect(d.outcome).toBe(RouteOutcome.PASSTHROUGH);
    expect(d.notes.join('\n')).toContain("shop/d http[0]'s matches conflict with the root rule's: Istio drops it");
    // With a rule left, the dropped ones are skipped with their reason.
    const withRest = [
      ...objs.slice(0, 1).map((r) => ({ ...r, spec: { ...r.spec, http: [...r.spec.http, { route: [to('v1')] }] } })),
      ...objs.slice(1),
    ];
    const rest = ask(withRest, '/m/1');
    expect(rest.destinations[0].subset).toBe('v1');
    expect(rest.skipped.map((x) => x.reasons[0])).toEqual([
      "shop/d http[0]'s matches conflict with the root rule's: Istio drops it",
      "shop/e http[0]'s matches conflict with the root rule's: Istio drops it",
    ]);
  });

  test('a delegate is not a root: it does not apply to hosts by itself', () => {
    const sim = MeshSimulator.fromManifests([...shopMesh(), leaf('d', [{ route: [to('v3')] }])]);
    expect(sim.virtualServices).toEqual([]);
  });
});
