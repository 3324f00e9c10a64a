import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { DestinationRule, GatewayRef } from '../../lib';
import { VersionedService } from '../../lib/patterns/versioned-service';
import { VersionWeight, WeightedRoute } from '../../lib/patterns/weighted-route';

function addedvalues(scope: Construct): VersionedService {
  return new VersionedService(scope, 'addedvalues', {
    port: 9080,
    versions: ['v1', 'v2', 'v3'].map((v) => ({ name: v, image: `addedvalues:${v}` })),
  });
}

function synthRoute(weights: VersionWeight[]): any {
  const chart = Testing.chart();
  new WeightedRoute(chart, 'canary', { service: addedvalues(chart), weights });
  return Testing.synth(chart).filter((m) => m.kind === 'VirtualService');
}

function split(...weights: Array<[string, number]>): any {
  return [{ route: weights.map(([subset, weight]) => ({ destination: { host: 'addedvalues', subset }, weight })) }];
}

describe('WeightedRoute', () => {
  test('canary step 1: v1/v2 at 50/50', () => {
    expect(
      synthRoute([
        { version: 'v1', weight: 50 },
        { version: 'v2', weight: 50 },
      ]),
    ).toEqual([
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'addedvalues' },
        spec: { hosts: ['addedvalues'], http: split(['v1', 50], ['v2', 50]) },
      },
    ]);
  });

  test('canary step 2: v1 at 0 stays listed, v2 at 100', () => {
    const [vs] = synthRoute([
      { version: 'v1', weight: 0 },
      { version: 'v2', weight: 100 },
    ]);
    expect(vs.spec.http).toEqual(split(['v1', 0], ['v2', 100]));
  });

  test('relative weights need not add up to 100', () => {
    const [vs] = synthRoute([
      { version: 'v1', weight: 1 },
      { version: 'v2', weight: 2 },
      { version: 'v3', weight: 7 },
    ]);
    expect(vs.spec.http).toEqual(split(['v1', 1], ['v2', 2], ['v3', 7]));
  });

  test('a single version', () => {
    const [vs] = synthRoute([{ version: 'v3', weight: 100 }]);
    expect(vs.spec.http).toEqual(split(['v3', 100]));
  });

  test('name, gateways and a DestinationRule as the service', () => {
    const chart = Testing.chart();
    const rule = new DestinationRule(chart, 'addedvalues', {
      host: 'addedvalues',
      subsets: ['v1', 'v2'].map((v) => ({ name: v, labels: { version: v } })),
    });
    const route = new WeightedRoute(chart, 'canary', {
      service: rule,
      name: 'addedvalues-canary',
      gateways: [GatewayRef.fromName('bank-gateway')],
      weights: [
        { version: 'v1', weight: 90 },
        { version: 'v2', weight: 10 },
      ],
    });
    expect(route.virtualService.name).toBe('addedvalues-canary');
    const [vs] = Testing.synth(chart).filter((m) => m.kind === 'VirtualService');
    expect(vs.metadata.name).toBe('addedvalues-canary');
    expect(vs.spec).toEqual({ hosts: ['addedvalues'], gateways: ['bank-gateway'], http: split(['v1', 90], ['v2', 10]) });
  });

  describe('errors', () => {
    test.each([
      ['no weights', [], "WeightedRoute 'addedvalues': weights ([]) must list at least one version"],
      [
        'a negative weight',
        [
          { version: 'v1', weight: 110 },
          { version: 'v2', weight: -10 },
        ],
        "VirtualService 'addedvalues': spec.http[0].route[1].weight (-10) must be >= 0",
      ],
      [
        'a fractional weight',
        [
          { version: 'v1', weight: 0.5 },
          { version: 'v2', weight: 0.5 },
        ],
        "VirtualService 'addedvalues': spec.http[0].route[0].weight (0.5) must be an integer",
      ],
      [
        'all weights zero',
        [
          { version: 'v1', weight: 0 },
          { version: 'v2', weight: 0 },
        ],
        "VirtualService 'addedvalues': spec.http[0].route: has several destinations but their weights add up to 0",
      ],
      [
        'a duplicate version',
        [
          { version: 'v1', weight: 50 },
          { version: 'v1', weight: 50 },
        ],
        "WeightedRoute 'addedvalues': weights[1].version ('v1') is already weighted by weights[0]",
      ],
      [
        'an unknown version',
        [
          { version: 'v1', weight: 50 },
          { version: 'v4', weight: 50 },
        ],
        "WeightedRoute 'addedvalues': weights[1].version 'v4' is not a version of VersionedService 'addedvalues' (known: v1, v2, v3)",
      ],
    ])('rejects %s', (_what, weights, message) => {
      const chart = Testing.chart();
      const service = addedvalues(chart);
      expect(() => new WeightedRoute(chart, 'canary', { service, weights })).toThrow(message);
    });
  });
});
