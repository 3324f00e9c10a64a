import { analyze, deployment, dr, gw, istio, se, service, summary, vs } from '../fixtures/analysis/builders';

const route = (host: string, extra: any = {}) => ({ http: [{ route: [{ destination: { host, ...extra } }] }] });

describe('IST0101 destination host', () => {
  test('a short host with no Service is reported with the expanded name', () => {
    const findings = analyze([service('reviews'), vs('r', { hosts: ['reviews'], ...route('reviewz') })]);
    expect(summary(findings)).toEqual(['IST0101 VirtualService/r spec.http[0].route[0].destination.host']);
    expect(findings[0].message).toContain(
      "destination host 'reviewz' not found: no Service or ServiceEntry in the set provides 'reviewz.default.svc.cluster.local'",
    );
  });

  test('short, FQDN and ServiceEntry hosts that exist are not reported', () => {
    const findings = analyze([
      service('reviews', { namespace: 'shop' }),
      se('ext', { hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS' }, 'shop'),
      vs(
        'r',
        {
          hosts: ['reviews'],
          http: [
            {
              route: [
                { destination: { host: 'reviews' }, weight: 50 },
                { destination: { host: 'reviews.shop.svc.cluster.local' }, weight: 50 },
              ],
            },
          ],
          tcp: [{ route: [{ destination: { host: 'api.example.com' } }] }],
        },
        'shop',
      ),
    ]);
    expect(findings).toEqual([]);
  });

  test('mirror hosts are checked too', () => {
    const findings = analyze([
      service('reviews'),
      vs('r', {
        hosts: ['reviews'],
        http: [
          { match: [{ uri: { prefix: '/a' } }], route: [{ destination: { host: 'reviews' } }], mirror: { host: 'shadow' } },
          { route: [{ destination: { host: 'reviews' } }], mirrors: [{ destination: { host: 'reviews' } }] },
        ],
      }),
    ]);
    expect(summary(findings)).toEqual(['IST0101 VirtualService/r spec.http[0].mirror.host']);
    expect(findings[0].message).toContain("mirror host 'shadow' not found");
  });

  test('a short host resolves in the namespace of the VirtualService, not the Service', () => {
    const findings = analyze([service('reviews', { namespace: 'a' }), vs('r', { hosts: ['reviews'], ...route('reviews') }, 'b')]);
    expect(summary(findings)).toEqual(['IST0101 VirtualService/r spec.http[0].route[0].destination.host']);
  });

  test('closed world: external hosts and namespaces absent from the set are not judged', () => {
    const findings = analyze([
      vs('r', {
        hosts: ['reviews'],
        http: [
          {
            route: [
              { destination: { host: 'api.example.com' }, weight: 50 },
              { destination: { host: 'ratings.elsewhere.svc.cluster.local' }, weight: 50 },
            ],
          },
        ],
      }),
    ]);
    expect(findings).toEqual([]);
  });

  test('an FQDN in a namespace of the set is judged', () => {
    const findings = analyze([
      service('x', { namespace: 'prod' }),
      vs('r', { hosts: ['reviews'], ...route('ratings.prod.svc.cluster.local') }),
    ]);
    expect(summary(findings)).toEqual(['IST0101 VirtualService/r spec.http[0].route[0].destination.host']);
  });

  test("'name.namespace' is taken verbatim, as Istio does, with a hint", () => {
    const findings = analyze([
      service('reviews', { namespace: 'prod' }),
      vs('r', { hosts: ['reviews'], ...route('reviews.prod') }, 'prod'),
    ]);
    expect(summary(findings)).toEqual(['IST0101 VirtualService/r spec.http[0].route[0].destination.host']);
    expect(findings[0].message).toContain("write 'reviews.prod.svc.cluster.local'");
  });

  test('a wildcard ServiceEntry provides matching hosts by suffix', () => {
    const entry = se('wild', {
      hosts: ['*.example.com'],
      ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
      location: 'MESH_EXTERNAL',
    });
    expect(analyze([entry, vs('r', { hosts: ['a.example.com'], ...route('a.b.example.com') })])).toEqual([]);
    expect(analyze([entry, vs('r', { hosts: ['reviews'], ...route('reviews') })]).map((f) => f.code)).toEqual(['IST0101']);
  });

  test('exportTo hides a Service or ServiceEntry from other namespaces', () => {
    const hidden = service('reviews', { namespace: 'a', annotations: { 'networking.istio.io/exportTo': '.' } });
    const findings = analyze([hidden, vs('r', { hosts: ['x'], ...route('reviews.a.svc.cluster.local') }, 'b')]);
    expect(summary(findings)).toEqual(['IST0101 VirtualService/r spec.http[0].route[0].destination.host']);
    expect(findings[0].message).toContain("does not export it to namespace 'b'");
    expect(analyze([hidden, vs('r', { hosts: ['x'], ...route('reviews') }, 'a')])).toEqual([]);
    const entry = se('e', { hosts: ['api.internal'], exportTo: ['c'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] }, 'a');
    expect(analyze([entry, service('x', { namespace: 'c' }), vs('r', { hosts: ['x'], ...route('api.internal') }, 'c')])).toEqual([]);
  });
});

describe('IST0101 destination port / IST0112', () => {
  const twoPorts = service('reviews', {
    ports: [
      { name: 'http', port: 9080 },
      { name: 'grpc', port: 9090 },
    ],
  });

  test('a port that the Service does not have', () => {
    const findings = analyze([service('reviews'), vs('r', { hosts: ['reviews'], ...route('reviews', { port: { number: 8080 } }) })]);
    expect(summary(findings)).toEqual(['IST0101 VirtualService/r spec.http[0].route[0].destination.port.number']);
    expect(findings[0].message).toContain(
      "port 8080 of destination host 'reviews' not found: 'reviews.default.svc.cluster.local' has ports 9080 'http'",
    );
  });

  test('a port the Service has', () => {
    expect(analyze([twoPorts, vs('r', { hosts: ['reviews'], ...route('reviews', { port: { number: 9090 } }) })])).toEqual([]);
  });

  test('IST0112: no port while the Service has several', () => {
    const findings = analyze([twoPorts, vs('r', { hosts: ['reviews'], ...route('reviews') })]);
    expect(summary(findings)).toEqual(['IST0112 VirtualService/r spec.http[0].route[0].destination.port']);
    expect(findings[0].message).toContain("exposes several ports (9080 'http', 9090 'grpc')");
  });

  test('no port with a single-port Service is fine', () => {
    expect(analyze([service('reviews'), vs('r', { hosts: ['reviews'], ...route('reviews') })])).toEqual([]);
  });
});

describe('IST0101 subset', () => {
  const rule = dr('reviews', {
    host: 'reviews',
    subsets: [
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' } },
    ],
  });

  test('a subset no DestinationRule defines', () => {
    const findings = analyze([service('reviews'), rule, vs('r', { hosts: ['reviews'], ...route('reviews', { subset: 'v3' }) })]);
    expect(summary(findings)).toEqual(['IST0101 VirtualService/r spec.http[0].route[0].destination.subset']);
    expect(findings[0].message).toContain(
      "subset 'v3' of destination host 'reviews' is not defined: the DestinationRule(s) for 'reviews.default.svc.cluster.local' define 'v1', 'v2'",
    );
  });

  test('a defined subset, also when the rule writes the FQDN', () => {
    const fqdnRule = dr('reviews', { host: 'reviews.default.svc.cluster.local', subsets: [{ name: 'v3', labels: { version: 'v3' } }] });
    expect(analyze([service('reviews'), fqdnRule, vs('r', { hosts: ['reviews'], ...route('reviews', { subset: 'v3' }) })])).toEqual([]);
  });

  test('a rule for the same short host in another namespace does not count', () => {
    const other = dr('reviews', { host: 'reviews', subsets: [{ name: 'v1' }] }, 'other');
    const findings = analyze([service('reviews'), other, vs('r', { hosts: ['reviews'], ...route('reviews', { subset: 'v1' }) })]);
    expect(summary(findings, 'IST0101')).toEqual(['IST0101 VirtualService/r spec.http[0].route[0].destination.subset']);
    expect(findings.find((f) => f.code === 'IST0101')!.message).toContain(
      "no DestinationRule in the set has host 'reviews.default.svc.cluster.local'",
    );
  });

  test('external hosts without any DestinationRule in the set are not judged', () => {
    expect(analyze([vs('r', { hosts: ['x.example.com'], ...route('api.example.com', { subset: 'v1' }) })])).toEqual([]);
  });
});

describe('IST0101 gateway / IST0132', () => {
  const gateway = gw(
    'edge',
    {
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com', 'team/*.internal.example.com'] }],
    },
    'istio-system',
  );
  const bound = (gateways: string[], hosts: string[], ns = 'team') => vs('front', { hosts, gateways, ...route('front') }, ns);

  test('a gateway that does not exist in a namespace of the set', () => {
    const findings = analyze([service('front', { namespace: 'team' }), gateway, bound(['istio-system/missing'], ['shop.example.com'])]);
    expect(summary(findings)).toEqual(['IST0101 VirtualService/front spec.gateways[0]']);
    expect(findings[0].message).toContain("gateway 'istio-system/missing' not found: no Gateway 'missing' in namespace 'istio-system'");
  });

  test('a bare gateway name means the VirtualService namespace', () => {
    const findings = analyze([service('front', { namespace: 'team' }), gateway, bound(['edge'], ['shop.example.com'])]);
    expect(summary(findings)).toEqual(['IST0101 VirtualService/front spec.gateways[0]']);
  });

  test('existing gateway, mesh, and gateways in namespaces absent from the set', () => {
    expect(
      analyze([
        service('front', { namespace: 'team' }),
        gateway,
        bound(['istio-system/edge', 'mesh', 'ingress/other'], ['shop.example.com']),
      ]),
    ).toEqual([]);
  });

  test('IST0132: no VirtualService host is served by the gateway', () => {
    const findings = analyze([service('front', { namespace: 'team' }), gateway, bound(['istio-system/edge'], ['api.example.com'])]);
    expect(summary(findings)).toEqual(['IST0132 VirtualService/front spec.gateways[0]']);
    expect(findings[0].severity).toBe('warning');
  });

  test('IST0132 honours namespace-scoped and wildcard server hosts', () => {
    expect(analyze([service('front', { namespace: 'team' }), gateway, bound(['istio-system/edge'], ['a.internal.example.com'])])).toEqual(
      [],
    );
    const other = analyze([
      service('front', { namespace: 'other' }),
      gateway,
      bound(['istio-system/edge'], ['a.internal.example.com'], 'other'),
    ]);
    expect(summary(other)).toEqual(['IST0132 VirtualService/front spec.gateways[0]']);
  });
});

describe('IST0174 DestinationRule host', () => {
  test('a host that matches no Service', () => {
    const findings = analyze([service('reviews'), dr('r', { host: 'reviewz' })]);
    expect(summary(findings)).toEqual(['IST0174 DestinationRule/r spec.host']);
    expect(findings[0].severity).toBe('warning');
  });

  test('a host that matches a Service, or is external', () => {
    expect(analyze([service('reviews'), dr('r', { host: 'reviews' }), dr('e', { host: 'api.example.com' })])).toEqual([]);
  });

  test('apiVersions v1beta1 and v1alpha3 are analyzed like v1', () => {
    for (const version of ['v1beta1', 'v1alpha3']) {
      const findings = analyze([
        deployment('d', { app: 'x' }),
        istio('DestinationRule', 'r', { host: 'nothing' }, undefined, `networking.istio.io/${version}`),
      ]);
      expect(summary(findings)).toEqual(['IST0174 DestinationRule/r spec.host']);
    }
  });
});
