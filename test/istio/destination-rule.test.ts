import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  ClientTls,
  DestinationRule,
  IstioApi,
  IstioApiVersion,
  IstioConfigError,
  LoadBalancer,
  LoadBalancerAlgorithm,
  TrafficPolicy,
} from '../../lib';

const BOOKINFO = '/work/shared/reference/bookinfo';

function bookinfo(file: string, name: string): any {
  const docs = parseAllDocuments(fs.readFileSync(path.join(BOOKINFO, file), 'utf8')).map((d) => d.toJSON());
  return docs.find((d) => d.kind === 'DestinationRule' && d.metadata.name === name);
}

function reviews(chart: Chart, trafficPolicy?: TrafficPolicy): DestinationRule {
  return new DestinationRule(chart, 'reviews', {
    host: 'reviews',
    trafficPolicy,
    subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })),
  });
}

describe('DestinationRule', () => {
  test("reproduces Bookinfo's destination-rule-all.yaml for reviews", () => {
    const chart = Testing.chart();
    reviews(chart);
    expect(Testing.synth(chart)).toEqual([bookinfo('destination-rule-all.yaml', 'reviews')]);
  });

  test("reproduces Bookinfo's destination-rule-all-mtls.yaml for reviews (ISTIO_MUTUAL)", () => {
    const chart = Testing.chart();
    reviews(chart, new TrafficPolicy({ tls: ClientTls.istioMutual() }));
    const expected = bookinfo('destination-rule-all-mtls.yaml', 'reviews');
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
    expect(() => dr.destination('v4')).toThrow("Unknown subset 'v4' of DestinationRule 'addedvalues' (known: v1, v2, v3)");
    expect(() => dr.destination('v4')).toThrow(IstioConfigError);
    const empty = new DestinationRule(chart, 'details', { host: 'details' });
    expect(() => empty.destination('v1')).toThrow("Unknown subset 'v1' of DestinationRule 'details' (known: none)");
  });

  test('apiVersion follows the chart setting', () => {
    const chart = Testing.chart();
    IstioApi.useVersion(chart, IstioApiVersion.V1BETA1);
    new DestinationRule(chart, 'reviews', { host: 'reviews' });
    expect(Testing.synth(chart)[0].apiVersion).toBe('networking.istio.io/v1beta1');
  });

  test.each<[string, () => unknown, string]>([
    [
      'an invalid host',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'a..b' }),
      "DestinationRule 'dr': spec.host ('a..b') must be a host name",
    ],
    [
      'a wildcard in the middle of the host',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'a.*.com' }),
      "spec.host ('a.*.com')",
    ],
    [
      'an upper-case name',
      () => new DestinationRule(Testing.chart(), 'Reviews', { host: 'reviews' }),
      "DestinationRule 'Reviews': metadata.name ('Reviews') must be a DNS-1123 subdomain",
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
      "DestinationRule 'dr': spec.subsets[1].name ('v1') is already defined in this DestinationRule",
    ],
    [
      'a subset without labels',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', subsets: [{ name: 'v1', labels: {} }] }),
      "DestinationRule 'dr': spec.subsets[0].labels ({}) must have at least one label",
    ],
    [
      'a bad label key',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', subsets: [{ name: 'v1', labels: { 'ver sion': 'v1' } }] }),
      "spec.subsets[0].labels.ver sion ('ver sion') is not a valid label key",
    ],
    [
      'a wildcard label value',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', subsets: [{ name: 'v1', labels: { version: 'v*' } }] }),
      "spec.subsets[0].labels.version ('v*') is not a valid label value",
    ],
    [
      'an exportTo that is not a namespace',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', exportTo: ['Prod'] }),
      "DestinationRule 'dr': spec.exportTo[0] ('Prod') must be '.', '*' or a namespace name",
    ],
    [
      'exportTo ~ on a DestinationRule',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', exportTo: ['~'] }),
      "spec.exportTo[0] ('~') must be '.', '*' or a namespace name",
    ],
    [
      'exportTo * with others',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', exportTo: ['*', 'prod'] }),
      "spec.exportTo[0] ('*') must be the only entry of exportTo",
    ],
    [
      'a duplicate exportTo',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', exportTo: ['prod', 'prod'] }),
      "spec.exportTo[1] ('prod') is listed twice",
    ],
    [
      'an empty workloadSelector',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', workloadSelector: {} }),
      'spec.workloadSelector.matchLabels ({}) must have at least one label',
    ],
    [
      'workloadSelector exported elsewhere',
      () => new DestinationRule(Testing.chart(), 'dr', { host: 'r', workloadSelector: { app: 'a' }, exportTo: ['*'] }),
      'spec.exportTo (["*"]) may only name the own namespace when workloadSelector is set',
    ],
  ])('rejects %s at construction', (_what, build, message) => {
    expect(build).toThrow(message);
  });

  test('addSubset after construction is checked against earlier subsets', () => {
    const dr = reviews(Testing.chart());
    expect(() => dr.addSubset({ name: 'v2', labels: { version: 'v2b' } })).toThrow("spec.subsets[3].name ('v2') is already defined");
  });

  test("exportTo '.' and the own namespace name are the same entry", () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'bank' });
    expect(() => new DestinationRule(chart, 'dr', { host: 'r', exportTo: ['bank', '.'] })).toThrow(
      "spec.exportTo[1] ('.') is listed twice ('.' is this object's namespace 'bank')",
    );
  });

  test('workloadSelector with exportTo naming the own namespace is accepted', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'bank' });
    new DestinationRule(chart, 'dr', { host: 'r', workloadSelector: { app: 'a' }, exportTo: ['bank'] });
    expect(Testing.synth(chart)[0].spec.exportTo).toEqual(['bank']);
  });
});
