import { MeshAnalysis } from '../../lib/analysis/engine';
import { Severity } from '../../lib/analysis/finding';
import * as catalogue from '../../lib/kinds/catalogue';
import { analyze, dr, gw, istio, service, summary, vs } from '../fixtures/analysis/builders';

const toMissing = vs('r', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v9' } }] }] });

describe('MeshAnalysis engine', () => {
  test('findings are plain objects with severity, code, object, source and field', () => {
    const findings = MeshAnalysis.analyze([
      { object: toMissing, source: { file: 'vs.yaml', line: 3 } },
      { object: service('reviews'), source: { file: 'svc.yaml' } },
    ]);
    expect(findings).toEqual([
      {
        severity: Severity.ERROR,
        code: 'IST0101',
        kind: 'VirtualService',
        name: 'r',
        file: 'vs.yaml',
        field: 'spec.http[0].route[0].destination.subset',
        message:
          "subset 'v9' of destination host 'reviews' is not defined: no DestinationRule in the set has host 'reviews.default.svc.cluster.local'; add a subset named 'v9' (with the labels of its pods) to the DestinationRule of that host, or route to a defined subset",
      },
    ]);
  });

  test('warningsAsErrors raises warnings, not infos', () => {
    const objects = [service('web', { ports: [{ name: 'web', port: 80 }] }), dr('d', { host: 'nothing' })];
    expect(analyze(objects).map((f) => `${f.code}:${f.severity}`)).toEqual(['IST0174:warning', 'IST0118:info']);
    expect(analyze(objects, { warningsAsErrors: true }).map((f) => `${f.code}:${f.severity}`)).toEqual(['IST0174:error', 'IST0118:info']);
  });

  test('the suppress annotation silences the listed codes on that object only', () => {
    const suppressed = istio('DestinationRule', 'd', { host: 'nothing' }, undefined, undefined, {
      [MeshAnalysis.SUPPRESS_ANNOTATION]: 'IST0118, IST0174',
    });
    expect(summary(analyze([service('x'), suppressed, dr('e', { host: 'nothing2' })]))).toEqual(['IST0174 DestinationRule/e spec.host']);
  });

  test('suppressions in the options match code, kind, name and namespace', () => {
    const objects = [service('x'), dr('d', { host: 'nothing' }), dr('e', { host: 'nothing' }, 'prod')];
    expect(summary(analyze(objects, { suppressions: [{ code: 'IST0174', name: 'd' }] }))).toEqual(['IST0174 DestinationRule/e spec.host']);
    expect(summary(analyze(objects, { suppressions: [{ code: 'IST0174', namespace: 'default' }] }))).toEqual([
      'IST0174 DestinationRule/e spec.host',
    ]);
    expect(analyze(objects, { suppressions: [{ code: 'IST0174', kind: 'DestinationRule' }] })).toEqual([]);
    expect(analyze(objects, { suppressions: [{ code: 'IST0174', kind: 'Service' }] })).toHaveLength(2);
  });

  test('defaultNamespace places objects without namespace', () => {
    const objects = [
      service('reviews', { namespace: 'shop' }),
      vs('r', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] }),
    ];
    expect(summary(analyze(objects))).toEqual(['IST0101 VirtualService/r spec.http[0].route[0].destination.host']);
    expect(analyze(objects, { defaultNamespace: 'shop' })).toEqual([]);
  });

  test('a per-object check that throws becomes an IST0001 finding, other checks still run', () => {
    const broken = jest.spyOn(catalogue, 'ruleBookProblems').mockImplementation(() => {
      throw new Error('boom');
    });
    try {
      const findings = analyze([service('reviews'), toMissing]);
      // Only Istio objects reach the rule book; the Service is untouched.
      expect(summary(findings)).toEqual(['IST0001 VirtualService/r', 'IST0101 VirtualService/r spec.http[0].route[0].destination.subset']);
      expect(findings[0].message).toContain('a per-object check failed: boom');
    } finally {
      broken.mockRestore();
    }
  });

  test('documents that are not objects are CDK0002; empty documents are skipped', () => {
    const findings = MeshAnalysis.analyze([
      { object: { kind: 'Service' }, source: { file: 'a.yaml' } },
      { object: null, source: {} },
    ]);
    expect(summary(findings)).toEqual(['CDK0002 Service/(no name)']);
  });

  test('order is deterministic whatever the input order', () => {
    const objects = [
      service('web', { ports: [{ name: 'web', port: 80 }] }),
      dr('d', { host: 'nothing' }),
      toMissing,
      gw('g', { servers: [] }),
    ];
    const a = analyze(objects);
    const b = analyze([...objects].reverse());
    expect(a).toEqual(b);
    expect(a.map((f) => f.severity)).toEqual(
      [...a.map((f) => f.severity)].sort((x, y) => ['error', 'warning', 'info'].indexOf(x) - ['error', 'warning', 'info'].indexOf(y)),
    );
  });

  test('format renders one line', () => {
    const [finding] = MeshAnalysis.analyze([
      { object: dr('d', { host: 'nothing' }), source: { constructPath: 'app/d/Resource' } },
      { object: service('x'), source: {} },
    ]);
    expect(MeshAnalysis.format(finding)).toMatch(
      /^warning IST0174 DestinationRule\/d \(app\/d\/Resource\): spec\.host: host 'nothing' matches no service/,
    );
  });
});
