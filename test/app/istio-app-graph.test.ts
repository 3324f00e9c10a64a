import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { GraphFormat, IstioApp, UserPrefixRoute, VersionedService } from '../../lib';

function bank(app: IstioApp): void {
  const chart = new Chart(app, 'bank');
  const accounts = new VersionedService(chart, 'accounts', {
    port: 80,
    versions: [
      { name: 'v1', image: 'accounts:1' },
      { name: 'v2', image: 'accounts:2' },
    ],
  });
  new UserPrefixRoute(chart, 'route', { service: accounts, prefixes: [{ prefix: 'beta', version: 'v2' }], defaultVersion: 'v1' });
}

const outdir = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'istio-app-graph-')), 'dist');

test('with graph: MERMAID, synth writes mesh-graph.md next to the manifests, and synthesizes again into the same folder', () => {
  const dir = outdir();
  for (let run = 0; run < 2; run++) {
    const app = new IstioApp({ outdir: dir, graph: GraphFormat.MERMAID });
    bank(app);
    app.synth();
  }
  expect(fs.readdirSync(dir).sort()).toEqual(['bank.k8s.yaml', 'mesh-graph.md']);
  const md = fs.readFileSync(path.join(dir, 'mesh-graph.md'), 'utf8');
  expect(md.startsWith('```mermaid\nflowchart LR\n')).toBe(true);
  expect(md).toContain('|"end-user ^= beta"| version_accounts_default_v2');
  expect(md.endsWith('```\n')).toBe(true);
});

test.each([
  [GraphFormat.DOT, 'mesh-graph.dot', 'digraph mesh {'],
  [GraphFormat.SVG, 'mesh-graph.svg', '<svg '],
  [GraphFormat.HTML, 'mesh-graph.html', '<!doctype html>'],
])('graph: %s writes %s', (format, file, start) => {
  const dir = outdir();
  const app = new IstioApp({ outdir: dir, graph: format });
  bank(app);
  app.synth();
  expect(fs.readFileSync(path.join(dir, file), 'utf8').startsWith(start)).toBe(true);
});

test('without the option no picture is written', () => {
  const dir = outdir();
  const app = new IstioApp({ outdir: dir });
  bank(app);
  app.synth();
  expect(fs.readdirSync(dir)).toEqual(['bank.k8s.yaml']);
});

test("the picture shows the synth's own findings, suppressions included", () => {
  const synthGraph = (suppress: boolean): string => {
    const dir = outdir();
    const app = new IstioApp({
      outdir: dir,
      graph: GraphFormat.MERMAID,
      analysis: suppress ? { suppressions: [{ code: 'IST0118' }] } : {},
    });
    const chart = new Chart(app, 'bank');
    // A Service port without a protocol prefix in its name: IST0118, a warning.
    new ApiObject(chart, 'svc', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ledger' },
      spec: { selector: { app: 'ledger' }, ports: [{ name: 'web', port: 80 }] },
    });
    app.synth();
    return fs.readFileSync(path.join(dir, 'mesh-graph.md'), 'utf8');
  };
  expect(synthGraph(false)).toContain('⚠ IST0118');
  expect(synthGraph(true)).not.toContain('⚠');
});
