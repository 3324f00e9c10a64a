import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { MeshAnalysis } from '../../lib';
import { Finding } from '../../lib/analysis/finding';
import { analyze, deployment, namespace, sidecar, summary } from '../fixtures/analysis/builders';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'analysis', 'sidecars');
const SIDECAR_CODES = ['IST0101', 'IST0110', 'IST0111', 'IST0167'];

function analyzeFile(file: string): Finding[] {
  const objects = parseAllDocuments(fs.readFileSync(path.join(FIXTURES, file), 'utf8')).map((d) => d.toJS());
  return MeshAnalysis.analyze(objects.map((object) => ({ object, source: { file } })));
}

describe('Sidecar selector analysis (Istio sidecar.SelectorAnalyzer situations)', () => {
  test('selectors: no match in the namespace, same selector twice, overlapping selectors', () => {
    const findings = analyzeFile('selectors.yaml');
    expect(summary(findings, ...SIDECAR_CODES).sort()).toEqual(
      [
        'IST0101 Sidecar/cashier spec.workloadSelector.labels',
        'IST0101 Sidecar/ledger-elsewhere spec.workloadSelector.labels',
        'IST0110 Sidecar/ledger-a spec.workloadSelector',
        'IST0110 Sidecar/ledger-b spec.workloadSelector',
        'IST0110 Sidecar/audit-by-app spec.workloadSelector',
        'IST0110 Sidecar/audit-by-team spec.workloadSelector',
      ].sort(),
    );
    const missing = findings.find((f) => f.name === 'cashier')!;
    expect(missing.message).toContain("the workload selector app=cashier matches no workload in namespace 'bank'");
    const conflict = findings.find((f) => f.name === 'audit-by-team')!;
    expect(conflict.message).toContain("Sidecars audit-by-app, audit-by-team all select Pod 'audit'");
  });

  test('namespace-wide Sidecars: two without selector conflict; ambient namespaces make Sidecars ineffective', () => {
    const findings = analyzeFile('namespace-wide.yaml');
    expect(summary(findings, ...SIDECAR_CODES).sort()).toEqual(
      ['IST0111 Sidecar/scope-one', 'IST0111 Sidecar/scope-two', 'IST0167 Sidecar/kiosk-wide', 'IST0167 Sidecar/kiosk-app'].sort(),
    );
    expect(findings.find((f) => f.name === 'kiosk-wide')!.severity).toBe('warning');
  });

  test('without workloads in its namespace, a selector is not judged (closed world)', () => {
    expect(summary(analyze([sidecar('teller', { app: 'teller' }, 'bank')]), 'IST0101')).toEqual([]);
    expect(summary(analyze([deployment('x', { app: 'x' }, 'bank'), sidecar('teller', { app: 'teller' }, 'bank')]), 'IST0101')).toEqual([
      'IST0101 Sidecar/teller spec.workloadSelector.labels',
    ]);
  });

  test('a workload of an ambient Namespace object counts as ambient without the pod annotation', () => {
    const objects = [
      namespace('kiosk', { 'istio.io/dataplane-mode': 'ambient' }),
      deployment('kiosk', { app: 'kiosk' }, 'kiosk'),
      sidecar('k', { app: 'kiosk' }, 'kiosk'),
    ];
    expect(summary(analyze(objects), ...SIDECAR_CODES)).toEqual(['IST0167 Sidecar/k']);
  });
});

describe('namespace injection analysis (IST0102)', () => {
  const teller = deployment('teller', { app: 'teller' }, 'bank');

  test('a Namespace holding a workload, without injection label, is reported on the Namespace', () => {
    const findings = analyze([namespace('bank'), teller]);
    expect(summary(findings, 'IST0102')).toEqual(['IST0102 Namespace/bank metadata.labels']);
    expect(findings.find((f) => f.code === 'IST0102')!.severity).toBe('info');
  });

  test.each([
    ['istio-injection=enabled', { 'istio-injection': 'enabled' }],
    ['istio-injection=disabled (deliberate)', { 'istio-injection': 'disabled' }],
    ['a revision label', { 'istio.io/rev': 'canary' }],
    ['ambient', { 'istio.io/dataplane-mode': 'ambient' }],
  ])('not reported with %s', (_what, labels) => {
    expect(summary(analyze([namespace('bank', labels), teller]), 'IST0102')).toEqual([]);
  });

  // Found by the mutated-manifest property: labels of another type crashed the analyzer (IST0001).
  test.each<[string, unknown]>([
    ['a string', '*'],
    ['a number', 7],
    ['a list', ['istio-injection']],
  ])('labels that are %s are no labels: reported, no analyzer failure', (_what, labels) => {
    const ns = { ...namespace('bank'), metadata: { name: 'bank', labels } };
    const findings = analyze([ns, teller]);
    expect(summary(findings, 'IST0102', 'IST0001')).toEqual(['IST0102 Namespace/bank metadata.labels']);
  });

  test('not reported for istio-system, for a Namespace without workloads, or without Namespace objects', () => {
    expect(summary(analyze([namespace('istio-system'), deployment('gw', { app: 'gw' }, 'istio-system')]), 'IST0102')).toEqual([]);
    expect(summary(analyze([namespace('bank'), deployment('x', { app: 'x' }, 'other')]), 'IST0102')).toEqual([]);
    expect(summary(analyze([teller]), 'IST0102')).toEqual([]);
  });
});
