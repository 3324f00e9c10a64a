import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshAnalysis } from '../../lib/analysis/engine';
import { IstioApp } from '../../lib/analysis/istio-app';
import { SynthAnalysis } from '../../lib/analysis/synth-analysis';
import { Gateway } from '../../lib/istio/gateway';
import { deployment, dr, service, vs } from '../fixtures/analysis/builders';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'istio-app-'));
const obj = (scope: Construct, id: string, o: any) => new ApiObject(scope, id, o);

/** The tutorial mesh in two charts; `subset` is where user traffic goes. */
function build(app: App, subset = 'v2'): void {
  const platform = new Chart(app, 'platform');
  obj(platform, 'svc', service('addedvalues'));
  obj(platform, 'v1', deployment('addedvalues-v1', { app: 'addedvalues', version: 'v1' }));
  obj(platform, 'v2', deployment('addedvalues-v2', { app: 'addedvalues', version: 'v2' }));
  const routing = new Chart(app, 'routing');
  obj(
    routing,
    'dr',
    dr('addedvalues', {
      host: 'addedvalues',
      subsets: [
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'v2', labels: { version: 'v2' } },
      ],
    }),
  );
  obj(routing, 'vs', vs('addedvalues', { hosts: ['addedvalues'], http: [{ route: [{ destination: { host: 'addedvalues', subset } }] }] }));
}

let stderr: jest.SpyInstance;
beforeEach(() => {
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => stderr.mockRestore());

describe('IstioApp', () => {
  test('writes one file per chart, byte-identical to App.synth', () => {
    const ours = new IstioApp({ outdir: tmp() });
    build(ours);
    ours.synth();
    const plain = new App({ outdir: tmp() });
    build(plain);
    plain.synth();
    expect(fs.readdirSync(ours.outdir).sort()).toEqual(['platform.k8s.yaml', 'routing.k8s.yaml']);
    for (const file of fs.readdirSync(plain.outdir)) {
      expect(fs.readFileSync(path.join(ours.outdir, file), 'utf8')).toBe(fs.readFileSync(path.join(plain.outdir, file), 'utf8'));
    }
    // No temp directory is left next to outdir.
    expect(fs.readdirSync(path.dirname(ours.outdir)).filter((f) => f.startsWith(`.${path.basename(ours.outdir)}.tmp-`))).toEqual([]);
  });

  test('a route to an undefined subset fails the synth naming the construct path, and writes nothing', () => {
    const outdir = path.join(tmp(), 'dist');
    const app = new IstioApp({ outdir });
    build(app, 'v3');
    expect(() => app.synth()).toThrow(
      /Synth failed with 1 error; nothing was written:\n {2}\[routing\/vs\] VirtualService\/addedvalues spec\.http\[0\]\.route\[0\]\.destination\.subset: subset 'v3'/,
    );
    expect(fs.existsSync(outdir)).toBe(false);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual([]);
  });

  test('the error is an IstioConfigError listing construct validation and analysis errors together', () => {
    const app = new IstioApp({ outdir: tmp() });
    build(app, 'v3');
    new Gateway(Chart.of(app.node.findChild('routing') as Construct), 'gw');
    let error: any;
    try {
      app.synth();
    } catch (e) {
      error = e;
    }
    expect(error.isIstioConfigError).toBe(true);
    expect(error.message).toContain('Synth failed with 3 errors');
    expect(error.message).toContain("[routing/gw] Gateway 'gw': spec.servers is empty");
    expect(error.message).toContain('[routing/gw/Resource] Gateway/gw spec.servers: a Gateway needs at least one server (IST0106)');
    expect(error.message).toContain('[routing/vs] VirtualService/addedvalues');
  });

  test('existing files in outdir are left alone when the synth fails', () => {
    const outdir = tmp();
    fs.writeFileSync(path.join(outdir, 'routing.k8s.yaml'), 'old');
    const app = new IstioApp({ outdir });
    build(app, 'v3');
    expect(() => app.synth()).toThrow('Synth failed');
    expect(fs.readFileSync(path.join(outdir, 'routing.k8s.yaml'), 'utf8')).toBe('old');
  });

  test('warnings are printed to stderr and do not fail; strict mode makes them errors', () => {
    const app = new IstioApp({ outdir: tmp() });
    build(app);
    obj(Chart.of(app.node.findChild('routing') as Construct), 'orphan', dr('orphan', { host: 'nothing' }));
    app.synth();
    expect(stderr.mock.calls.join('')).toContain(
      "warning IST0174 [routing/orphan] DestinationRule/orphan spec.host: host 'nothing' matches no service",
    );
    const strict = new IstioApp({ outdir: tmp(), analysis: { warningsAsErrors: true } });
    build(strict);
    obj(Chart.of(strict.node.findChild('routing') as Construct), 'orphan', dr('orphan', { host: 'nothing' }));
    expect(() => strict.synth()).toThrow(/\[routing\/orphan\] DestinationRule\/orphan spec\.host: .*\(IST0174\)/);
  });

  test('validations and the analysis run once for the whole app, whatever the number of charts', () => {
    const app = new IstioApp({ outdir: tmp() });
    build(app);
    let validations = 0;
    for (let i = 0; i < 20; i++) {
      const chart = new Chart(app, `extra-${i}`);
      obj(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` } });
    }
    app.node.addValidation({
      validate: () => {
        validations++;
        return [];
      },
    });
    SynthAnalysis.of(app);
    const analyze = jest.spyOn(MeshAnalysis, 'analyze');
    try {
      app.synth();
      expect(validations).toBe(1);
      expect(analyze).toHaveBeenCalledTimes(1);
      expect(analyze.mock.calls[0][0]).toHaveLength(25);
    } finally {
      analyze.mockRestore();
    }
    expect(fs.readdirSync(app.outdir)).toHaveLength(22);
  });

  test('FILE_PER_APP and synthYaml', () => {
    const app = new IstioApp({ outdir: tmp(), yamlOutputType: YamlOutputType.FILE_PER_APP });
    build(app);
    app.synth();
    expect(fs.readdirSync(app.outdir)).toEqual(['app.k8s.yaml']);
    expect(fs.readFileSync(path.join(app.outdir, 'app.k8s.yaml'), 'utf8')).toBe(app.synthYaml());
  });
});

describe('SynthAnalysis (plain cdk8s App)', () => {
  test('Testing-style chart.toJson() fails with the analysis errors once registered', () => {
    const app = new App({ outdir: tmp() });
    build(app, 'v3');
    const routing = app.node.findChild('routing') as Chart;
    expect(() => routing.toJson()).not.toThrow();
    SynthAnalysis.of(routing);
    expect(() => routing.toJson()).toThrow(
      /\[routing\/vs\] VirtualService\/addedvalues spec\.http\[0\]\.route\[0\]\.destination\.subset: subset 'v3'/,
    );
  });

  test('of() returns one instance per app', () => {
    const app = new App({ outdir: tmp() });
    build(app);
    expect(SynthAnalysis.of(app.node.findChild('routing'))).toBe(SynthAnalysis.of(app));
  });

  test('App.synth analyzes once for all charts, and sees later changes', () => {
    const app = new App({ outdir: tmp() });
    build(app);
    for (let i = 0; i < 5; i++) new Chart(app, `extra-${i}`);
    SynthAnalysis.of(app);
    const analyze = jest.spyOn(MeshAnalysis, 'analyze');
    try {
      app.synth();
      expect(analyze).toHaveBeenCalledTimes(1);
      obj(
        app.node.findChild('routing') as Construct,
        'bad',
        vs('bad', { hosts: ['other'], http: [{ route: [{ destination: { host: 'addedvalues', subset: 'v9' } }] }] }),
      );
      expect(() => app.synth()).toThrow(/VirtualService\/bad/);
      expect(analyze).toHaveBeenCalledTimes(2);
    } finally {
      analyze.mockRestore();
    }
  });
});
