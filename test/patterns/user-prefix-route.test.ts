import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRule, GatewayRef } from '../../lib';
import { UserPrefixRoute } from '../../lib/patterns/user-prefix-route';
import { VersionedService } from '../../lib/patterns/versioned-service';

function addedvalues(scope: Construct): VersionedService {
  return new VersionedService(scope, 'addedvalues', {
    port: 9080,
    versions: ['v1', 'v2', 'v3'].map((v) => ({ name: v, image: `addedvalues:${v}` })),
  });
}

function virtualServices(chart: Construct): any[] {
  return Testing.synth(chart as any).filter((m) => m.kind === 'VirtualService');
}

function to(subset: string): any {
  return [{ destination: { host: 'addedvalues', subset } }];
}

function prefix(header: string, value: string): any {
  return [{ headers: { [header]: { prefix: value } } }];
}

function exact(header: string, value: string): any {
  return [{ headers: { [header]: { exact: value } } }];
}

describe('UserPrefixRoute', () => {
  test("tutorial: users starting with 'yunqi' get v3, everyone else v2", () => {
    const chart = Testing.chart();
    const service = addedvalues(chart);
    const route = new UserPrefixRoute(chart, 'user-v2-v3', {
      service,
      defaultVersion: 'v2',
      prefixes: [{ prefix: 'yunqi', version: 'v3' }],
    });
    expect(route.virtualService.name).toBe('addedvalues');
    expect(virtualServices(chart)).toEqual([
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'addedvalues' },
        spec: {
          hosts: ['addedvalues'],
          http: [
            { match: [{ headers: { 'end-user': { prefix: 'yunqi' } } }], route: [{ destination: { host: 'addedvalues', subset: 'v3' } }] },
            { route: [{ destination: { host: 'addedvalues', subset: 'v2' } }] },
          ],
        },
      },
    ]);
  });

  test('only a default version: a single catch-all route', () => {
    const chart = Testing.chart();
    new UserPrefixRoute(chart, 'r', { service: addedvalues(chart), defaultVersion: 'v1' });
    expect(virtualServices(chart)[0].spec.http).toEqual([{ route: to('v1') }]);
  });

  test('custom header, name and gateways', () => {
    const chart = Testing.chart();
    new UserPrefixRoute(chart, 'r', {
      service: addedvalues(chart),
      defaultVersion: 'v2',
      prefixes: [{ prefix: 'yunqi', version: 'v3' }],
      header: 'x-user-id',
      name: 'addedvalues-by-user',
      gateways: [GatewayRef.MESH, GatewayRef.fromName('istio-system/bank-gateway')],
    });
    const [vs] = virtualServices(chart);
    expect(vs.metadata.name).toBe('addedvalues-by-user');
    expect(vs.spec.gateways).toEqual(['mesh', 'istio-system/bank-gateway']);
    expect(vs.spec.http).toEqual([{ match: prefix('x-user-id', 'yunqi'), route: to('v3') }, { route: to('v2') }]);
  });

  test('exact users come before prefixes, whatever the order they are given in', () => {
    const chart = Testing.chart();
    new UserPrefixRoute(chart, 'r', {
      service: addedvalues(chart),
      defaultVersion: 'v2',
      prefixes: [{ prefix: 'yunqi', version: 'v3' }],
      users: [
        { user: 'yunqi-tester', version: 'v1' },
        { user: 'jason', version: 'v3' },
      ],
    });
    expect(virtualServices(chart)[0].spec.http).toEqual([
      { match: exact('end-user', 'yunqi-tester'), route: to('v1') },
      { match: exact('end-user', 'jason'), route: to('v3') },
      { match: prefix('end-user', 'yunqi'), route: to('v3') },
      { route: to('v2') },
    ]);
  });

  test.each([
    ['shortest first', ['yun', 'yunqi', 'yunqi-admin']],
    ['longest first', ['yunqi-admin', 'yunqi', 'yun']],
    ['mixed', ['yunqi', 'yun', 'yunqi-admin']],
  ])('overlapping prefixes are ordered longest first (input %s)', (_order, order) => {
    const versions: Record<string, string> = { yun: 'v1', yunqi: 'v3', 'yunqi-admin': 'v1' };
    const chart = Testing.chart();
    new UserPrefixRoute(chart, 'r', {
      service: addedvalues(chart),
      defaultVersion: 'v2',
      prefixes: order.map((p) => ({ prefix: p, version: versions[p] })),
    });
    expect(virtualServices(chart)[0].spec.http).toEqual([
      { match: prefix('end-user', 'yunqi-admin'), route: to('v1') },
      { match: prefix('end-user', 'yunqi'), route: to('v3') },
      { match: prefix('end-user', 'yun'), route: to('v1') },
      { route: to('v2') },
    ]);
  });

  test('unrelated prefixes of equal length keep their input order', () => {
    const chart = Testing.chart();
    new UserPrefixRoute(chart, 'r', {
      service: addedvalues(chart),
      defaultVersion: 'v2',
      prefixes: [
        { prefix: 'bob', version: 'v1' },
        { prefix: 'amy', version: 'v3' },
      ],
    });
    expect(virtualServices(chart)[0].spec.http.map((r: any) => r.match?.[0].headers['end-user'].prefix)).toEqual(['bob', 'amy', undefined]);
  });

  test('works with a DestinationRule as the service', () => {
    const chart = Testing.chart();
    const rule = new DestinationRule(chart, 'addedvalues', {
      host: 'addedvalues',
      subsets: ['v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })),
    });
    new UserPrefixRoute(chart, 'r', { service: rule, defaultVersion: 'v2', prefixes: [{ prefix: 'yunqi', version: 'v3' }] });
    expect(virtualServices(chart)[0].spec).toEqual({
      hosts: ['addedvalues'],
      http: [{ match: prefix('end-user', 'yunqi'), route: to('v3') }, { route: to('v2') }],
    });
  });

  describe('errors', () => {
    test.each([
      [
        'an empty prefix',
        { prefixes: [{ prefix: '', version: 'v3' }] },
        "UserPrefixRoute 'addedvalues': prefixes[0].prefix ('') must not be empty",
      ],
      [
        'a duplicate prefix',
        {
          prefixes: [
            { prefix: 'yunqi', version: 'v3' },
            { prefix: 'yunqi', version: 'v1' },
          ],
        },
        "UserPrefixRoute 'addedvalues': prefixes[1].prefix ('yunqi') is already routed by prefixes[0]",
      ],
      ['an empty user', { users: [{ user: '', version: 'v3' }] }, "UserPrefixRoute 'addedvalues': users[0].user ('') must not be empty"],
      [
        'a duplicate user',
        {
          users: [
            { user: 'jason', version: 'v3' },
            { user: 'jason', version: 'v1' },
          ],
        },
        "UserPrefixRoute 'addedvalues': users[1].user ('jason') is already routed by users[0]",
      ],
      ['a header with a space', { header: 'end user' }, "UserPrefixRoute 'addedvalues': header ('end user') must be an HTTP header name"],
      ['an empty header', { header: '' }, "UserPrefixRoute 'addedvalues': header ('') must be an HTTP header name"],
      [
        'an unknown prefix version',
        { prefixes: [{ prefix: 'yunqi', version: 'v4' }] },
        "UserPrefixRoute 'addedvalues': prefixes[0].version 'v4' is not a version of VersionedService 'addedvalues' (known: v1, v2, v3)",
      ],
      [
        'an unknown user version',
        { users: [{ user: 'jason', version: 'v9' }] },
        "UserPrefixRoute 'addedvalues': users[0].version 'v9' is not a version of VersionedService 'addedvalues' (known: v1, v2, v3)",
      ],
      [
        'an unknown default version',
        { defaultVersion: 'v4' },
        "UserPrefixRoute 'addedvalues': defaultVersion 'v4' is not a version of VersionedService 'addedvalues' (known: v1, v2, v3)",
      ],
    ])('rejects %s', (_what, props, message) => {
      const chart = Testing.chart();
      const service = addedvalues(chart);
      expect(() => new UserPrefixRoute(chart, 'r', { service, defaultVersion: 'v2', ...props })).toThrow(message);
    });

    test('an unknown subset of a DestinationRule', () => {
      const chart = Testing.chart();
      const rule = new DestinationRule(chart, 'addedvalues', { host: 'addedvalues', subsets: [{ name: 'v2', labels: { version: 'v2' } }] });
      expect(
        () => new UserPrefixRoute(chart, 'r', { service: rule, defaultVersion: 'v2', prefixes: [{ prefix: 'yunqi', version: 'v3' }] }),
      ).toThrow("UserPrefixRoute 'addedvalues': prefixes[0].version 'v3' is not a subset of DestinationRule 'addedvalues' (known: v2)");
    });
  });
});
