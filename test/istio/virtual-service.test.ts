import * as fs from 'fs';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  Gateway,
  GatewayRef,
  HeaderMatch,
  HttpFaultAbort,
  HttpRedirect,
  IstioApi,
  IstioApiVersion,
  RetryOn,
  RouteDestination,
  StringMatch,
  VirtualService,
} from '../../lib';
import { checkSchema } from '../../lib/analysis/schema-check';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'bookinfo');
const reviews = (subset: string) => RouteDestination.toHost('reviews', { subset });

function readYaml(file: string): any[] {
  return parseAllDocuments(fs.readFileSync(path.join(FIXTURES, file), 'utf8')).map((d) => d.toJSON());
}

describe('VirtualService: Bookinfo shapes', () => {
  test('productpage gateway + VirtualService equal the shop ingress fixture', () => {
    const chart = Testing.chart();
    const gateway = new Gateway(chart, 'shop-gateway', { servers: [{ port: 8080 }] });
    const productpage = RouteDestination.toHost('productpage', { port: 9080 });
    new VirtualService(chart, 'shop', {
      hosts: ['*'],
      gateways: [gateway],
      http: [
        {
          match: [
            { uri: StringMatch.exact('/productpage') },
            { uri: StringMatch.prefix('/static') },
            { uri: StringMatch.exact('/login') },
            { uri: StringMatch.exact('/logout') },
            { uri: StringMatch.prefix('/api/v1/products') },
          ],
          route: [{ destination: productpage }],
        },
      ],
    });
    expect(Testing.synth(chart)).toEqual(readYaml('virtual-service-shop-ingress.yaml'));
  });

  test('user routing: end-user prefix match to v2, everyone else to v3', () => {
    const chart = Testing.chart();
    const addedvalues = (subset: string) => RouteDestination.toHost('addedvalues', { subset });
    const vs = new VirtualService(chart, 'addedvalues', { hosts: ['addedvalues'] });
    // Added catch-all first: rendering still puts it after the matching route.
    vs.addHttpRoute({ route: [{ destination: addedvalues('v3') }] });
    vs.addHttpRoute({ match: [{ headers: [HeaderMatch.prefix('end-user', 'yunqi')] }], route: [{ destination: addedvalues('v2') }] });
    expect(Testing.synth(chart)).toEqual(readYaml('virtual-service-addedvalues-user-prefix.yaml'));
  });
});

describe('VirtualService rendering', () => {
  test('routes with a match come first, in the order added; the catch-all last', () => {
    const chart = Testing.chart();
    const vs = new VirtualService(chart, 'reviews', { hosts: ['reviews'] });
    vs.addHttpRoute({ name: 'default', route: [{ destination: reviews('v1') }] });
    vs.addHttpRoute({ name: 'a', match: [{ uri: StringMatch.prefix('/a') }], route: [{ destination: reviews('v2') }] });
    vs.addHttpRoute({ name: 'b', match: [{ uri: StringMatch.prefix('/b') }], route: [{ destination: reviews('v3') }] });
    expect(Testing.synth(chart)[0].spec.http.map((r: any) => r.name)).toEqual(['a', 'b', 'default']);
    expect(vs.httpRoutes.map((r) => r.name)).toEqual(['default', 'a', 'b']);
  });

  test('typed and named gateways render their names; duplicates once; match gateways too', () => {
    const chart = Testing.chart();
    const gw = new Gateway(chart, 'yunqi-gateway', {
      metadata: { namespace: 'istio-system' },
      servers: [{ port: 80, hosts: ['bank.example.com'] }],
    });
    const vs = new VirtualService(chart, 'productpage', {
      hosts: ['productpage', 'bank.example.com'],
      gateways: [gw, GatewayRef.MESH, GatewayRef.fromName('mesh')],
      http: [
        { match: [{ gateways: [gw], uri: StringMatch.prefix('/') }], route: [{ destination: RouteDestination.toHost('productpage') }] },
        { route: [{ destination: RouteDestination.toHost('productpage') }] },
      ],
    });
    expect(vs.gateways).toEqual(['istio-system/yunqi-gateway', 'mesh']);
    const spec = Testing.synth(chart).find((o: any) => o.kind === 'VirtualService').spec;
    expect(spec.gateways).toEqual(['istio-system/yunqi-gateway', 'mesh']);
    expect(spec.http[0].match[0].gateways).toEqual(['istio-system/yunqi-gateway']);
  });

  test('exportTo and getters return copies', () => {
    const chart = Testing.chart();
    const vs = new VirtualService(chart, 'details', {
      hosts: ['details'],
      exportTo: ['.'],
      http: [{ route: [{ destination: RouteDestination.toHost('details') }] }],
    });
    vs.hosts.push('x');
    vs.httpRoutes.pop();
    expect(vs.hosts).toEqual(['details']);
    expect(vs.httpRoutes).toHaveLength(1);
    expect(Testing.synth(chart)[0].spec).toEqual({
      hosts: ['details'],
      exportTo: ['.'],
      http: [{ route: [{ destination: { host: 'details' } }] }],
    });
  });

  test('apiVersion follows the chart setting; name is exact', () => {
    const chart = Testing.chart();
    IstioApi.useVersion(chart, IstioApiVersion.V1ALPHA3);
    new VirtualService(chart, 'id', {
      metadata: { name: 'addedvalues' },
      hosts: ['addedvalues'],
      http: [{ route: [{ destination: RouteDestination.toHost('addedvalues') }] }],
    });
    const [obj] = Testing.synth(chart);
    expect(obj.apiVersion).toBe('networking.istio.io/v1alpha3');
    expect(obj.metadata.name).toBe('addedvalues');
  });

  test('TCP routes', () => {
    const chart = Testing.chart();
    const vs = new VirtualService(chart, 'mongo', { hosts: ['mongo'] });
    vs.addTcpRoute({
      match: [{ port: 27017, destinationSubnets: ['10.1.0.0/16'] }],
      route: [
        { destination: RouteDestination.toHost('mongo', { subset: 'v1', port: 27017 }), weight: 80 },
        { destination: RouteDestination.toHost('mongo', { subset: 'v2', port: 27017 }), weight: 20 },
      ],
    });
    expect(Testing.synth(chart)[0].spec).toEqual({
      hosts: ['mongo'],
      tcp: [
        {
          match: [{ port: 27017, destinationSubnets: ['10.1.0.0/16'] }],
          route: [
            { destination: { host: 'mongo', subset: 'v1', port: { number: 27017 } }, weight: 80 },
            { destination: { host: 'mongo', subset: 'v2', port: { number: 27017 } }, weight: 20 },
          ],
        },
      ],
    });
  });

  test('a composite VirtualService (snapshot)', () => {
    const chart = Testing.chart();
    const gw = new Gateway(chart, 'edge', { servers: [{ port: 80, hosts: ['bank.example.com'] }] });
    new VirtualService(chart, 'addedvalues', {
      hosts: ['bank.example.com'],
      gateways: [gw],
      http: [
        { match: [{ uri: StringMatch.exact('/old') }], redirect: HttpRedirect.to({ uri: '/new', redirectCode: 308 }) },
        {
          match: [{ headers: [HeaderMatch.prefix('end-user', 'yunqi')] }],
          route: [{ destination: RouteDestination.toHost('addedvalues', { subset: 'v3' }) }],
          timeout: Duration.seconds(5),
          retries: { attempts: 2, perTryTimeout: Duration.seconds(2), retryOn: [RetryOn.GATEWAY_ERROR] },
        },
        {
          route: [
            { destination: RouteDestination.toHost('addedvalues', { subset: 'v1' }), weight: 50 },
            { destination: RouteDestination.toHost('addedvalues', { subset: 'v2' }), weight: 50 },
          ],
          fault: { abort: HttpFaultAbort.httpStatus(503, 1) },
        },
      ],
    });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });
});

describe('VirtualService validation', () => {
  const route = { route: [{ destination: RouteDestination.toHost('reviews') }] };

  test.each([
    ['no hosts', { hosts: [] }, "VirtualService 'reviews': spec.hosts ([]) must list at least one host"],
    ['an invalid host', { hosts: ['re_views'] }, "VirtualService 'reviews': spec.hosts[0] ('re_views') is not a valid host"],
    ['a partial wildcard in a later label', { hosts: ['foo.*.com'] }, "spec.hosts[0] ('foo.*.com')"],
    [
      '"*" bound to the mesh',
      { hosts: ['*'] },
      "VirtualService 'reviews': spec.hosts[0] ('*') is not allowed when the VirtualService applies to the mesh",
    ],
    [
      '"*" bound to mesh and a gateway',
      { hosts: ['*'], gateways: [GatewayRef.fromName('gw'), GatewayRef.MESH] },
      "spec.hosts[0] ('*') is not allowed",
    ],
    ['duplicate hosts', { hosts: ['reviews', 'reviews'] }, "spec.hosts[1] ('reviews') overlaps spec.hosts[0] ('reviews')"],
    ['overlapping wildcard hosts', { hosts: ['*.example.com', 'a.example.com'] }, "spec.hosts[1] ('a.example.com') overlaps spec.hosts[0]"],
    ['a hidden exportTo', { hosts: ['reviews'], exportTo: ['~'] }, "spec.exportTo[0] ('~') is only allowed in a ServiceEntry"],
    [
      'an invalid exportTo',
      { hosts: ['reviews'], exportTo: ['bank.eu'] },
      "spec.exportTo[0] ('bank.eu') must be '.', '*' or a namespace name",
    ],
    [
      '"*" with another exportTo',
      { hosts: ['reviews'], exportTo: ['*', 'bank'] },
      'spec.exportTo (["*","bank"]) may not combine \'*\' with other entries',
    ],
    ['a duplicate exportTo', { hosts: ['reviews'], exportTo: ['bank', 'bank'] }, "spec.exportTo[1] ('bank') is a duplicate entry"],
    [
      'an invalid gateway name',
      { hosts: ['reviews'], gateways: [GatewayRef.fromName('istio_system/edge')] },
      "spec.gateways[0] ('istio_system/edge') has an invalid namespace 'istio_system'",
    ],
    [
      'a dotted-invalid name',
      { metadata: { name: 'Reviews' }, hosts: ['reviews'] },
      "VirtualService 'Reviews': metadata.name ('Reviews') must be a DNS-1123 subdomain",
    ],
  ])('rejects %s at construction', (_what, props, message) => {
    expect(() => new VirtualService(Testing.chart(), 'reviews', { ...(props as any), http: [route] })).toThrow(message);
  });

  test("exportTo '.' and the own namespace name are the same entry", () => {
    const chart = Testing.chart();
    expect(
      () =>
        new VirtualService(chart, 'reviews', {
          metadata: { namespace: 'bank' },
          hosts: ['reviews'],
          exportTo: ['.', 'bank'],
          http: [route],
        }),
    ).toThrow("VirtualService 'reviews': spec.exportTo[1] ('bank') is a duplicate entry ('.' is the own namespace)");
  });

  test('"*" is accepted when bound to gateways only', () => {
    expect(
      () => new VirtualService(Testing.chart(), 'all', { hosts: ['*'], gateways: [GatewayRef.fromName('gw')], http: [route] }),
    ).not.toThrow();
  });

  test('JWT claim routing is rejected on the mesh', () => {
    const vs = new VirtualService(Testing.chart(), 'reviews', { hosts: ['reviews'] });
    expect(() => vs.addHttpRoute({ match: [{ headers: [HeaderMatch.exact('@request.auth.claims.group', 'vip')] }], ...route })).toThrow(
      "VirtualService 'reviews': spec.http[0].match[0].headers.@request.auth.claims.group ('@request.auth.claims.group') routes on a JWT claim, which only works on gateways",
    );
  });

  test("JWT claim routing is rejected when 'mesh' is among the gateways", () => {
    const vs = new VirtualService(Testing.chart(), 'reviews', {
      hosts: ['reviews.example.com'],
      gateways: [GatewayRef.fromName('gw'), GatewayRef.MESH],
    });
    expect(() => vs.addHttpRoute({ match: [{ withoutHeaders: [HeaderMatch.present('@request.auth.claims.group')] }], ...route })).toThrow(
      'spec.http[0].match[0].withoutHeaders.@request.auth.claims.group',
    );
  });

  test('JWT claim routing is accepted on a gateway-only VirtualService', () => {
    const vs = new VirtualService(Testing.chart(), 'reviews', { hosts: ['reviews.example.com'], gateways: [GatewayRef.fromName('gw')] });
    expect(() =>
      vs.addHttpRoute({ match: [{ headers: [HeaderMatch.exact('@request.auth.claims.group', 'vip')] }], ...route }),
    ).not.toThrow();
  });

  test('errors name the index of the route being added', () => {
    const vs = new VirtualService(Testing.chart(), 'reviews', { hosts: ['reviews'], http: [route] });
    expect(() => vs.addHttpRoute({ route: [{ destination: RouteDestination.toHost('reviews'), weight: -1 }] })).toThrow(
      'spec.http[1].route[0].weight (-1) must be >= 0',
    );
  });

  test('errors name the index in the rendered spec, where the catch-all comes last', () => {
    const vs = new VirtualService(Testing.chart(), 'reviews', { hosts: ['reviews'], http: [route] });
    expect(() =>
      vs.addHttpRoute({ match: [{ uri: StringMatch.regex('/(?!admin)') }], route: [{ destination: RouteDestination.toHost('reviews') }] }),
    ).toThrow("VirtualService 'reviews': spec.http[0].match[0].uri.regex ('/(?!admin)') is not a valid RE2 regex");
  });

  test('a refused route is not added', () => {
    const chart = Testing.chart();
    const vs = new VirtualService(chart, 'reviews', { hosts: ['reviews'], http: [route] });
    expect(() => vs.addHttpRoute({ route: [{ destination: RouteDestination.toHost('*') }] })).toThrow(
      "spec.http[1].route[0].destination.host ('*') may not be a wildcard",
    );
    expect(vs.httpRoutes).toHaveLength(1);
    expect(() => vs.addTcpRoute({ route: [] })).toThrow('spec.tcp[0].route: a TCP route needs at least one destination');
    expect(Testing.synth(chart)[0].spec.tcp).toBeUndefined();
  });

  test('a VirtualService without routes is not refused at construction but fails at synth', () => {
    const chart = Testing.chart();
    expect(() => new VirtualService(chart, 'reviews', { hosts: ['reviews'] })).not.toThrow();
    expect(() => Testing.synth(chart)).toThrow(
      "VirtualService 'reviews': spec: a VirtualService needs at least one of http, tcp or tls routes",
    );
  });

  test('a later addHttpRoute fixes the missing route', () => {
    const chart = Testing.chart();
    const vs = new VirtualService(chart, 'reviews', { hosts: ['reviews'] });
    vs.addHttpRoute(route);
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('two catch-all routes fail at synth', () => {
    const chart = Testing.chart();
    new VirtualService(chart, 'reviews', { hosts: ['reviews'], http: [route, route] });
    expect(() => Testing.synth(chart)).toThrow(
      /VirtualService 'reviews': spec.http\[1\] is a second route without match \(first: spec.http\[0\]\)/,
    );
  });

  test('the second catch-all is named by its index in the rendered spec', () => {
    const chart = Testing.chart();
    const vs = new VirtualService(chart, 'reviews', { hosts: ['reviews'], http: [route, route] });
    vs.addHttpRoute({ match: [{ uri: StringMatch.prefix('/a') }], ...route });
    expect(() => Testing.synth(chart)).toThrow('spec.http[2] is a second route without match (first: spec.http[1])');
  });

  test.each([
    ['no destination', { route: [] }, "VirtualService 'db': spec.tcp[0].route: a TCP route needs at least one destination"],
    [
      'a negative weight',
      { route: [{ destination: RouteDestination.toHost('db'), weight: -1 }] },
      "VirtualService 'db': spec.tcp[0].route[0].weight (-1) must be >= 0",
    ],
    [
      'a fractional weight',
      { route: [{ destination: RouteDestination.toHost('db'), weight: 1.5 }] },
      "VirtualService 'db': spec.tcp[0].route[0].weight (1.5) must be an integer",
    ],
    [
      'weights totalling 0',
      { route: [{ destination: RouteDestination.toHost('db') }, { destination: RouteDestination.toHost('db', { subset: 'b' }) }] },
      'spec.tcp[0].route: has several destinations but their weights add up to 0',
    ],
    [
      'an invalid subnet',
      { match: [{ destinationSubnets: ['10.0.0.0/40'] }], route: [{ destination: RouteDestination.toHost('db') }] },
      "spec.tcp[0].match[0].destinationSubnets[0] ('10.0.0.0/40')",
    ],
    [
      'an invalid port',
      { match: [{ port: 65536 }], route: [{ destination: RouteDestination.toHost('db') }] },
      'spec.tcp[0].match[0].port (65536) must be a port number between 1 and 65535',
    ],
    [
      'an invalid destination subset',
      { route: [{ destination: RouteDestination.toHost('db', { subset: 'v_1' }) }] },
      "spec.tcp[0].route[0].destination.subset ('v_1') must be a DNS-1123 label",
    ],
    [
      'an invalid source label value',
      { match: [{ sourceLabels: { app: 'a b' } }], route: [{ destination: RouteDestination.toHost('db') }] },
      "spec.tcp[0].match[0].sourceLabels.app ('a b') is not a valid label value",
    ],
  ])('rejects a TCP route with %s', (_what, options, message) => {
    const vs = new VirtualService(Testing.chart(), 'db', { hosts: ['db'] });
    expect(() => vs.addTcpRoute(options as any)).toThrow(message);
  });
});

describe('VirtualService output passes the CRD schema', () => {
  test('every synthesized VirtualService validates', () => {
    const chart = Testing.chart();
    const gw = GatewayRef.fromName('edge');
    new VirtualService(chart, 'full', {
      hosts: ['bank.example.com'],
      gateways: [gw],
      http: [
        {
          name: 'api',
          match: [
            {
              name: 'm',
              uri: StringMatch.prefix('/api'),
              headers: [HeaderMatch.present('x-canary')],
              withoutHeaders: [HeaderMatch.exact('x-skip', '1')],
              port: 80,
              ignoreUriCase: true,
            },
          ],
          route: [
            {
              destination: RouteDestination.toHost('api', { subset: 'v1', port: 8080 }),
              weight: 1,
              headers: { request: { set: { 'x-a': 'b' } } },
            },
            { destination: RouteDestination.toHost('api', { subset: 'v2' }), weight: 3 },
          ],
          timeout: Duration.seconds(3),
          retries: { attempts: 2, perTryTimeout: Duration.millis(500), retryOn: [RetryOn.HTTP_5XX] },
          fault: { abort: HttpFaultAbort.httpStatus(500, 0.1) },
          mirror: RouteDestination.toHost('shadow'),
          mirrorPercentage: 5,
          rewrite: { uri: '/', authority: 'api.internal' },
          headers: { response: { remove: ['server'] } },
          corsPolicy: {
            allowOrigins: [StringMatch.exact('https://bank.example.com')],
            allowMethods: ['GET'],
            maxAge: Duration.minutes(1),
            allowCredentials: false,
          },
        },
        { match: [{ uri: StringMatch.exact('/health') }], directResponse: { status: 200, body: 'ok' } },
        { redirect: HttpRedirect.toHttps() },
      ],
      exportTo: ['*'],
    });
    const tcp = new VirtualService(chart, 'db', { hosts: ['db'] });
    tcp.addTcpRoute({ route: [{ destination: RouteDestination.toHost('db') }] });
    const objects = Testing.synth(chart);
    expect(objects).toHaveLength(2);
    for (const object of objects) {
      expect(checkSchema({ object, source: {} })).toEqual([]);
    }
  });
});
