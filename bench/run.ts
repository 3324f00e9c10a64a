/**
 * `npm run bench`: synthesizes the benchmark mesh (bench/mesh.ts) in five modes (lib, lib-plain,
 * peer, raw, floor) and three layouts, each run in a fresh Node process, and reports the median wall
 * time and peak RSS per cell. See BENCHMARKS.md.
 *
 * Options:
 *   --services N[,N...]   sizes (default 100,1000,5000)
 *   --layouts L[,L...]    single, tutorial, per-service (default all)
 *   --modes M[,M...]      lib, lib-plain, peer, raw, floor (default all; the output check needs at least two)
 *   --crds PATH           Istio's CRD bundle, for the peer mode's `cdk8s import` (default $CDK8S_ISTIO_CRDS,
 *                         else ../shared/istio/crds-1.30.3.yaml next to the repository)
 *   --runs R              runs per cell (default 5); the median is reported
 *   --max-seconds S       stop starting new runs of a cell once its runs took S seconds in all
 *                         (at least one run per mode; default: no cap)
 *   --json                one JSON object per line on stdout instead of the table
 *   --no-analyze          skip the `cdk8s-istio analyze` vs parse measurement (run on the
 *                         lib output of the largest size, when it is >= 1000)
 *   --analyze-layouts L   layouts whose output the analyze measurement reads
 *                         (default single,per-service: one big file, one file per service)
 *   --phases              lib mode: time the phases of synth (one extra instrumented run per cell)
 *   --cpu-prof DIR        lib, lib-plain and peer: one extra run per cell and mode under `node --cpu-prof`,
 *                         profiles in DIR (`<mode>-<layout>-<N>.cpuprofile`)
 *   --heap-prof DIR       the same under `node --heap-prof` (sampled allocations, `<mode>-<layout>-<N>.heapprofile`)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { Layout, LAYOUTS } from './mesh';
import { crdBundlePath, generatePeerImports } from './peer-imports';

type Mode = 'lib' | 'lib-plain' | 'peer' | 'raw' | 'floor';
const MODES: readonly Mode[] = ['lib', 'lib-plain', 'peer', 'raw', 'floor'];
/** The modes --cpu-prof and --heap-prof profile: those that build constructs. */
const PROFILED: readonly Mode[] = ['lib', 'lib-plain', 'peer'];
const CHILD = path.join(__dirname, 'child.js');

interface Options {
  readonly services: number[];
  readonly layouts: Layout[];
  readonly modes: Mode[];
  readonly runs: number;
  readonly maxSeconds: number;
  readonly json: boolean;
  readonly analyze: boolean;
  readonly analyzeLayouts: Layout[];
  readonly phases: boolean;
  readonly cpuProf?: string;
  readonly heapProf?: string;
  readonly crds: string;
  /** The compiled `cdk8s import` output, set once generated (peer mode). */
  imports?: string;
}

interface ChildResult {
  readonly wallMs: number;
  readonly maxRssKb: number;
  readonly cpuMs: number;
  readonly bootMs: number;
  readonly workMs: number;
  readonly phases?: Record<string, number>;
  readonly calls?: Record<string, number>;
  readonly [extra: string]: unknown;
}

interface Cell {
  readonly services: number;
  readonly layout: Layout;
  readonly mode: string;
  readonly runs: ChildResult[];
}

function parseOptions(argv: string[]): Options {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const list = (flag: string) =>
    value(flag)
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  const known = [
    '--services',
    '--layouts',
    '--modes',
    '--runs',
    '--max-seconds',
    '--json',
    '--no-analyze',
    '--analyze-layouts',
    '--phases',
    '--cpu-prof',
    '--heap-prof',
    '--crds',
  ];
  for (const a of argv) if (a.startsWith('--') && !known.includes(a)) throw new Error(`unknown option ${a} (known: ${known.join(' ')})`);
  const services = (list('--services') ?? ['100', '1000', '5000']).map(Number);
  if (services.some((n) => !Number.isInteger(n) || n < 1 || n > 10000)) throw new Error('--services takes integers between 1 and 10000');
  const layouts = (list('--layouts') ?? [...LAYOUTS]) as Layout[];
  for (const l of layouts) if (!LAYOUTS.includes(l)) throw new Error(`unknown layout '${l}' (known: ${LAYOUTS.join(', ')})`);
  const modes = (list('--modes') ?? [...MODES]) as Mode[];
  for (const m of modes) if (!MODES.includes(m)) throw new Error(`unknown mode '${m}' (known: ${MODES.join(', ')})`);
  const runs = Number(value('--runs') ?? '5');
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive integer');
  const maxSeconds = Number(value('--max-seconds') ?? 'Infinity');
  if (!(maxSeconds > 0)) throw new Error('--max-seconds takes a positive number');
  return {
    services,
    layouts,
    modes,
    runs,
    maxSeconds,
    json: argv.includes('--json'),
    analyze: !argv.includes('--no-analyze'),
    analyzeLayouts: (list('--analyze-layouts') ?? ['single', 'per-service']) as Layout[],
    phases: argv.includes('--phases'),
    cpuProf: value('--cpu-prof'),
    heapProf: value('--heap-prof'),
    crds: crdBundlePath(value('--crds')),
  };
}

const log = (text: string) => process.stderr.write(`${text}\n`);

/** Runs child.js in a fresh process and returns its report plus the wall time seen from here. */
function runChild(args: string[], nodeArgs: string[] = []): ChildResult {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [...nodeArgs, CHILD, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const line = child.stdout?.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (child.status !== 0 || !line) {
    throw new Error(
      `bench child ${args.join(' ')} failed (status ${child.status}, signal ${child.signal}):\n${child.stderr}${child.stdout}`,
    );
  }
  const stderr = child.stderr.trim();
  if (stderr) log(`  [${args.join(' ')}] stderr: ${stderr.split('\n').slice(0, 5).join('\n  ')}`);
  return { ...JSON.parse(line.slice('BENCH_RESULT '.length)), wallMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const medianMs = (cell: Cell) => median(cell.runs.map((r) => r.wallMs));
const medianRssMb = (cell: Cell) => median(cell.runs.map((r) => r.maxRssKb / 1024));
const medianCpuMs = (cell: Cell) => median(cell.runs.map((r) => r.cpuMs));

// ---- output check -------------------------------------------------------------------------------

/** Canonical JSON: object keys sorted, so that key order does not matter. */
function canonical(value: any): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** file -> its documents, canonical and sorted (the order of documents in a file is not compared). */
function readOutput(dir: string): Map<string, string[]> {
  const files = new Map<string, string[]>();
  for (const name of fs.readdirSync(dir).sort()) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const docs = YAML.parseAllDocuments(text).map((d) => {
      if (d.errors.length > 0) throw new Error(`${name}: invalid YAML: ${d.errors[0].message}`);
      return d.toJS();
    });
    files.set(
      name,
      docs
        .filter((d) => d !== null && d !== undefined)
        .map(canonical)
        .sort(),
    );
  }
  return files;
}

function compareOutputs(label: string, outputs: Map<string, string>): void {
  const [first, ...rest] = [...outputs.entries()];
  const expected = readOutput(first[1]);
  const count = [...expected.values()].reduce((n, docs) => n + docs.length, 0);
  for (const [mode, dir] of rest) {
    const actual = readOutput(dir);
    const problems: string[] = [];
    for (const file of new Set([...expected.keys(), ...actual.keys()])) {
      const a = expected.get(file);
      const b = actual.get(file);
      if (!a || !b) {
        problems.push(`${file}: only in ${a ? first[0] : mode}`);
        continue;
      }
      const bSet = new Set(b);
      const aSet = new Set(a);
      const missing = a.filter((d) => !bSet.has(d));
      const extra = b.filter((d) => !aSet.has(d));
      if (missing.length || extra.length || a.length !== b.length) {
        problems.push(
          `${file}: ${a.length} vs ${b.length} documents; first only in ${first[0]}: ${missing[0]?.slice(0, 400) ?? '-'}; first only in ${mode}: ${extra[0]?.slice(0, 400) ?? '-'}`,
        );
      }
    }
    if (problems.length > 0) {
      throw new Error(`OUTPUT MISMATCH ${label}: ${first[0]} and ${mode} differ:\n  ${problems.slice(0, 10).join('\n  ')}`);
    }
  }
  log(`  output check ${label}: ${[...outputs.keys()].join(', ')} parse to the same ${count} documents in ${expected.size} files`);
}

// ---- the matrix ---------------------------------------------------------------------------------

function measureCell(
  options: Options,
  root: string,
  services: number,
  layout: Layout,
  keepLib: boolean,
): { cells: Cell[]; libDir?: string } {
  const cells = new Map<Mode, Cell>(options.modes.map((mode) => [mode, { services, layout, mode, runs: [] }]));
  const checked = new Map<string, string>();
  const spent = new Map<Mode, number>(options.modes.map((m) => [m, 0]));
  for (let run = 0; run < options.runs; run++) {
    // Modes alternate run by run, so that load from other processes on the machine spreads evenly.
    for (const mode of options.modes) {
      if (run > 0 && spent.get(mode)! >= options.maxSeconds * 1000) continue;
      const outdir = path.join(root, `${layout}-${services}-${mode}-${run}`);
      const result = runChild(synthArgs(options, mode, layout, services, outdir));
      cells.get(mode)!.runs.push(result);
      spent.set(mode, spent.get(mode)! + result.wallMs);
      log(
        `  ${services} ${layout} ${mode} run ${run + 1}: ${Math.round(result.wallMs)} ms (CPU ${Math.round(result.cpuMs)} ms), ${Math.round(result.maxRssKb / 1024)} MB`,
      );
      // Outputs stay until the bench ends (see KEEP_OUTPUTS).
      if (run === 0) checked.set(mode, outdir);
    }
  }
  if (checked.size > 1) compareOutputs(`(${services} services, ${layout})`, checked);
  const libDir = keepLib ? checked.get('lib') : undefined;
  if (options.phases && options.modes.includes('lib')) {
    const outdir = path.join(root, `${layout}-${services}-phases`);
    const r = runChild(['--mode', 'lib', '--layout', layout, '--services', String(services), '--outdir', outdir, '--phases']);
    log(`  phases ${services} ${layout} lib (ms): ${formatPhases(r)}`);
    phaseReports.push({ services, layout, result: r });
  }
  for (const [kind, dirOption] of [
    ['cpu', options.cpuProf],
    ['heap', options.heapProf],
  ] as const) {
    if (!dirOption) continue;
    const dir = path.resolve(dirOption);
    for (const mode of options.modes.filter((m) => PROFILED.includes(m))) {
      const name = `${mode}-${layout}-${services}.${kind}profile`;
      const outdir = path.join(root, `${layout}-${services}-${mode}-${kind}prof`);
      runChild(synthArgs(options, mode, layout, services, outdir), [
        `--${kind}-prof`,
        `--${kind}-prof-dir`,
        dir,
        `--${kind}-prof-name`,
        name,
      ]);
      log(`  ${kind} profile: ${path.join(dir, name)}`);
    }
  }
  return { cells: [...cells.values()], libDir };
}

function synthArgs(options: Options, mode: Mode, layout: Layout, services: number, outdir: string): string[] {
  const args = ['--mode', mode, '--layout', layout, '--services', String(services), '--outdir', outdir];
  return mode === 'peer' ? [...args, '--imports', options.imports!] : args;
}

const phaseReports: { services: number; layout: Layout; result: ChildResult }[] = [];

function formatPhases(r: ChildResult): string {
  return Object.entries(r.phases ?? {})
    .map(([k, v]) => `${k} ${Math.round(v)}`)
    .join(', ');
}

/** `cdk8s-istio analyze DIR` against parsing DIR's files, each in fresh processes. */
function measureAnalyze(options: Options, services: number, layout: Layout, dir: string): Cell[] {
  const cells: Cell[] = ['parse', 'load', 'analyze'].map((mode) => ({ services, layout, mode, runs: [] }));
  const spent = [0, 0, 0];
  for (let run = 0; run < options.runs; run++) {
    cells.forEach((cell, i) => {
      if (run > 0 && spent[i] >= options.maxSeconds * 1000) return;
      const r = runChild(['--mode', cell.mode, '--dir', dir, ...(cell.mode === 'analyze' ? ['--phases'] : [])]);
      if (cell.mode === 'analyze' && r.exitCode !== 0) {
        throw new Error(`cdk8s-istio analyze ${dir} exited with ${r.exitCode} (${r.findings} findings)`);
      }
      cell.runs.push(r);
      spent[i] += r.wallMs;
      log(
        `  ${services} ${layout} ${cell.mode} run ${run + 1}: ${Math.round(r.wallMs)} ms (work ${Math.round(r.workMs)} ms), ${Math.round(r.maxRssKb / 1024)} MB${cell.mode === 'analyze' ? `; ${formatPhases(r)}` : ''}`,
      );
    });
  }
  return cells;
}

// ---- report -------------------------------------------------------------------------------------

const fmtMs = (ms: number) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '-');

const findCell = (cells: Cell[], s: number, l: string, m: string) => cells.find((c) => c.services === s && c.layout === l && c.mode === m);

/** The ratios of one cell (services, layout) between modes, undefined where a mode was not run. */
function cellRatios(cells: Cell[], services: number, layout: string): Record<string, number | undefined> {
  const of = (a: string, b: string, value: (c: Cell) => number) => {
    const x = findCell(cells, services, layout, a);
    const y = findCell(cells, services, layout, b);
    return x && y && value(y) > 0 ? Number((value(x) / value(y)).toFixed(3)) : undefined;
  };
  return {
    lib_peer_ms: of('lib', 'peer', medianMs),
    lib_peer_rss: of('lib', 'peer', medianRssMb),
    lib_peer_cpu: of('lib', 'peer', medianCpuMs),
    lib_floor_ms: of('lib', 'floor', medianMs),
    lib_floor_cpu: of('lib', 'floor', medianCpuMs),
    lib_raw_ms: of('lib', 'raw', medianMs),
    lib_raw_rss: of('lib', 'raw', medianRssMb),
    lib_plain_ms: of('lib', 'lib-plain', medianMs),
    lib_plain_rss: of('lib', 'lib-plain', medianRssMb),
    peer_raw_ms: of('peer', 'raw', medianMs),
    peer_raw_rss: of('peer', 'raw', medianRssMb),
  };
}

function table(cells: Cell[]): string {
  const keys = [...new Set(cells.filter((c) => MODES.includes(c.mode as Mode)).map((c) => `${c.services}|${c.layout}`))];
  const x = (r: number | undefined) => (r === undefined ? '-' : `${r.toFixed(2)}×`);
  const rows = [
    '| services | layout | lib | lib-plain | peer | raw | floor | lib/peer | CPU lib/peer | lib/floor | CPU lib/floor | lib/lib-plain | lib/raw | runs |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  const rssRows = [
    '| services | layout | lib RSS | lib-plain RSS | peer RSS | raw RSS | floor RSS | RSS lib/peer | RSS lib/lib-plain | RSS peer/raw | RSS lib/raw |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const key of keys) {
    const [s, l] = key.split('|');
    const n = Number(s);
    const byMode = MODES.map((m) => findCell(cells, n, l, m));
    const ms = (c?: Cell) => (c ? fmtMs(medianMs(c)) : '-');
    const mb = (c?: Cell) => (c ? `${Math.round(medianRssMb(c))} MB` : '-');
    const r = cellRatios(cells, n, l);
    const runs = byMode.map((c) => (c ? c.runs.length : '-')).join('/');
    rows.push(
      `| ${n} | ${l} | ${byMode.map(ms).join(' | ')} | ${x(r.lib_peer_ms)} | ${x(r.lib_peer_cpu)} | ${x(r.lib_floor_ms)} | ${x(r.lib_floor_cpu)} | ${x(r.lib_plain_ms)} | ${x(r.lib_raw_ms)} | ${runs} |`,
    );
    rssRows.push(
      `| ${n} | ${l} | ${byMode.map(mb).join(' | ')} | ${x(r.lib_peer_rss)} | ${x(r.lib_plain_rss)} | ${x(r.peer_raw_rss)} | ${x(r.lib_raw_rss)} |`,
    );
  }
  rows.push('', ...rssRows);
  const analyzeCells = cells.filter((c) => c.mode === 'analyze');
  if (analyzeCells.length > 0) {
    rows.push(
      '',
      '| services | layout | parse (yaml) | load (CLI loader) | analyze (CLI) | analyze/parse | analyze RSS | runs |',
      '|---:|---|---:|---:|---:|---:|---:|---|',
    );
    for (const a of analyzeCells) {
      const p = findCell(cells, a.services, a.layout, 'parse')!;
      const ld = findCell(cells, a.services, a.layout, 'load')!;
      rows.push(
        `| ${a.services} | ${a.layout} | ${fmtMs(medianMs(p))} | ${fmtMs(medianMs(ld))} | ${fmtMs(medianMs(a))} | ${ratio(medianMs(a), medianMs(p))} | ${Math.round(medianRssMb(a))} MB | ${p.runs.length}/${ld.runs.length}/${a.runs.length} |`,
      );
    }
  }
  return rows.join('\n');
}

/** The targets of issue 20 (and those of issue 7 that still hold), one line each. */
function targets(cells: Cell[]): string {
  const ms = (s: number, l: string, m: string) => {
    const c = findCell(cells, s, l, m);
    return c ? medianMs(c) : undefined;
  };
  const lines: string[] = [];
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const sizes = [...new Set(cells.map((c) => c.services))].filter((s) => s >= 1000);
  for (const s of sizes) {
    for (const l of LAYOUTS) {
      const r = cellRatios(cells, s, l);
      if (r.lib_peer_ms !== undefined) {
        lines.push(`- lib <= 1.0x peer wall time, N=${s} ${l}: ${r.lib_peer_ms.toFixed(2)}x: ${verdict(r.lib_peer_ms <= 1.0)}`);
      }
      if (r.lib_peer_rss !== undefined) {
        lines.push(`- lib <= 1.1x peer peak RSS, N=${s} ${l}: ${r.lib_peer_rss.toFixed(2)}x: ${verdict(r.lib_peer_rss <= 1.1)}`);
      }
      if (s === 1000 && r.lib_floor_ms !== undefined) {
        lines.push(`- lib <= 1.3x floor wall time, N=${s} ${l}: ${r.lib_floor_ms.toFixed(2)}x: ${verdict(r.lib_floor_ms <= 1.3)}`);
      }
    }
  }
  const single = ms(5000, 'single', 'lib');
  const per = ms(5000, 'per-service', 'lib');
  if (single !== undefined && per !== undefined) {
    lines.push(`- per-service lib <= 1.3x single-chart lib at N=5000: ${(per / single).toFixed(2)}x: ${verdict(per / single <= 1.3)}`);
  }
  for (const l of LAYOUTS) {
    const a = ms(1000, l, 'lib');
    const b = ms(5000, l, 'lib');
    if (a !== undefined && b !== undefined) {
      lines.push(`- growth lib time(5000)/time(1000) <= 5.5, ${l}: ${(b / a).toFixed(2)}: ${verdict(b / a <= 5.5)}`);
    }
  }
  for (const c of cells.filter((x) => x.mode === 'analyze')) {
    const p = ms(c.services, c.layout, 'parse')!;
    lines.push(`- analyze <= 2x parse, N=${c.services} ${c.layout}: ${(medianMs(c) / p).toFixed(2)}x: ${verdict(medianMs(c) / p <= 2)}`);
  }
  return lines.join('\n');
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-bench-'));
  const cells: Cell[] = [];
  const biggest = Math.max(...options.services);
  const emit = (list: Cell[]) => {
    if (!options.json) return;
    for (const c of list) {
      process.stdout.write(
        `${JSON.stringify({ services: c.services, layout: c.layout, mode: c.mode, ms: Math.round(medianMs(c)), rss_mb: Math.round(medianRssMb(c)), cpu_ms: Math.round(medianCpuMs(c)), runs: c.runs.length })}\n`,
      );
    }
    // One line of ratios per synth cell: {"services":N,"layout":"…","mode":"ratios","lib_peer_ms":…,…}.
    const synth = list.find((c) => MODES.includes(c.mode as Mode));
    if (synth) {
      process.stdout.write(
        `${JSON.stringify({ services: synth.services, layout: synth.layout, mode: 'ratios', ...cellRatios(list, synth.services, synth.layout) })}\n`,
      );
    }
  };
  log(
    `bench: node ${process.version}, ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(
        ' ',
      )}; runs ${options.runs}${Number.isFinite(options.maxSeconds) ? `, max ${options.maxSeconds} s per cell` : ''}; temp ${root}`,
  );
  try {
    if (options.modes.includes('peer')) {
      const generated = generatePeerImports(options.crds);
      options.imports = generated.dir;
      log(`  peer: cdk8s import ${options.crds} and its compilation took ${generated.ms} ms (not measured)`);
    }
    for (const services of options.services) {
      for (const layout of options.layouts) {
        const analyzeHere =
          options.analyze &&
          options.analyzeLayouts.includes(layout) &&
          services === biggest &&
          services >= 1000 &&
          options.modes.includes('lib');
        const { cells: measured, libDir } = measureCell(options, root, services, layout, analyzeHere);
        cells.push(...measured);
        emit(measured);
        if (libDir) {
          const analyzed = measureAnalyze(options, services, layout, libDir);
          cells.push(...analyzed);
          emit(analyzed);
        }
      }
    }
  } finally {
    // KEEP_OUTPUTS: every run's output is deleted here, after the last run, never between runs.
    // Creating thousands of files within a minute or so of deleting thousands costs the kernel
    // 0.4-0.6 ms of system time per file on the dev machine's ext4 (0.02 ms otherwise): deleting
    // a run's output would charge the next run that writes one file per chart with seconds that
    // are not its own. See BENCHMARKS.md.
    fs.rmSync(root, { recursive: true, force: true });
    if (options.imports) fs.rmSync(options.imports, { recursive: true, force: true });
  }
  if (!options.json) {
    process.stdout.write(
      `\nWall time (median, fresh process each, startup included) and peak RSS:\n\n${table(cells)}\n\nTargets (issue 20):\n${targets(cells)}\n`,
    );
    if (phaseReports.length > 0) {
      process.stdout.write('\nlib phases (ms, one instrumented run each):\n');
      for (const p of phaseReports) process.stdout.write(`- ${p.services} ${p.layout}: ${formatPhases(p.result)}\n`);
    }
  }
}

try {
  main();
} catch (e) {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
