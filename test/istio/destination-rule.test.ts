import { IstioConfigError } from '../../lib/kinds/errors';
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { ClientTls, DestinationRule, IstioApi, IstioApiVersion, LoadBalancer, LoadBalancerAlgorithm, TrafficPolicy } from '../../lib';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'bookinfo');

/** The one DestinationRule of a fixture file under test/fixtures/bookinfo. */
function fixture(file: string): any {
  const docs = parseAllDocuments(fs.readFileSync(path.join(FIXTURES, file), 'utf8')).map((d) => d.toJSON());
  expect(docs).toHaveLength(1);
  return docs[0];
}

function reviews(chart: Chart, trafficPolicy?: TrafficPolicy): DestinationRule {
  return new DestinationRule(chart, 'reviews', {
    host: 'reviews',
    trafficPolicy,
    subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })),
  });
}

/** The message of the error `build` throws (fails the test when it throws none, or another type). */
function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    expect(e).toBeInstanceOf(IstioConfigError);
    return (e as Error).message;
  }
  throw new Error('expected an IstioConfigError, but nothing was thrown');
}

describe('DestinationRule', () => {
  test('renders the Bookinfo-shaped reviews rule (fixture destination-rule-reviews.yaml)', () => {
    const chart = Testing.chart();
    reviews(chart);
    expect(Testing.synth(chart)).toEqual([fixture('destination-rule-reviews.yaml')]);
  });

  test('renders the reviews rule with ISTIO_MUTUAL (fixture destination-rule-reviews-mtls.yaml)', () => {
    const chart = Testing.chart();
    reviews(chart, new TrafficPolicy({ tls: ClientTls.istioMutual() }));
    const expected = fixture('destination-rule-reviews-mtls.yaml');
    expect(expected.spec.trafficPolicy).toEqual({ tls: { mode: 'ISTIO_MUTUAL' } });
    expect(Testing.synth(chart)).toEqual([expected]);
  });

  test('subsets added later, subset policies, exportTo and workloadSelector', () => {
    const chart = Testing.chart();
    const dr = new DestinationRule(chart, 'addedvalues', {
      host: 'addedvalues',
      subsets: [{ name: 'v1', labels: { version: 'v1' } }],
      exportTo: ['.'],
      workloadSelector: { app: 'productpage' },
    });
    const v2 = dr.addSubset({
      name: 'v2',
      labels: { version: 'v2', 'app.kubernetes.io/part-of': 'bank' },
      trafficPolicy: TrafficPolicy.of({ loadBalancer: LoadBalancer.simple(LoadBalancerAlgorithm.RANDOM) }),
    });
    expect(v2.name).toBe('v2');
    expect(v2.labels).toEqual({ version: 'v2', 'app.kubernetes.io/part-of': 'bank' });
    expect(Testing.synth(chart)[0].spec).toEqual({
      host: 'addedvalues',
      subsets: [
        { name: 'v1', labels: { version: 'v1' } },
        {
          name: 'v2',
          labels: { version: 'v2', 'app.kubernetes.io/part-of': 'bank' },
          trafficPolicy: { loadBalancer: { simple: 'RANDOM' } },
        },
      ],
      exportTo: ['.'],
      workloadSelector: { matchLabels: { app: 'productpage' } },
    });
  });

  test('a rule without subsets or policy renders only its host', () => {
    const chart = Testing.chart();
    new DestinationRule(chart, 'details', { host: 'details.default.svc.cluster.local' });
    expect(Testing.synth(chart)[0].spec).toEqual({ host: 'details.default.svc.cluster.local' });
  });

  test('subsetNames and subsets are copies', () => {
    const dr = reviews(Testing.chart());
    dr.subsetNames.push('v9');
    dr.subsets.pop();
    expect(dr.subsetNames).toEqual(['v1', 'v2', 'v3']);
    expect(dr.host).toBe('reviews');
  });

  test('destination() knows host, subset and port', () => {
    const dr = reviews(Testing.chart());
    expect(dr.destination('v3')._toKube()).toEqual({ host: 'reviews', subset: 'v3' });
    expect(dr.destination()._toKube()).toEqual({ host: 'reviews' });
    expect(dr.destination('v1', { port: 9080 })._toKube()).toEqual({ host: 'reviews', subset: 'v1', port: { number: 9080 } });
    const v2 = dr.subsets[1];
    expect(v2.destination()._toKube()).toEqual({ host: 'reviews', subset: 'v2' });
    expect(v2.destination({ port: 9080 }).port).toBe(9080);
  });

  test('destination() of an unknown subset names the known ones', () => {
    const chart = Testing.chart();
    const dr = new DestinationRule(chart, 'addedvalues', {
      host: 'addedvalues',
      subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })),
    });
    expect(() => dr.destination('v4')).toThrow("'v4' is not a subset of DestinationRule 'addedvalues' (known: v1, v2, v3)");
    expect(() => dr.destination('v4')).toThrow(IstioConfigError);
    const empty = new DestinationRule(chart, 'details', { host: 'details' });
    expect(() => empty.destination('v1')).toThrow("'v1' is not a subset of DestinationRule 'details' (known: none)");
  });

  test('apiVersion follows the chart setting', () => {
    const chart = Testing.chart();
    IstioApi.useVersion(chart, IstioApiVersion.V1BETA1);
    new DestinationRule(chart, 'reviews', { host: 'reviews' });
    expect(Testing.synth(chart)[0].apiVersion).toBe('networking.istio.io/v1beta1');
  });

  // Istio's rules come from the rule book (lib/kinds/destination-rule.ts); the construct throws them at once.
  test.each<[string, () => unknown, string]>([
    [
      'an invalid host',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'a..b' }),
      "DestinationRule 'dr': spec.host ('a..b') is not a valid host",
    ],
    [
      'a wildcard in the middle of the host',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'a.*.com' }),
      "DestinationRule 'dr': spec.host ('a.*.com') is not a valid host",
    ],
    [
      'a subset name with a dot',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', subsets: [{ name: 'v1.0', labels: { version: 'v1' } }] }),
      "DestinationRule 'dr': spec.subsets[0].name ('v1.0') must be a DNS-1123 label",
    ],
    [
      'a duplicate subset name',
      () =>
        new DestinationRule(Testing.chart(), 'dr', {
          host: 'r',
          subsets: [
            { name: 'v1', labels: { version: 'v1' } },
            { name: 'v1', labels: { version: 'v2' } },
          ],
        }),
      "DestinationRule 'dr': spec.subsets[1].name ('v1') duplicates spec.subsets[0].name; subset names must be unique",
    ],
    [
      'a bad label key',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', subsets: [{ name: 'v1', labels: { 'ver sion': 'v1' } }] }),
      "DestinationRule 'dr': spec.subsets[0].labels.ver sion ('ver sion') is not a valid label key",
    ],
    [
      'a wildcard label value',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', subsets: [{ name: 'v1', labels: { version: 'v*' } }] }),
      "DestinationRule 'dr': spec.subsets[0].labels.version ('v*') is not a valid label value",
    ],
    [
      'an exportTo that is not a namespace',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', exportTo: ['prod_eu'] }),
      "DestinationRule 'dr': spec.exportTo[0] ('prod_eu') must be '.', '*' or a namespace name",
    ],
    [
      'exportTo ~ on a DestinationRule',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', exportTo: ['~'] }),
      "DestinationRule 'dr': spec.exportTo[0] ('~') is only allowed in a ServiceEntry",
    ],
    [
      'exportTo * with others',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', exportTo: ['*', 'prod'] }),
      `DestinationRule 'dr': spec.exportTo (["*","prod"]) may not combine '*' with other entries`,
    ],
    [
      'a duplicate exportTo',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', exportTo: ['prod', 'prod'] }),
      "DestinationRule 'dr': spec.exportTo[1] ('prod') is a duplicate entry",
    ],
    [
      'workloadSelector exported elsewhere',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', workloadSelector: { app: 'a' }, exportTo: ['*'] }),
      `DestinationRule 'dr': spec.exportTo (["*"]) must be only the own namespace ('.') when workloadSelector is set`,
    ],
    [
      'workloadSelector exported to the own namespace and another',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', workloadSelector: { app: 'a' }, exportTo: ['.', 'prod'] }),
      `DestinationRule 'dr': spec.exportTo ([".","prod"]) must be only the own namespace ('.') when workloadSelector is set, not several`,
    ],
  ])('rejects %s at construction (rule book)', (_what, build, message) => {
    expect(errorOf(build)).toContain(message);
  });

  // Checks stricter than Istio stay in the construct, and name the object and the full path too.
  test.each<[string, () => unknown, string]>([
    [
      'an empty workloadSelector',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', workloadSelector: {} }),
      "DestinationRule 'dr': spec.workloadSelector.matchLabels ({}) must have at least one label",
    ],
    [
      'a workloadSelector with a wildcard value',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', workloadSelector: { app: 'product*' } }),
      "DestinationRule 'dr': spec.workloadSelector.matchLabels.app ('product*') is not a valid label value",
    ],
    [
      'a workloadSelector with a bad key',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', workloadSelector: { 'app name': 'a' } }),
      "DestinationRule 'dr': spec.workloadSelector.matchLabels.app name ('app name') is not a valid label key",
    ],
  ])('rejects %s at construction (stricter than Istio)', (_what, build, message) => {
    expect(errorOf(build)).toContain(message);
  });

  test('rejects an upper-case object name (Kubernetes names are DNS-1123 subdomains)', () => {
    expect(errorOf(() => new DestinationRule(Testing.chart(), 'Reviews', { host: 'reviews' }))).toContain(
      "DestinationRule 'Reviews': metadata.name ('Reviews') must be a DNS-1123 subdomain",
    );
  });

  test('an error is one line: owner, path, value, rule', () => {
    expect(
      errorOf(
        () =>
          new DestinationRule(Testing.chart(), 'dr', {
            host: 'r',
            subsets: [
              { name: 'v1', labels: { version: 'v1' } },
              { name: 'v1', labels: { version: 'v2' } },
            ],
          }),
      ),
    ).toBe("DestinationRule 'dr': spec.subsets[1].name ('v1') duplicates spec.subsets[0].name; subset names must be unique");
  });

  test('every rule-book error of the rule is reported at once, one per line', () => {
    const message = errorOf(() => new DestinationRule(Testing.chart(), 'dr', { host: 'a..b', exportTo: ['~'] }));
    expect(message.split('\n')).toEqual([
      "DestinationRule 'dr': spec.host ('a..b') is not a valid host: DNS labels, optionally with a wildcard first label ('*.example.com')",
      "DestinationRule 'dr': spec.exportTo[0] ('~') is only allowed in a ServiceEntry; use '.', '*' or a namespace",
    ]);
  });

  test('a subset name with upper-case letters is accepted, as Istio does', () => {
    const chart = Testing.chart();
    new DestinationRule(chart, 'dr', { host: 'r', subsets: [{ name: 'V1', labels: { version: 'v1' } }] });
    expect(Testing.synth(chart)[0].spec.subsets).toEqual([{ name: 'V1', labels: { version: 'v1' } }]);
  });

  test("a subset's traffic policy is checked with the subset's path", () => {
    const build = () =>
      new DestinationRule(Testing.chart(), 'dr', {
        host: 'r',
        subsets: [
          { name: 'v1', labels: { version: 'v1' } },
          { name: 'v2', labels: { version: 'v2' }, trafficPolicy: new TrafficPolicy({ outlierDetection: { maxEjectionPercent: 101 } }) },
        ],
      });
    expect(errorOf(build)).toBe(
      "DestinationRule 'dr': spec.subsets[1].trafficPolicy.outlierDetection.maxEjectionPercent (101) must be between 0 and 100",
    );
  });

  test('a subset without labels is every endpoint of the host, as in Istio: accepted, labels not written', () => {
    const chart = Testing.chart();
    new DestinationRule(chart, 'dr', {
      host: 'r',
      subsets: [
        { name: 'all', labels: {}, trafficPolicy: TrafficPolicy.of({ loadBalancer: LoadBalancer.simple(LoadBalancerAlgorithm.RANDOM) }) },
        { name: 'v1', labels: { version: 'v1' } },
      ],
    });
    const subsets = Testing.synth(chart)[0].spec.subsets;
    expect(subsets[0]).toEqual({ name: 'all', trafficPolicy: { loadBalancer: { simple: 'RANDOM' } } });
    expect(subsets[1]).toEqual({ name: 'v1', labels: { version: 'v1' } });
  });

  test('addSubset after construction is checked against earlier subsets, and adds nothing when refused', () => {
    const chart = Testing.chart();
    const dr = reviews(chart);
    expect(errorOf(() => dr.addSubset({ name: 'v2', labels: { version: 'v2b' } }))).toBe(
      "DestinationRule 'reviews': spec.subsets[3].name ('v2') duplicates spec.subsets[1].name; subset names must be unique",
    );
    expect(errorOf(() => dr.addSubset({ name: 'v4', labels: { 'a b': 'x' } }))).toContain('spec.subsets[3].labels');
    expect(dr.subsetNames).toEqual(['v1', 'v2', 'v3']);
    dr.addSubset({ name: 'v4', labels: { version: 'v4' } });
    expect(Testing.synth(chart)[0].spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2', 'v3', 'v4']);
  });

  test("exportTo '.' and the own namespace name are the same entry", () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'bank' });
    expect(errorOf(() => new DestinationRule(chart, 'dr', { host: 'r', exportTo: ['bank', '.'] }))).toBe(
      "DestinationRule 'dr': spec.exportTo[1] ('.') is a duplicate entry ('.' is the own namespace)",
    );
  });

  test('workloadSelector with exportTo naming the own namespace is accepted', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'bank' });
    new DestinationRule(chart, 'dr', { host: 'r', workloadSelector: { app: 'a' }, exportTo: ['bank'] });
    expect(Testing.synth(chart)[0].spec.exportTo).toEqual(['bank']);
  });
});
