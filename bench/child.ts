/**
 * One measured run, in its own process (started by bench/run.ts):
 *
 *   node dist/bench/bench/child.js --mode lib|lib-plain|peer|raw|floor --layout L --services N --outdir DIR [--phases]
 *     (peer also takes --imports DIR: the compiled `cdk8s import` output, see peer-imports.ts)
 *   node dist/bench/bench/child.js --mode analyze|load|parse --dir DIR [--phases]
 *
 * Each mode loads only the modules it uses (floor: `yaml`; raw: cdk8s; peer: cdk8s, cdk8s-plus and
 * the imported Istio classes; lib and lib-plain: cdk8s-istio), so
 * that startup and peak memory are those of that way of writing the mesh.
 *
 * Prints one line `BENCH_RESULT {json}` on stdout: time from process start to the end of the
 * work, peak RSS (getrusage maxRSS) and, with `--phases`, where the time went.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { chartFile, Layout, plainObjects } from './mesh';

/** Time from process start until this module runs: Node's own startup. */
const bootMs = performance.now();

interface Args {
  readonly mode: string;
  readonly layout: Layout;
  readonly services: number;
  readonly outdir: string;
  readonly dir: string;
  readonly imports: string;
  readonly phases: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    mode: get('--mode') ?? 'lib',
    layout: (get('--layout') ?? 'single') as Layout,
    services: Number(get('--services') ?? '100'),
    outdir: get('--outdir') ?? '',
    dir: get('--dir') ?? '',
    imports: get('--imports') ?? '',
    phases: argv.includes('--phases'),
  };
}

// ---- phase accounting --------------------------------------------------------------------------
// `step` times a step of a mode. With --phases, `wrap` also charges the time spent in given
// functions to a phase; only the outermost wrapped call counts, so phases never overlap, and
// what a step spends outside wrapped functions is reported as "<step> (other)".

const phaseMs: Record<string, number> = {};
const phaseCalls: Record<string, number> = {};
let depth = 0;
let instrumented = false;

function wrap(owner: any, method: string, phase: string): void {
  const original = owner[method];
  if (!instrumented || typeof original !== 'function') return;
  owner[method] = function wrapped(this: unknown, ...args: unknown[]) {
    if (depth > 0) return original.apply(this, args);
    depth++;
    const start = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      phaseMs[phase] = (phaseMs[phase] ?? 0) + performance.now() - start;
      phaseCalls[phase] = (phaseCalls[phase] ?? 0) + 1;
      depth--;
    }
  };
}

function step<T>(name: string, fn: () => T): T {
  const start = performance.now();
  const before = { ...phaseMs };
  try {
    return fn();
  } finally {
    const total = performance.now() - start;
    const inner = Object.keys(phaseMs).reduce((sum, k) => sum + phaseMs[k] - (before[k] ?? 0), 0);
    const key = inner > 0 ? `${name} (other)` : name;
    phaseMs[key] = (phaseMs[key] ?? 0) + total - inner;
  }
}

/** The `fs` module object itself: `import * as fs` gives a read-only view of it. */
function wrapFs(): void {
  const realFs = require('fs');
  for (const m of ['writeFileSync', 'renameSync', 'mkdirSync', 'mkdtempSync', 'rmSync', 'readFileSync']) wrap(realFs, m, 'fs');
}

function wrapCdk8s(): void {
  const { ApiObject, DependencyGraph, Yaml } = require('cdk8s');
  const { Node } = require('constructs');
  wrap(Node.prototype, 'validate', 'validate');
  wrap(ApiObject.prototype, 'toJson', 'toJson');
  wrap(Yaml, 'stringify', 'yaml');
  wrap(DependencyGraph.prototype, 'topology', 'topology');
}

// ---- the modes ---------------------------------------------------------------------------------

/**
 * The app of the run, kept until the process exits, so that a `--heap-prof` profile (written at
 * exit, with the sampled allocations still live then) shows the construct tree rather than nothing.
 * It does not change the peak RSS: the process ends right after the synth.
 */
export let retained: unknown;

/**
 * Our synth path: an IstioApp with the full analysis, over our constructs (lib) or over raw's plain
 * objects (lib-plain: what the synth path costs without cdk8s-plus and our constructs).
 */
function runLib(args: Args, plain: boolean): void {
  const { IstioApp, buildLib } = step('require', () => {
    // lib-mesh.ts loads our constructs (and cdk8s-plus), which lib-plain must not load.
    const m = { ...require('../lib/app/istio-app'), ...(plain ? {} : require('./lib-mesh')) };
    wrapCdk8s();
    wrap(require('../lib/analysis/engine').MeshAnalysis, 'analyze', 'analysis');
    wrapFs();
    return m;
  });
  const app = step('construct', () => {
    const a = new IstioApp({ outdir: args.outdir });
    if (plain) addPlainObjects(a, args);
    else buildLib(a, args.services, args.layout);
    return a;
  });
  step('synth', () => app.synth());
  retained = app;
}

/** The raw mode's objects: the plain JSON of every object, as a plain `ApiObject` in its chart. */
function addPlainObjects(app: any, args: Args): void {
  const { ApiObject, Chart } = require('cdk8s');
  const charts = new Map<string, any>();
  for (const { chart, json } of plainObjects(args.services, args.layout)) {
    let c = charts.get(chart);
    if (!c) {
      c = new Chart(app, chart);
      charts.set(chart, c);
    }
    new ApiObject(c, `${json.kind}-${json.metadata.name}`, json);
  }
}

function runRaw(args: Args): void {
  const { App } = step('require', () => {
    const m = require('cdk8s');
    wrapCdk8s();
    wrapFs();
    return m;
  });
  const app = step('construct', () => {
    const a = new App({ outdir: args.outdir });
    addPlainObjects(a, args);
    return a;
  });
  step('synth', () => app.synth());
}

/** What a cdk8s user without cdk8s-istio writes: cdk8s-plus workloads, `cdk8s import`ed Istio classes, a plain App. */
function runPeer(args: Args): void {
  const { App, buildPeer, istio } = step('require', () => {
    const peer = require('./peer-mesh');
    const m = { App: require('cdk8s').App, buildPeer: peer.buildPeer, istio: peer.loadPeerImports(args.imports) };
    wrapCdk8s();
    wrapFs();
    return m;
  });
  const app = step('construct', () => {
    const a = new App({ outdir: args.outdir });
    buildPeer(a, args.services, args.layout, istio);
    return a;
  });
  step('synth', () => app.synth());
  retained = app;
}

function runFloor(args: Args): void {
  const stringify = step('require', () => {
    const YAML = require('yaml');
    // The options cdk8s's Yaml.stringify uses, so that only the machinery around it differs.
    const yaml = {
      stringify: (docs: any[]): string => docs.map((d) => YAML.stringify(d, { keepUndefined: true, lineWidth: 0 })).join('---\n'),
    };
    wrap(yaml, 'stringify', 'yaml');
    wrapFs();
    return (docs: any[]) => yaml.stringify(docs);
  });
  const byChart = step('construct', () => {
    const charts = new Map<string, any[]>();
    for (const { chart, json } of plainObjects(args.services, args.layout)) {
      let docs = charts.get(chart);
      if (!docs) {
        docs = [];
        charts.set(chart, docs);
      }
      docs.push(json);
    }
    return charts;
  });
  step('synth', () => {
    fs.mkdirSync(args.outdir, { recursive: true });
    for (const [chart, docs] of byChart) fs.writeFileSync(path.join(args.outdir, chartFile(chart)), stringify(docs));
  });
}

function yamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Only parsing: read every file and turn each document into plain JS with the `yaml` package. */
function runParse(args: Args): { documents: number } {
  const YAML = step('require', () => require('yaml'));
  let documents = 0;
  step('parse', () => {
    for (const file of yamlFiles(args.dir)) {
      for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
        if (doc.toJS() !== null) documents++;
      }
    }
  });
  return { documents };
}

/** The CLI's loader alone (line numbers, error positions), without the analysis. */
function runLoad(args: Args): { documents: number } {
  const { collectFiles, loadFile } = step('require', () => require('../lib/cli/load'));
  let documents = 0;
  step('load', () => {
    for (const file of collectFiles([args.dir])) documents += loadFile(file).length;
  });
  return { documents };
}

/** `cdk8s-istio analyze DIR --format json` through the CLI's main(), output kept in memory. */
function runAnalyze(args: Args): { exitCode: number; findings: number } {
  const { main } = step('require', () => {
    const m = require('../lib/cli/main');
    wrap(require('../lib/analysis/engine').MeshAnalysis, 'analyze', 'analysis');
    wrap(require('../lib/cli/load'), 'loadFile', 'load');
    return m;
  });
  let out = '';
  const exitCode: number = step('cli', () =>
    main(['analyze', args.dir, '--format', 'json'], { stdout: (t: string) => (out += t), stderr: (t: string) => process.stderr.write(t) }),
  );
  let findings = -1;
  try {
    findings = JSON.parse(out).length;
  } catch {
    // not JSON: leave -1
  }
  return { exitCode, findings };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  instrumented = args.phases;
  const start = performance.now();
  let extra: object = {};
  switch (args.mode) {
    case 'lib':
      runLib(args, false);
      break;
    case 'raw':
      runRaw(args);
      break;
    case 'lib-plain':
      runLib(args, true);
      break;
    case 'peer':
      runPeer(args);
      break;
    case 'floor':
      runFloor(args);
      break;
    case 'parse':
      extra = runParse(args);
      break;
    case 'load':
      extra = runLoad(args);
      break;
    case 'analyze':
      extra = runAnalyze(args);
      break;
    default:
      throw new Error(`unknown mode '${args.mode}'`);
  }
  const end = performance.now();
  const result = {
    mode: args.mode,
    bootMs,
    workMs: end - start,
    totalMs: end,
    maxRssKb: process.resourceUsage().maxRSS,
    // CPU time (user + system) is less sensitive than wall time to other load on the machine.
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    phases: { boot: bootMs, ...phaseMs },
    calls: args.phases ? phaseCalls : undefined,
    ...extra,
  };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

main();
