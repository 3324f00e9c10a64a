import { Duration, Testing } from 'cdk8s';
import {
  DelegateRef,
  DelegateVirtualService,
  Gateway,
  GatewayRef,
  HeaderMatch,
  RouteDestination,
  StringMatch,
  UnmatchedPreflights,
  VirtualService,
} from '../../lib';
import { IstioConfigError } from '../../lib/kinds/errors';
import { checkSchema } from '../../lib/analysis/schema-check';
import { checkRuleBook } from '../../lib/analysis/rule-book-check';

const teller = (subset?: string) => RouteDestination.toHost('teller', { subset });

/** Every object of the chart passes the CRD schema (with CEL) and the rule book. */
function expectClean(chart: ReturnType<typeof Testing.chart>): any[] {
  const objects = Testing.synth(chart);
  for (const object of objects) {
    expect(checkSchema({ object, source: {} })).toEqual([]);
    expect(checkRuleBook({ object, source: {} })).toEqual([]);
  }
  return objects;
}

describe('VirtualService TLS routes', () => {
  test('SNI passthrough on a gateway renders the TLS route and is clean', () => {
    const chart = Testing.chart();
    const gw = new Gateway(chart, 'vault-gateway', { servers: [{ port: 443, hosts: ['vault.yunqi.example'] }] });
    const vs = new VirtualService(chart, 'vault', {
      hosts: ['vault.yunqi.example'],
      gateways: [gw],
      tls: [
        {
          match: [{ port: 443, sniHosts: ['vault.yunqi.example'] }],
          route: [{ destination: RouteDestination.toHost('vault', { port: 8443 }) }],
        },
      ],
    });
    const [, rendered] = expectClean(chart);
    expect(rendered.spec.tls).toEqual([
      { match: [{ port: 443, sniHosts: ['vault.yunqi.example'] }], route: [{ destination: { host: 'vault', port: { number: 8443 } } }] },
    ]);
    expect(vs.hosts).toEqual(['vault.yunqi.example']);
  });

  test('weighted TLS destinations and destination subnets render', () => {
    const chart = Testing.chart();
    const vs = new VirtualService(chart, 'ledger', { hosts: ['ledger.yunqi.example'] });
    vs.addTlsRoute({
      match: [{ sniHosts: ['ledger.yunqi.example'], destinationSubnets: ['10.8.0.0/16'] }],
      route: [
        { destination: RouteDestination.toHost('ledger', { subset: 'v1' }), weight: 90 },
        { destination: RouteDestination.toHost('ledger', { subset: 'v2' }), weight: 10 },
      ],
    });
    const [rendered] = expectClean(chart);
    expect(rendered.spec.tls[0].match[0].destinationSubnets).toEqual(['10.8.0.0/16']);
    expect(rendered.spec.tls[0].route.map((r: any) => r.weight)).toEqual([90, 10]);
  });

  test('an SNI host outside the hosts is refused, and the route is not added', () => {
    const chart = Testing.chart();
    const vs = new VirtualService(chart, 'ledger', { hosts: ['ledger.yunqi.example'], tcp: [{ route: [{ destination: teller() }] }] });
    expect(() => vs.addTlsRoute({ match: [{ sniHosts: ['vault.yunqi.example'] }], route: [{ destination: teller() }] })).toThrow(
      /spec\.tls\[0\]\.match\[0\]\.sniHosts\[0\] \('vault\.yunqi\.example'\) is not covered by any of the VirtualService hosts/,
    );
    // Near miss: a wildcard host covers the SNI name.
    vs.addTlsRoute({ match: [{ sniHosts: ['ledger.yunqi.example'] }], route: [{ destination: teller() }] });
    expect(Testing.synth(chart)[0].spec.tls).toHaveLength(1);
  });

  test('a TLS match without SNI hosts is refused', () => {
    const chart = Testing.chart();
    expect(
      () =>
        new VirtualService(chart, 'ledger', {
          hosts: ['ledger.yunqi.example'],
          tls: [{ match: [{ sniHosts: [] }], route: [{ destination: teller() }] }],
        }),
    ).toThrow(/sniHosts/);
  });
});

describe('VirtualService TCP match sourceSubnet and integer fields', () => {
  test('sourceSubnet renders', () => {
    const chart = Testing.chart();
    new VirtualService(chart, 'teller', {
      hosts: ['teller'],
      tcp: [{ match: [{ port: 31400, sourceSubnet: '10.1.0.0/16' }], route: [{ destination: teller() }] }],
    });
    expect(expectClean(chart)[0].spec.tcp[0].match).toEqual([{ port: 31400, sourceSubnet: '10.1.0.0/16' }]);
  });

  test('a fractional port is refused by the CRD schema at construction; a whole one is not', () => {
    const chart = Testing.chart();
    expect(
      () =>
        new VirtualService(chart, 'a', { hosts: ['teller'], tcp: [{ match: [{ port: 31400.5 }], route: [{ destination: teller() }] }] }),
    ).toThrow(/spec\.tcp\[0\]\.match\[0\]\.port \(31400\.5\) must be an integer/);
    expect(
      () => new VirtualService(chart, 'b', { hosts: ['teller'], tcp: [{ match: [{ port: 31400 }], route: [{ destination: teller() }] }] }),
    ).not.toThrow();
  });
});

describe('delegate VirtualServices', () => {
  test('a root route delegates to a DelegateVirtualService; both are clean', () => {
    const chart = Testing.chart();
    const users = new DelegateVirtualService(chart, 'addedvalues-users', {
      metadata: { namespace: 'yunqi' },
      http: [
        {
          match: [{ uri: StringMatch.prefix('/users'), headers: [HeaderMatch.prefix('end-user', 'yunqi')] }],
          route: [{ destination: RouteDestination.toHost('addedvalues', { subset: 'v3' }) }],
        },
        {
          match: [{ uri: StringMatch.prefix('/users') }],
          route: [{ destination: RouteDestination.toHost('addedvalues', { subset: 'v2' }) }],
        },
      ],
    });
    new VirtualService(chart, 'addedvalues', {
      hosts: ['addedvalues'],
      http: [
        { match: [{ uri: StringMatch.prefix('/users') }], delegate: users },
        { route: [{ destination: RouteDestination.toHost('addedvalues', { subset: 'v1' }) }] },
      ],
    });
    const [delegate, root] = expectClean(chart);
    expect(delegate.spec.hosts).toBeUndefined();
    expect(delegate.spec.gateways).toBeUndefined();
    expect(root.spec.http[0]).toEqual({
      match: [{ uri: { prefix: '/users' } }],
      delegate: { name: 'addedvalues-users', namespace: 'yunqi' },
    });
  });

  test('DelegateRef names a delegate outside the app', () => {
    const chart = Testing.chart();
    new VirtualService(chart, 'root', { hosts: ['addedvalues'], http: [{ delegate: DelegateRef.fromName('users', 'team-a') }] });
    expect(expectClean(chart)[0].spec.http[0].delegate).toEqual({ name: 'users', namespace: 'team-a' });
  });

  test('a delegate may not delegate again (the root may)', () => {
    const chart = Testing.chart();
    expect(() => new DelegateVirtualService(chart, 'd', { http: [{ delegate: DelegateRef.fromName('other') }] })).toThrow(
      /spec\.http\[0\]\.delegate: a delegate VirtualService may not delegate again/,
    );
    expect(() => new VirtualService(chart, 'r', { hosts: ['x'], http: [{ delegate: DelegateRef.fromName('other') }] })).not.toThrow();
  });

  test('a delegate has only HTTP routes', () => {
    const chart = Testing.chart();
    const d = new DelegateVirtualService(chart, 'd', { http: [{ route: [{ destination: teller() }] }] });
    expect(() => d.addTcpRoute({ route: [{ destination: teller() }] })).toThrow(/only have http routes/);
  });

  test('a root route with delegate may not also route', () => {
    const chart = Testing.chart();
    expect(
      () =>
        new VirtualService(chart, 'r', {
          hosts: ['x'],
          http: [{ delegate: DelegateRef.fromName('d'), route: [{ destination: teller() }] }],
        }),
    ).toThrow(/a route with delegate may not also set route/);
  });

  test('a VirtualService with an empty host list points to DelegateVirtualService', () => {
    const chart = Testing.chart();
    expect(() => new VirtualService(chart, 'r', { hosts: [], http: [{ route: [{ destination: teller() }] }] })).toThrow(
      /must list at least one host.*DelegateVirtualService/,
    );
  });
});

describe('HTTP route 1.30 fields', () => {
  test('several mirrors, each with a percentage', () => {
    const chart = Testing.chart();
    new VirtualService(chart, 'teller', {
      hosts: ['teller'],
      http: [
        { route: [{ destination: teller('v1') }], mirrors: [{ destination: teller('v2'), percentage: 50 }, { destination: teller('v3') }] },
      ],
    });
    expect(expectClean(chart)[0].spec.http[0].mirrors).toEqual([
      { destination: { host: 'teller', subset: 'v2' }, percentage: { value: 50 } },
      { destination: { host: 'teller', subset: 'v3' } },
    ]);
  });

  test('mirror and mirrors together are refused; a mirror percentage over 100 is refused', () => {
    const chart = Testing.chart();
    const route = { route: [{ destination: teller('v1') }] };
    expect(
      () =>
        new VirtualService(chart, 'a', {
          hosts: ['teller'],
          http: [{ ...route, mirror: teller('v2'), mirrors: [{ destination: teller('v3') }] }],
        }),
    ).toThrow(/mutually exclusive/);
    expect(
      () =>
        new VirtualService(chart, 'b', {
          hosts: ['teller'],
          http: [{ ...route, mirrors: [{ destination: teller('v3'), percentage: 100.5 }] }],
        }),
    ).toThrow(/mirrors\[0\]\.percentage\.value/);
    expect(
      () =>
        new VirtualService(chart, 'c', {
          hosts: ['teller'],
          http: [{ ...route, mirrors: [{ destination: teller('v3'), percentage: 100 }] }],
        }),
    ).not.toThrow();
  });

  test('retries backoff and retryIgnorePreviousHosts render; a backoff under 1ms is refused', () => {
    const chart = Testing.chart();
    new VirtualService(chart, 'a', {
      hosts: ['teller'],
      http: [
        { route: [{ destination: teller() }], retries: { attempts: 3, backoff: Duration.millis(100), retryIgnorePreviousHosts: false } },
      ],
    });
    expect(expectClean(chart)[0].spec.http[0].retries).toEqual({ attempts: 3, backoff: '100ms', retryIgnorePreviousHosts: false });
    expect(
      () =>
        new VirtualService(chart, 'b', {
          hosts: ['teller'],
          http: [{ route: [{ destination: teller() }], retries: { attempts: 3, backoff: Duration.millis(0.5) } }],
        }),
    ).toThrow(IstioConfigError);
    expect(
      () =>
        new VirtualService(chart, 'c', {
          hosts: ['teller'],
          http: [{ route: [{ destination: teller() }], retries: { attempts: 3, backoff: Duration.millis(1) } }],
        }),
    ).not.toThrow();
  });

  test('match statPrefix and CORS unmatchedPreflights render and are clean', () => {
    const chart = Testing.chart();
    new VirtualService(chart, 'teller', {
      hosts: ['teller'],
      gateways: [GatewayRef.MESH],
      http: [
        {
          match: [{ uri: StringMatch.prefix('/api'), statPrefix: 'teller-api' }],
          route: [{ destination: teller() }],
          corsPolicy: { allowOrigins: [StringMatch.exact('https://bank.example')], unmatchedPreflights: UnmatchedPreflights.IGNORE },
        },
      ],
    });
    const http = expectClean(chart)[0].spec.http[0];
    expect(http.match[0].statPrefix).toBe('teller-api');
    expect(http.corsPolicy.unmatchedPreflights).toBe('IGNORE');
  });
});
