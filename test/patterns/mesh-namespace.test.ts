import { Testing } from 'cdk8s';
import { MeshNamespace } from '../../lib';
import { MeshAnalysis } from '../../lib/analysis/engine';
import { deployment, manifests, sidecar, summary } from '../fixtures/analysis/builders';

function labelsOf(make: (chart: ReturnType<typeof Testing.chart>) => void): any {
  const chart = Testing.chart();
  make(chart);
  const [ns] = Testing.synth(chart);
  expect([ns.apiVersion, ns.kind]).toEqual(['v1', 'Namespace']);
  return ns.metadata.labels;
}

describe('MeshNamespace', () => {
  test('defaults to istio-injection=enabled, named after the id', () => {
    const chart = Testing.chart();
    const ns = new MeshNamespace(chart, 'bank');
    expect(ns.name).toBe('bank');
    expect(Testing.synth(chart)[0].metadata).toEqual({ name: 'bank', labels: { 'istio-injection': 'enabled' } });
  });

  test('a revision writes istio.io/rev instead', () => {
    expect(labelsOf((c) => new MeshNamespace(c, 'bank', { revision: '1-30-3' }))).toEqual({ 'istio.io/rev': '1-30-3' });
  });

  test('ambient writes istio.io/dataplane-mode=ambient and no injection label', () => {
    expect(labelsOf((c) => new MeshNamespace(c, 'kiosk', { ambient: true, labels: { team: 'front' } }))).toEqual({
      team: 'front',
      'istio.io/dataplane-mode': 'ambient',
    });
  });

  test.each([
    ['an invalid name', { name: 'Bank_NS' }, "MeshNamespace 'Bank_NS': name ('Bank_NS') must be a DNS-1123 label"],
    ['an empty revision', { revision: '' }, "revision ('') must be a revision name"],
    ['ambient with a revision', { ambient: true, revision: 'canary' }, 'cannot be combined with ambient'],
    ['a mesh label among the labels', { labels: { 'istio-injection': 'disabled' } }, 'labels.istio-injection'],
    // Found by the property tests: labels and annotations were written unchecked.
    ['an empty label key', { labels: { '': 'x' } }, "MeshNamespace 'bank': metadata.labels. ('') is not a valid label key"],
    ['a label key with a space', { labels: { 'a b': 'x' } }, "metadata.labels.a b ('a b') is not a valid label key"],
    ['a label value with a wildcard', { labels: { team: 'front*' } }, "metadata.labels.team ('front*') is not a valid label value"],
    ['an annotation key with a space', { annotations: { 'a b': 'x' } }, 'metadata.annotations.a b'],
    [
      'a label key cdk8s cannot write',
      { labels: { constructor: 'x' } },
      "MeshNamespace 'bank': metadata.labels.constructor ('constructor') is a key cdk8s cannot write",
    ],
  ])('refuses %s', (_what, props, message) => {
    expect(() => new MeshNamespace(Testing.chart(), 'bank', props)).toThrow(message);
  });

  test('refuses an annotation key cdk8s cannot write, also in a map without prototype (our error, not a cdk8s crash)', () => {
    const annotations = Object.assign(Object.create(null), { constructor: 'x' });
    expect(() => new MeshNamespace(Testing.chart(), 'bank', { annotations })).toThrow(
      "MeshNamespace 'bank': metadata.annotations.constructor ('constructor') is a key cdk8s cannot write",
    );
  });

  test('accepts the near misses: prefixed label and annotation keys, an empty label value, any annotation value', () => {
    const labels = labelsOf(
      (c) =>
        new MeshNamespace(c, 'bank', { labels: { 'example.com/team': 'front', tier: '' }, annotations: { 'example.com/note': 'a b *' } }),
    );
    expect(labels).toEqual({ 'example.com/team': 'front', tier: '', 'istio-injection': 'enabled' });
  });

  test('the analysis reads it: injected → no IST0102; ambient → IST0167 for its Sidecar', () => {
    const chart = Testing.chart();
    new MeshNamespace(chart, 'bank');
    new MeshNamespace(chart, 'kiosk', { ambient: true });
    const objects = [...Testing.synth(chart), deployment('teller', { app: 'teller' }, 'bank'), sidecar('default', undefined, 'kiosk')];
    expect(summary(MeshAnalysis.analyze(manifests(...objects)), 'IST0102', 'IST0167')).toEqual(['IST0167 Sidecar/default']);
  });
});
