import { analyze, gw, service, summary, vs } from '../fixtures/analysis/builders';

const toReviews = { http: [{ route: [{ destination: { host: 'reviews' } }] }] };

describe('IST0109 two mesh VirtualServices for one host', () => {
  test('both are reported, short and FQDN hosts collide', () => {
    const findings = analyze([
      service('reviews'),
      vs('a', { hosts: ['reviews'], ...toReviews }),
      vs('b', { hosts: ['reviews.default.svc.cluster.local'], ...toReviews }),
    ]);
    expect(summary(findings)).toEqual(['IST0109 VirtualService/a spec.hosts[0]', 'IST0109 VirtualService/b spec.hosts[0]']);
    expect(findings[0].message).toContain("host 'reviews.default.svc.cluster.local' overlaps hosts of mesh VirtualService default/b");
  });

  test('a gateway-only VirtualService and namespace-private ones in different namespaces do not collide', () => {
    const findings = analyze([
      service('reviews'),
      vs('mesh', { hosts: ['reviews.default.svc.cluster.local'], ...toReviews }),
      vs('edge', { hosts: ['reviews.default.svc.cluster.local'], gateways: ['gw'], ...toReviews }),
      gw('gw', {
        selector: { istio: 'ingressgateway' },
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
      }),
      vs('x', { hosts: ['api.example.com'], exportTo: ['.'], ...toReviews }, 'team-a'),
      vs('y', { hosts: ['api.example.com'], exportTo: ['.'], ...toReviews }, 'team-b'),
    ]);
    expect(summary(findings, 'IST0109')).toEqual([]);
  });

  test('a VirtualService exported everywhere collides with a namespace-private one', () => {
    const findings = analyze([
      vs('x', { hosts: ['api.example.com'], http: [{ route: [{ destination: { host: 'api.example.com' } }] }] }, 'team-a'),
      vs('y', { hosts: ['api.example.com'], exportTo: ['.'], http: [{ route: [{ destination: { host: 'api.example.com' } }] }] }, 'team-b'),
    ]);
    expect(summary(findings, 'IST0109')).toEqual(['IST0109 VirtualService/x spec.hosts[0]', 'IST0109 VirtualService/y spec.hosts[0]']);
  });
});

describe('IST0145 conflicting gateways', () => {
  const server = (hosts: string[], port = 80, bind?: string) => ({
    port: { number: port, name: `http-${port}-${hosts[0].replace(/[^a-z]/g, '')}`, protocol: 'HTTP' },
    hosts,
    ...(bind ? { bind } : {}),
  });
  const gateway = (name: string, servers: any[], ns?: string, selector: any = { istio: 'ingressgateway' }) =>
    gw(name, { selector, servers }, ns);

  test('same selector, port and host in two gateways', () => {
    const findings = analyze([
      gateway('a', [server(['shop.example.com'])]),
      gateway('b', [server(['admin.example.com']), server(['shop.example.com'])], 'other'),
    ]);
    expect(summary(findings)).toEqual(['IST0145 Gateway/a spec.servers[0]', 'IST0145 Gateway/b spec.servers[1]']);
    expect(findings[0].message).toContain("server for host 'shop.example.com' on port 80 conflicts with Gateway other/b");
  });

  test('a different selector, port, bind or host does not conflict', () => {
    const findings = analyze([
      gateway('a', [server(['shop.example.com'])]),
      gateway('b', [server(['shop.example.com'])], undefined, { istio: 'eastwestgateway' }),
      gateway('c', [server(['shop.example.com'], 8080)]),
      gateway('d', [server(['shop.example.com'], 80, '10.0.0.1')]),
      gateway('e', [server(['www.example.com'])]),
    ]);
    expect(summary(findings, 'IST0145')).toEqual([]);
  });
});

describe('CDK0001 duplicate objects', () => {
  test('same kind, namespace and name twice, across API versions of one group', () => {
    const a = vs('r', { hosts: ['reviews'], ...toReviews });
    const b = { ...vs('r', { hosts: ['reviews'], ...toReviews }), apiVersion: 'networking.istio.io/v1alpha3' };
    const findings = analyze([service('reviews'), a, b]);
    expect(summary(findings)).toEqual(['CDK0001 VirtualService/r metadata.name']);
    expect(findings[0].message).toContain("VirtualService 'r' is defined more than once in namespace 'default' (first as object #1)");
  });

  test('same name in another namespace or another kind is fine; no namespace means default', () => {
    expect(
      analyze([service('reviews'), service('reviews', { namespace: 'other' }), vs('reviews', { hosts: ['reviews'], ...toReviews })]),
    ).toEqual([]);
    expect(summary(analyze([service('reviews'), service('reviews', { namespace: 'default' })]))).toEqual([
      'CDK0001 Service/reviews metadata.name',
    ]);
  });
});
