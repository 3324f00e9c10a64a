import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { CANARY_STEPS, synthCanary, synthEgress, synthTutorial } from '../../examples/yunqi-bank/main';
import { MeshAnalysis, Severity } from '../../lib';
import { main as cli } from '../../lib/cli/main';
import { expectGolden } from '../support/golden';

// Golden files (test/golden/): a change in the example's output is a visible diff in review.
const TUTORIAL_FILES = [
  'app.yaml',
  'destination-rule-all.yaml',
  'gateway.yaml',
  'namespace.yaml',
  'serviceentry.yaml',
  'virtual-service-user-v2-v3.yaml',
];
const PLATFORM_FILES = ['app.yaml', 'destination-rule-all.yaml', 'gateway.yaml', 'namespace.yaml', 'serviceentry.yaml'];

let out: string;
beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'yunqi-bank-'));
  synthTutorial(path.join(out, 'yunqi-bank'));
  synthCanary(path.join(out, 'yunqi-bank-canary'));
  synthEgress(path.join(out, 'yunqi-bank-egress'));
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

function compareWithGolden(relative: string): void {
  expectGolden(relative, fs.readFileSync(path.join(out, relative), 'utf8'));
}

function objectsIn(dir: string): any[] {
  return listFiles(dir).flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()));
}

describe('yunqi-bank tutorial', () => {
  test('writes exactly the six tutorial files', () => {
    expect(listFiles(path.join(out, 'yunqi-bank'))).toEqual(TUTORIAL_FILES);
  });

  test.each(TUTORIAL_FILES)('%s matches its golden file', (file) => {
    compareWithGolden(path.join('yunqi-bank', file));
  });

  test('canary steps each write a complete set with one VirtualService for addedvalues', () => {
    expect(listFiles(path.join(out, 'yunqi-bank-canary'))).toEqual(
      CANARY_STEPS.flatMap((s) => [...PLATFORM_FILES, 'virtual-service-addedvalues.yaml'].map((f) => path.join(s.folder, f))).sort(),
    );
    for (const step of CANARY_STEPS) {
      compareWithGolden(path.join('yunqi-bank-canary', step.folder, 'virtual-service-addedvalues.yaml'));
      const services = objectsIn(path.join(out, 'yunqi-bank-canary', step.folder)).filter(
        (o) => o.kind === 'VirtualService' && o.spec.hosts.includes('addedvalues'),
      );
      expect(services).toHaveLength(1);
      expect(services[0].spec.http[0].route.map((r: any) => [r.destination.subset, r.weight])).toEqual(Object.entries(step.weights));
    }
  });

  test('the canary platform files equal the tutorial ones', () => {
    for (const step of CANARY_STEPS) {
      for (const file of PLATFORM_FILES) {
        expect(fs.readFileSync(path.join(out, 'yunqi-bank-canary', step.folder, file), 'utf8')).toEqual(
          fs.readFileSync(path.join(out, 'yunqi-bank', file), 'utf8'),
        );
      }
    }
  });

  test('every output set analyzes without findings', () => {
    for (const dir of ['yunqi-bank', 'yunqi-bank-egress', ...CANARY_STEPS.map((s) => path.join('yunqi-bank-canary', s.folder))]) {
      const manifests = objectsIn(path.join(out, dir)).map((object) => ({ object, source: { file: dir } }));
      const findings = MeshAnalysis.analyze(manifests);
      expect(findings.filter((f) => f.severity !== Severity.INFO)).toEqual([]);
    }
  });

  test('the namespace is labelled for sidecar injection, and the analysis sees no uninjected namespace', () => {
    const [ns] = objectsIn(path.join(out, 'yunqi-bank')).filter((o) => o.kind === 'Namespace');
    expect(ns.metadata).toEqual({ name: 'default', labels: { 'istio-injection': 'enabled' } });
    const manifests = objectsIn(path.join(out, 'yunqi-bank')).map((object) => ({ object, source: {} }));
    expect(MeshAnalysis.analyze(manifests).filter((f) => f.code === 'IST0102')).toEqual([]);
  });

  test('no cdk8s address label leaks into the workloads', () => {
    expect(fs.readFileSync(path.join(out, 'yunqi-bank', 'app.yaml'), 'utf8')).not.toContain('cdk8s.io/metadata.addr');
  });

  test('the user routing sends yunqi* to v3 and everyone else to v2', () => {
    const [vs] = objectsIn(path.join(out, 'yunqi-bank')).filter((o) => o.kind === 'VirtualService' && o.metadata.name === 'addedvalues');
    expect(vs.spec.http).toEqual([
      { match: [{ headers: { 'end-user': { prefix: 'yunqi' } } }], route: [{ destination: { host: 'addedvalues', subset: 'v3' } }] },
      { route: [{ destination: { host: 'addedvalues', subset: 'v2' } }] },
    ]);
  });

  describe('the egress variant', () => {
    const EGRESS_FILES = [
      'app.yaml',
      'destination-rule-all.yaml',
      'egress-gateway.yaml',
      'gateway.yaml',
      'namespace.yaml',
      'virtual-service-user-v2-v3.yaml',
    ];

    test('writes the tutorial files with egress-gateway.yaml in place of serviceentry.yaml', () => {
      expect(listFiles(path.join(out, 'yunqi-bank-egress'))).toEqual(EGRESS_FILES);
    });

    test('egress-gateway.yaml matches its golden file; the other files equal the tutorial ones', () => {
      compareWithGolden(path.join('yunqi-bank-egress', 'egress-gateway.yaml'));
      for (const file of EGRESS_FILES.filter((f) => f !== 'egress-gateway.yaml')) {
        expect(fs.readFileSync(path.join(out, 'yunqi-bank-egress', file), 'utf8')).toEqual(
          fs.readFileSync(path.join(out, 'yunqi-bank', file), 'utf8'),
        );
      }
    });

    test('styletransfer traffic from the mesh goes to the egress gateway, and from there to port 443', () => {
      const [vs] = objectsIn(path.join(out, 'yunqi-bank-egress')).filter(
        (o) => o.kind === 'VirtualService' && o.spec.hosts.includes('styletransfer.example.com'),
      );
      expect(
        vs.spec.http.map((r: any) => [r.match[0].gateways[0], r.route[0].destination.host, r.route[0].destination.port.number]),
      ).toEqual([
        ['mesh', 'istio-egressgateway.istio-system.svc.cluster.local', 80],
        ['styletransfer-egressgateway', 'styletransfer.example.com', 443],
      ]);
    });
  });

  describe('cdk8s-istio analyze over the output', () => {
    function analyze(dir: string): { code: number; stdout: string } {
      let stdout = '';
      const code = cli(['analyze', dir], { stdout: (t) => (stdout += t), stderr: (t) => (stdout += t) });
      return { code, stdout };
    }

    test('the tutorial folder exits 0', () => {
      expect(analyze(path.join(out, 'yunqi-bank')).code).toBe(0);
    });

    test('without the v3 subset it exits 1 naming VirtualService/addedvalues and the subset', () => {
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'yunqi-bank-broken-'));
      try {
        fs.cpSync(path.join(out, 'yunqi-bank'), copy, { recursive: true });
        const file = path.join(copy, 'destination-rule-all.yaml');
        const withoutV3 = fs.readFileSync(file, 'utf8').replace(/\n {4}- labels:\n {8}version: v3\n {6}name: v3/, '');
        expect(withoutV3).not.toContain('name: v3');
        fs.writeFileSync(file, withoutV3);
        const r = analyze(copy);
        expect(r.code).toBe(1);
        expect(r.stdout).toMatch(/error IST0101 VirtualService\/addedvalues .*subset 'v3'/);
      } finally {
        fs.rmSync(copy, { recursive: true, force: true });
      }
    });
  });
});
