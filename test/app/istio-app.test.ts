import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshAnalysis } from '../../lib/analysis/engine';
import { IstioApp } from '../../lib/app/istio-app';
import { SynthAnalysis } from '../../lib/app/synth-analysis';
import { Gateway } from '../../lib/istio/gateway';
import { VersionedService } from '../../lib/patterns/versioned-service';
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
    const routing = Chart.of(app.node.findChild('routing') as Construct);
    new Gateway(routing, 'gw');
    new VersionedService(routing, 'ratings', { port: 9080 });
    let error: any;
    try {
      app.synth();
    } catch (e) {
      error = e;
    }
    expect(error.isIstioConfigError).toBe(true);
    expect(error.message).toContain('Synth failed with 3 errors');
    // A construct's own validation, then the analysis (which reports the Gateway's rule-book error once).
    expect(error.message).toContain("[routing/ratings] VersionedService 'ratings': has no versions");
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

  /** Every file below `dir`, relative path -> content. */
  const tree = (dir: string): Record<string, string> => {
    const files: Record<string, string> = {};
    const walk = (rel: string) => {
      for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
        const r = path.join(rel, entry.name);
        if (entry.isDirectory()) walk(r);
        else files[r] = fs.readFileSync(path.join(dir, r), 'utf8');
      }
    };
    walk('');
    return files;
  };

  /** Charts with ids that are array indices (sorted first by cdk8s), plus the tutorial mesh. */
  function buildOrdered(app: App): void {
    build(app);
    for (const id of ['10', 'b', '2', 'a', '0']) {
      const chart = new Chart(app, id);
      obj(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${id}` }, data: { on: 'yes', ratio: 0.5 } });
      obj(chart, 'cm2', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm2-${id}` } });
    }
  }

  /** Cross-chart and in-chart dependencies, and a chart nested in a chart: cdk8s numbers the files. */
  function buildDependent(app: App): void {
    buildOrdered(app);
    const routing = app.node.findChild('routing') as Chart;
    const platform = app.node.findChild('platform') as Chart;
    routing.addDependency(platform);
    const a = app.node.findChild('a') as Chart;
    (a.node.findChild('cm') as ApiObject).addDependency(a.node.findChild('cm2') as ApiObject);
    obj(new Chart(a, 'inner'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inner' } });
  }

  const outputTypes = [
    YamlOutputType.FILE_PER_CHART,
    YamlOutputType.FILE_PER_APP,
    YamlOutputType.FILE_PER_RESOURCE,
    YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE,
  ];
  test.each(outputTypes.flatMap((type) => [buildOrdered, buildDependent].map((b) => [YamlOutputType[type], b.name, type, b] as const)))(
    '%s, %s: the same files, byte for byte, as App.synth',
    (_name, _build, yamlOutputType, buildApp) => {
      const ours = new IstioApp({ outdir: path.join(tmp(), 'dist'), yamlOutputType, recordConstructMetadata: true });
      buildApp(ours);
      ours.synth();
      const plain = new App({ outdir: tmp(), yamlOutputType, recordConstructMetadata: true });
      buildApp(plain);
      plain.synth();
      const expected = tree(plain.outdir);
      expect(Object.keys(expected).length).toBeGreaterThan(1);
      expect(tree(ours.outdir)).toEqual(expected);
    },
  );

  test('a chart file larger than one write piece is the same as App.synth writes', () => {
    const fill = (app: App) => {
      const chart = new Chart(app, 'big');
      const data = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`key-${i}`, `value-${'x'.repeat(40)}-${i}`]));
      for (let i = 0; i < 1500; i++) obj(chart, `cm${i}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data });
    };
    const ours = new IstioApp({ outdir: path.join(tmp(), 'dist') });
    fill(ours);
    ours.synth();
    const plain = new App({ outdir: tmp() });
    fill(plain);
    plain.synth();
    const expected = fs.readFileSync(path.join(plain.outdir, 'big.k8s.yaml'), 'utf8');
    expect(expected.length).toBeGreaterThan(1024 * 1024);
    expect(fs.readFileSync(path.join(ours.outdir, 'big.k8s.yaml'), 'utf8')).toBe(expected);
  });

  test('chart files come in the order cdk8s lists charts: array-index ids first', () => {
    const app = new IstioApp({ outdir: tmp(), yamlOutputType: YamlOutputType.FILE_PER_APP });
    buildOrdered(app);
    const names = [...app.synthYaml().matchAll(/^ {2}name: (cm-\S+)$/gm)].map((m) => m[1]);
    expect(names).toEqual(['cm-0', 'cm-2', 'cm-10', 'cm-b', 'cm-a']);
  });

  test('a new outdir is created with the usual mode, and nothing else is left next to it', () => {
    const parent = tmp();
    const app = new IstioApp({ outdir: path.join(parent, 'out') });
    build(app);
    app.synth();
    fs.mkdirSync(path.join(parent, 'reference'));
    expect(fs.readdirSync(parent).sort()).toEqual(['out', 'reference']);
    expect(fs.statSync(path.join(parent, 'out')).mode).toBe(fs.statSync(path.join(parent, 'reference')).mode);
    expect(fs.readdirSync(app.outdir).sort()).toEqual(['platform.k8s.yaml', 'routing.k8s.yaml']);
  });

  test('the construct tree keeps its children, their order and its rules after a synth', () => {
    const app = new IstioApp({ outdir: tmp() });
    buildOrdered(app);
    const before = app.node.findAll().map((c) => c.node.path);
    app.synth();
    expect(app.node.findAll().map((c) => c.node.path)).toEqual(before);
    const routing = app.node.findChild('routing') as Chart;
    expect(routing.node.tryFindChild('vs')).toBeDefined();
    expect(() => obj(routing, 'vs', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toThrow(
      /already a Construct with name 'vs'/,
    );
    obj(routing, 'later', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later' } });
    expect(routing.node.children.map((c) => c.node.id)).toEqual(['dr', 'vs', 'later']);
  });

  test('the child table of a chart becomes a dictionary once the next chart is added, the rest at synth', () => {
    const app = new IstioApp({ outdir: tmp() });
    build(app);
    const prototypeOfTable = (id: string) => Object.getPrototypeOf((app.node.findChild(id).node as any)._children);
    expect(prototypeOfTable('platform')).toBeNull();
    expect(prototypeOfTable('routing')).toBe(Object.prototype);
    app.synth();
    expect(prototypeOfTable('routing')).toBeNull();
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
