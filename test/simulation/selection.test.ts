import { deployment, gw, se, service, vs } from '../fixtures/analysis/builders';
import { REVIEWS, shopMesh } from '../fixtures/simulation/mesh';
import { MeshSimulator, OutboundTrafficPolicy, RequestProtocol, RouteOutcome } from '../../lib';

const toV = (name: string, subset: string, spec: any = {}, namespace = 'shop') =>
  vs(name, { hosts: ['reviews'], ...spec, http: [{ route: [{ destination: { host: 'reviews', subset } }] }] }, namespace);

describe('host names', () => {
  const sim = MeshSimulator.fromManifests([...shopMesh(), toV('reviews', 'v2')]);

  test.each([
    ['reviews', 'shop'],
    ['reviews.shop', 'shop'],
    ['reviews.shop.svc', 'shop'],
    [REVIEWS, 'shop'],
    ['reviews.shop', 'default'],
    [`${REVIEWS}:9080`, 'default'],
    ['REVIEWS.shop', 'default'],
  ])('%s from namespace %s reaches the VirtualService of reviews.shop', (host, ns) => {
    const d = sim.request({ host, sourceNamespace: ns });
    expect(d.virtualService).toBe('shop/reviews');
    expect(d.destinations[0].subset).toBe('v2');
  });

  test('a short name resolves in the caller namespace: from default, `reviews` is another host', () => {
    const d = sim.request({ host: 'reviews', sourceNamespace: 'default' });
    expect(d.outcome).toBe(RouteOutcome.PASSTHROUGH);
    expect(d.virtualService).toBeUndefined();
  });
});

describe('which VirtualService', () => {
  test('an exact host wins over a wildcard, whatever the order', () => {
    const sim = MeshSimulator.fromManifests([
      ...shopMesh(),
      vs(
        'any-shop',
        { hosts: ['*.shop.svc.cluster.local'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] },
        'shop',
      ),
      toV('zz-reviews', 'v3'),
    ]);
    expect(sim.request({ host: 'reviews.shop' }).virtualService).toBe('shop/zz-reviews');
    expect(sim.request({ host: 'ratings.shop' }).virtualService).toBe('shop/any-shop');
  });

  test('the more specific wildcard wins', () => {
    const sim = MeshSimulator.fromManifests([
      se('ext', { hosts: ['api.eu.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' }),
      vs('all', { hosts: ['*.example.com'], http: [{ route: [{ destination: { host: 'a.example.com' } }] }] }),
      vs('eu', { hosts: ['*.eu.example.com'], http: [{ route: [{ destination: { host: 'b.example.com' } }] }] }),
    ]);
    expect(sim.request({ host: 'api.eu.example.com' }).virtualService).toBe('default/eu');
  });

  test('two VirtualServices for one host: the sidecar keeps the oldest, then the first by name', () => {
    const older = toV('b-reviews', 'v1');
    older.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
    const newer = toV('a-reviews', 'v3');
    newer.metadata.creationTimestamp = '2025-01-01T00:00:00Z';
    const d = MeshSimulator.fromManifests([...shopMesh(), newer, older]).request({ host: 'reviews.shop' });
    expect(d.virtualService).toBe('shop/b-reviews');
    expect(d.notes.join('\n')).toContain('shop/a-reviews also names');
    const byName = MeshSimulator.fromManifests([...shopMesh(), toV('b-reviews', 'v1'), toV('a-reviews', 'v3')]).request({
      host: 'reviews.shop',
    });
    expect(byName.virtualService).toBe('shop/a-reviews');
  });

  test('exportTo: a VirtualService exported to its own namespace does not apply elsewhere', () => {
    const sim = MeshSimulator.fromManifests([...shopMesh(), toV('reviews', 'v3', { exportTo: ['.'] })]);
    expect(sim.request({ host: 'reviews', sourceNamespace: 'shop' }).destinations[0].subset).toBe('v3');
    const other = sim.request({ host: 'reviews.shop', sourceNamespace: 'web' });
    expect(other.virtualService).toBeUndefined();
    expect(other.destinations.map((d) => d.subset)).toEqual([undefined]);
  });

  test('exportTo a list of namespaces', () => {
    const sim = MeshSimulator.fromManifests([...shopMesh(), toV('reviews', 'v3', { exportTo: ['web'] })]);
    expect(sim.request({ host: 'reviews.shop', sourceNamespace: 'web' }).virtualService).toBe('shop/reviews');
    expect(sim.request({ host: 'reviews.shop', sourceNamespace: 'shop' }).virtualService).toBeUndefined();
  });

  test('a VirtualService bound only to a gateway does not apply to sidecars; `mesh` in its gateways does', () => {
    const gwOnly = MeshSimulator.fromManifests([...shopMesh(), toV('reviews', 'v3', { gateways: ['shop-gw'] })]);
    expect(gwOnly.request({ host: 'reviews.shop' }).virtualService).toBeUndefined();
    const both = MeshSimulator.fromManifests([...shopMesh(), toV('reviews', 'v3', { gateways: ['shop-gw', 'mesh'] })]);
    expect(both.request({ host: 'reviews.shop' }).virtualService).toBe('shop/reviews');
  });
});

describe('without a VirtualService', () => {
  test('a known Service gets default routing to all its endpoints', () => {
    const d = MeshSimulator.fromManifests(shopMesh()).request({ host: 'reviews.shop' });
    expect(d.outcome).toBe(RouteOutcome.ROUTED);
    expect(d.destinations).toHaveLength(1);
    expect(d.destinations[0]).toMatchObject({ host: REVIEWS, port: 9080, weight: 100, service: 'Service shop/reviews' });
    expect(d.destinations[0].subset).toBeUndefined();
    expect(d.destinations[0].workloads.map((w) => w.name)).toEqual(['reviews-v1', 'reviews-v2', 'reviews-v3']);
  });

  test('an unknown host passes through under ALLOW_ANY and is dropped under REGISTRY_ONLY', () => {
    expect(MeshSimulator.fromManifests(shopMesh()).request({ host: 'example.org' }).outcome).toBe(RouteOutcome.PASSTHROUGH);
    const strict = MeshSimulator.fromManifests(shopMesh(), { outboundTrafficPolicy: OutboundTrafficPolicy.REGISTRY_ONLY });
    const d = strict.request({ host: 'example.org' });
    expect(d.outcome).toBe(RouteOutcome.BLACKHOLE);
    expect(d.explain()).toContain('REGISTRY_ONLY');
  });

  test('a port the Service does not declare is not routed by it', () => {
    expect(MeshSimulator.fromManifests(shopMesh()).request({ host: 'reviews.shop', port: 8080 }).outcome).toBe(RouteOutcome.PASSTHROUGH);
  });

  test('a host only a VirtualService names is routed for HTTP on port 80 only', () => {
    const sim = MeshSimulator.fromManifests([
      ...shopMesh(),
      vs('ext', { hosts: ['www.example.com'], http: [{ route: [{ destination: { host: 'reviews.shop.svc.cluster.local' } }] }] }),
    ]);
    expect(sim.request({ host: 'www.example.com' }).virtualService).toBe('default/ext');
    expect(sim.request({ host: 'www.example.com', port: 8080 }).outcome).toBe(RouteOutcome.PASSTHROUGH);
  });
});

describe('through a gateway', () => {
  const gateway = gw(
    'web',
    {
      selector: { istio: 'ingressgateway' },
      servers: [
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*.example.com'] },
        { port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['secure.example.com'], tls: { mode: 'PASSTHROUGH' } },
      ],
    },
    'edge',
  );
  const front = vs(
    'front',
    {
      hosts: ['shop.example.com'],
      gateways: ['edge/web'],
      http: [
        { match: [{ uri: { prefix: '/reviews' } }], route: [{ destination: { host: 'reviews.shop.svc.cluster.local', subset: 'v1' } }] },
      ],
    },
    'shop',
  );
  const more = vs(
    'more',
    {
      hosts: ['shop.example.com'],
      gateways: ['edge/web'],
      http: [{ route: [{ destination: { host: 'reviews.shop.svc.cluster.local', subset: 'v3' } }] }],
    },
    'shop',
  );

  test('binds VirtualServices naming the gateway and merges their rules for one host, in order', () => {
    const sim = MeshSimulator.fromManifests([...shopMesh(), gateway, front, more]);
    expect(sim.request({ host: 'shop.example.com', gateway: 'edge/web', uri: '/reviews/1' }).destinations[0].subset).toBe('v1');
    const d = sim.request({ host: 'shop.example.com', gateway: 'edge/web', uri: '/' });
    expect(d.virtualService).toBe('shop/more');
    expect(d.destinations[0].subset).toBe('v3');
  });

  test('a host outside the servers, or no matching rule, gets 404', () => {
    const sim = MeshSimulator.fromManifests([...shopMesh(), gateway, front]);
    expect(sim.request({ host: 'other.org', gateway: 'edge/web' }).outcome).toBe(RouteOutcome.NO_ROUTE);
    expect(sim.request({ host: 'shop.example.com', gateway: 'edge/web', uri: '/' }).outcome).toBe(RouteOutcome.NO_ROUTE);
  });

  test('a sidecar does not use gateway-bound VirtualServices', () => {
    const sim = MeshSimulator.fromManifests([...shopMesh(), gateway, front]);
    expect(sim.request({ host: 'shop.example.com' }).outcome).toBe(RouteOutcome.PASSTHROUGH);
  });

  test('server hosts with a namespace only admit VirtualServices of that namespace', () => {
    const scoped = gw('web', { servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['other/*'] }] }, 'edge');
    expect(
      MeshSimulator.fromManifests([...shopMesh(), scoped, front]).request({
        host: 'shop.example.com',
        gateway: 'edge/web',
        uri: '/reviews',
      }).outcome,
    ).toBe(RouteOutcome.NO_ROUTE);
    const shop = gw('web', { servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop/*'] }] }, 'edge');
    expect(
      MeshSimulator.fromManifests([...shopMesh(), shop, front]).request({ host: 'shop.example.com', gateway: 'edge/web', uri: '/reviews' })
        .outcome,
    ).toBe(RouteOutcome.ROUTED);
  });

  test('a short gateway name resolves in the VirtualService namespace', () => {
    const local = gw('web', { servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] }, 'shop');
    const bound = vs('front', { hosts: ['*'], gateways: ['web'], http: [{ route: [{ destination: { host: 'reviews' } }] }] }, 'shop');
    const d = MeshSimulator.fromManifests([...shopMesh(), local, bound]).request({ host: 'anything.example.com', gateway: 'shop/web' });
    expect(d.virtualService).toBe('shop/front');
    expect(d.destinations[0].host).toBe(REVIEWS);
  });

  test('match-level gateways pick rules per caller', () => {
    const both = vs(
      'reviews',
      {
        hosts: ['reviews', 'shop.example.com'],
        gateways: ['mesh', 'edge/web'],
        http: [
          { match: [{ gateways: ['edge/web'] }], route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
          { route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
        ],
      },
      'shop',
    );
    const sim = MeshSimulator.fromManifests([...shopMesh(), gateway, both]);
    expect(sim.request({ host: 'shop.example.com', gateway: 'edge/web' }).destinations[0].subset).toBe('v1');
    expect(sim.request({ host: 'reviews', sourceNamespace: 'shop' }).destinations[0].subset).toBe('v2');
  });

  test('an unknown gateway is a usage error naming the known ones', () => {
    expect(() => MeshSimulator.fromManifests([gateway]).request({ host: 'x', gateway: 'edge/nope' })).toThrow(
      'no Gateway edge/nope in the manifests (known: edge/web)',
    );
  });

  test('TLS passthrough at the gateway routes by SNI', () => {
    const tls = vs(
      'secure',
      {
        hosts: ['secure.example.com'],
        gateways: ['edge/web'],
        tls: [
          {
            match: [{ sniHosts: ['secure.example.com'], port: 443 }],
            route: [{ destination: { host: 'reviews.shop.svc.cluster.local', subset: 'v2' } }],
          },
        ],
      },
      'shop',
    );
    const d = MeshSimulator.fromManifests([...shopMesh(), gateway, tls]).request({
      host: 'secure.example.com',
      gateway: 'edge/web',
      protocol: RequestProtocol.TLS,
    });
    expect(d.rule).toBe('tls[0]');
    expect(d.destinations[0].subset).toBe('v2');
  });
});

describe('TCP and TLS from sidecars', () => {
  const db = [
    service('db', { namespace: 'data', ports: [{ name: 'tcp', port: 5432 }] }),
    deployment('db-primary', { app: 'db', role: 'primary' }, 'data'),
    deployment('db-replica', { app: 'db', role: 'replica' }, 'data'),
  ];

  test('tcp rules: first match by port and source wins; without a match rule, default routing', () => {
    const rules = vs(
      'db',
      {
        hosts: ['db'],
        tcp: [
          { match: [{ port: 5432, sourceLabels: { app: 'reports' } }], route: [{ destination: { host: 'db', subset: 'replica' } }] },
          { match: [{ port: 5432 }], route: [{ destination: { host: 'db', subset: 'primary' } }] },
        ],
      },
      'data',
    );
    const drule = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'db', namespace: 'data' },
      spec: {
        host: 'db',
        subsets: [
          { name: 'primary', labels: { role: 'primary' } },
          { name: 'replica', labels: { role: 'replica' } },
        ],
      },
    };
    const sim = MeshSimulator.fromManifests([...db, rules, drule]);
    const reports = sim.request({ host: 'db.data', protocol: RequestProtocol.TCP, sourceLabels: { app: 'reports' } });
    expect(reports.rule).toBe('tcp[0]');
    expect(reports.destinations[0].workloads.map((w) => w.name)).toEqual(['db-replica']);
    const app = sim.request({ host: 'db.data', protocol: RequestProtocol.TCP });
    expect(app.rule).toBe('tcp[1]');
    expect(app.skipped[0].reasons[0]).toContain('sourceLabels want app=reports');
  });

  test('tcp and tls matches AND gateways with sourceLabels (HTTP matches let gateways override them)', () => {
    const rules = vs(
      'db',
      {
        hosts: ['db'],
        tcp: [
          { match: [{ gateways: ['mesh'], sourceLabels: { app: 'reports' } }], route: [{ destination: { host: 'db' } }] },
          { route: [{ destination: { host: 'db', port: { number: 5432 } } }] },
        ],
      },
      'data',
    );
    const sim = MeshSimulator.fromManifests([...db, rules]);
    expect(sim.request({ host: 'db.data', protocol: RequestProtocol.TCP, sourceLabels: { app: 'reports' } }).rule).toBe('tcp[0]');
    const other = sim.request({ host: 'db.data', protocol: RequestProtocol.TCP, sourceLabels: { app: 'web' } });
    expect(other.rule).toBe('tcp[1]');
  });

  test('tls rules match the SNI, wildcards included', () => {
    const ext = se('ext', { hosts: ['*.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'NONE' });
    const rules = vs('ext', {
      hosts: ['*.example.com'],
      tls: [{ match: [{ sniHosts: ['api.example.com'] }], route: [{ destination: { host: 'api.example.com' } }] }],
    });
    const sim = MeshSimulator.fromManifests([ext, rules]);
    expect(sim.request({ host: 'api.example.com', protocol: RequestProtocol.TLS }).rule).toBe('tls[0]');
    const other = sim.request({ host: 'www.example.com', protocol: RequestProtocol.TLS });
    expect(other.rule).toBeUndefined();
    expect(other.skipped[0].reasons[0]).toContain('SNI www.example.com is not one of api.example.com');
  });
});

describe('a VirtualService without a route for the caller is not applied (Istio builds no virtual host from it)', () => {
  const onlyForReports = vs(
    'reviews',
    {
      hosts: ['reviews'],
      http: [{ match: [{ sourceLabels: { app: 'reports' } }], route: [{ destination: { host: 'reviews', subset: 'v3' } }] }],
    },
    'shop',
  );

  test('other callers get default routing to the Service, not a 404', () => {
    const sim = MeshSimulator.fromManifests([...shopMesh(), onlyForReports]);
    const d = sim.request({ host: 'reviews.shop', sourceLabels: { app: 'web' } });
    expect(d.outcome).toBe(RouteOutcome.ROUTED);
    expect(d.virtualService).toBeUndefined();
    expect(d.destinations[0].workloads.map((w) => w.name)).toEqual(['reviews-v1', 'reviews-v2', 'reviews-v3']);
    expect(d.notes.join('\n')).toContain('Istio does not apply it');
    expect(sim.request({ host: 'reviews.shop', sourceLabels: { app: 'reports' } }).destinations[0].subset).toBe('v3');
  });

  test('rules for another port leave the VirtualService out on this one', () => {
    const portOnly = vs(
      'ratings',
      { hosts: ['ratings'], http: [{ match: [{ port: 9090 }], route: [{ destination: { host: 'ratings', port: { number: 9090 } } }] }] },
      'shop',
    );
    const sim = MeshSimulator.fromManifests([...shopMesh(), portOnly]);
    expect(sim.request({ host: 'ratings.shop', port: 9080 }).virtualService).toBeUndefined();
    expect(sim.request({ host: 'ratings.shop', port: 9090 }).virtualService).toBe('shop/ratings');
  });

  test('through a gateway, such a VirtualService is skipped and the others still serve', () => {
    const edge = gw('web', { servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] }, 'shop');
    const meshOnly = vs(
      'a-mesh-only',
      {
        hosts: ['shop.example.com'],
        gateways: ['web'],
        http: [{ match: [{ gateways: ['mesh'] }], route: [{ destination: { host: 'reviews', subset: 'v1' } }] }],
      },
      'shop',
    );
    const front = vs(
      'b-front',
      { hosts: ['shop.example.com'], gateways: ['web'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] },
      'shop',
    );
    const d = MeshSimulator.fromManifests([...shopMesh(), edge, meshOnly, front]).request({
      host: 'shop.example.com',
      gateway: 'shop/web',
    });
    expect(d.virtualService).toBe('shop/b-front');
    expect(d.notes.join('\n')).not.toContain('a-mesh-only');
  });
});
