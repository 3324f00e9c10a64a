import { Duration, Testing } from 'cdk8s';
import {
  DestinationRule,
  ExternalService,
  HttpFaultAbort,
  HttpFaultDelay,
  IngressRoute,
  RouteDestination,
  RetryOn,
  UserPrefixRoute,
  VersionedService,
  WeightedRoute,
  WeightedRouteProtocol,
} from '../../lib';
import { checkRuleBook } from '../../lib/analysis/rule-book-check';
import { checkSchema } from '../../lib/analysis/schema-check';

const META = { namespace: 'bank', labels: { team: 'payments' }, annotations: { owner: 'payments@bank.example' } };

function rule(chart: ReturnType<typeof Testing.chart>, host: string, versions: string[]): DestinationRule {
  return new DestinationRule(chart, `${host}-rule`, {
    metadata: { name: host },
    host,
    subsets: versions.map((v) => ({ name: v, labels: { version: v } })),
  });
}

describe('UserPrefixRoute options', () => {
  test("a user's own fault replaces the shared behavior; the shared timeout applies to the others (Istio's fault-injection shape)", () => {
    const chart = Testing.chart();
    const ratings = rule(chart, 'ratings', ['v1']);
    new UserPrefixRoute(chart, 'ratings', {
      service: ratings,
      users: [{ user: 'jason', version: 'v1', fault: { delay: HttpFaultDelay.fixed(Duration.seconds(7)) } }],
      defaultVersion: 'v1',
      timeout: Duration.seconds(10),
      ...META,
    });
    const vs = Testing.synth(chart).find((o) => o.kind === 'VirtualService');
    expect(vs.metadata).toEqual({ name: 'ratings', ...META });
    expect(vs.spec.http).toEqual([
      {
        match: [{ headers: { 'end-user': { exact: 'jason' } } }],
        route: [{ destination: { host: 'ratings', subset: 'v1' } }],
        timeout: '10s',
        fault: { delay: { fixedDelay: '7s' } },
      },
      { route: [{ destination: { host: 'ratings', subset: 'v1' } }], timeout: '10s' },
    ]);
  });

  test('retries and mirrors apply to every route', () => {
    const chart = Testing.chart();
    const teller = rule(chart, 'teller', ['v1', 'v2']);
    new UserPrefixRoute(chart, 'teller', {
      service: teller,
      prefixes: [{ prefix: 'yunqi', version: 'v2' }],
      defaultVersion: 'v1',
      retries: { attempts: 3, retryOn: [RetryOn.GATEWAY_ERROR] },
      mirrors: [{ destination: teller.destination('v2'), percentage: 10 }],
    });
    const vs = Testing.synth(chart).find((o) => o.kind === 'VirtualService');
    for (const route of vs.spec.http) {
      expect(route.retries).toEqual({ attempts: 3, retryOn: 'gateway-error' });
      expect(route.mirrors).toEqual([{ destination: { host: 'teller', subset: 'v2' }, percentage: { value: 10 } }]);
    }
  });
});

describe('WeightedRoute options', () => {
  test("TCP: a tcp route on a port, weighted (Istio's TCP traffic shifting shape), passes schema and rule book", () => {
    const chart = Testing.chart();
    const echo = rule(chart, 'tcp-echo', ['v1', 'v2']);
    new WeightedRoute(chart, 'tcp-echo', {
      service: echo,
      protocol: WeightedRouteProtocol.TCP,
      port: 31400,
      servicePort: 9000,
      weights: [
        { version: 'v1', weight: 80 },
        { version: 'v2', weight: 20 },
      ],
    });
    const objects = Testing.synth(chart);
    const vs = objects.find((o) => o.kind === 'VirtualService');
    expect(vs.spec.http).toBeUndefined();
    expect(vs.spec.tcp).toEqual([
      {
        match: [{ port: 31400 }],
        route: [
          { destination: { host: 'tcp-echo', subset: 'v1', port: { number: 9000 } }, weight: 80 },
          { destination: { host: 'tcp-echo', subset: 'v2', port: { number: 9000 } }, weight: 20 },
        ],
      },
    ]);
    for (const object of objects) expect([...checkSchema({ object, source: {} }), ...checkRuleBook({ object, source: {} })]).toEqual([]);
  });

  test('TCP refuses HTTP settings; HTTP takes them', () => {
    const chart = Testing.chart();
    const echo = rule(chart, 'echo', ['v1']);
    const weights = [{ version: 'v1', weight: 100 }];
    expect(
      () =>
        new WeightedRoute(chart, 'a', {
          service: echo,
          name: 'a',
          weights,
          protocol: WeightedRouteProtocol.TCP,
          timeout: Duration.seconds(1),
        }),
    ).toThrow("WeightedRoute 'a': protocol ('TCP') cannot take timeout, retries, fault or mirrors");
    new WeightedRoute(chart, 'b', {
      service: echo,
      name: 'b',
      weights,
      timeout: Duration.seconds(1),
      fault: { abort: HttpFaultAbort.httpStatus(503, 10) },
      ...META,
    });
    const vs = Testing.synth(chart).find((o) => o.metadata.name === 'b');
    expect(vs.metadata.namespace).toBe('bank');
    expect(vs.spec.http[0]).toMatchObject({ timeout: '1s', fault: { abort: { httpStatus: 503, percentage: { value: 10 } } } });
  });
});

describe('IngressRoute and ExternalService options', () => {
  test('IngressRoute puts the metadata on the Gateway and the VirtualService, and the behavior on the route', () => {
    const chart = Testing.chart();
    new IngressRoute(chart, 'ingress', {
      service: RouteDestination.toHost('productpage'),
      servicePort: 9080,
      retries: { attempts: 2, perTryTimeout: Duration.seconds(2) },
      ...META,
    });
    const objects = Testing.synth(chart);
    for (const o of objects) expect(o.metadata).toMatchObject(META);
    expect(objects.find((o) => o.kind === 'VirtualService').spec.http[0].retries).toEqual({ attempts: 2, perTryTimeout: '2s' });
  });

  test('VersionedService puts the metadata on all its objects; its own labels win', () => {
    const chart = Testing.chart();
    new VersionedService(chart, 'teller', {
      versions: [{ name: 'v1', image: 'teller:v1' }],
      ...META,
      labels: { team: 'payments', app: 'ignored' },
    });
    const objects = Testing.synth(chart);
    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'DestinationRule', 'Service', 'ServiceAccount']);
    for (const o of objects) {
      expect(o.metadata).toMatchObject({ namespace: 'bank', labels: { team: 'payments' }, annotations: META.annotations });
    }
    expect(objects.find((o) => o.kind === 'Service').metadata.labels).toEqual({ team: 'payments', app: 'teller', service: 'teller' });
  });

  test('ExternalService takes metadata', () => {
    const chart = Testing.chart();
    new ExternalService(chart, 'styletransfer', { host: 'styletransfer.example.com', ...META });
    expect(Testing.synth(chart)[0].metadata).toEqual({ name: 'styletransfer-example-com', ...META });
  });
});
