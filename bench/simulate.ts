/**
 * `npm run bench:simulate`: the routing simulator on the benchmark mesh (bench/mesh.ts). Reports the
 * index build time (`MeshSimulator.fromManifests`) next to the mesh analysis of the same objects
 * (`MeshAnalysis.analyze`), and decisions per second once the index is built. See BENCHMARKS.md.
 *
 * Options:
 *   --services N      size of the mesh (default 1000)
 *   --requests M      decisions timed per run (default 200000)
 *   --runs R          runs (default 5); medians are reported
 *   --json            one JSON object on stdout instead of the table
 */
import * as os from 'os';
import { MeshAnalysis } from '../lib/analysis/engine';
import { MeshSimulator } from '../lib/simulation/mesh-simulator';
import { RouteOutcome } from '../lib/simulation/decision';
import { SimulatedRequest } from '../lib/simulation/request';
import { plainObjects, serviceName } from './mesh';

function option(argv: string[], flag: string, fallback: number): number {
  const i = argv.indexOf(flag);
  if (i < 0) return fallback;
  const v = Number(argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${flag} needs a positive integer`);
  return v;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// CPU time of this process (user + system), in ms: on a shared machine, wall time mostly measures the neighbours.
function cpuMs(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/** A mix of callers: users with the `yunqi` prefix (v3), other users and anonymous ones (v2), over every service. */
function requests(services: number): { request: SimulatedRequest; subset: string }[] {
  const out: { request: SimulatedRequest; subset: string }[] = [];
  const users = ['yunqi', 'yunqi42', 'bob', 'xyunqi', undefined];
  for (let i = 0; i < services; i++) {
    const user = users[i % users.length];
    out.push({
      request: { host: serviceName(i), uri: `/api/items/${i}`, ...(user !== undefined ? { headers: { 'end-user': user } } : {}) },
      subset: user?.startsWith('yunqi') ? 'v3' : 'v2',
    });
  }
  return out;
}

function main(): void {
  const argv = process.argv.slice(2);
  const services = option(argv, '--services', 1000);
  const count = option(argv, '--requests', 200000);
  const runs = option(argv, '--runs', 5);
  const objects = plainObjects(services, 'single').map((o) => o.json);
  const manifests = objects.map((object) => ({ object, source: {} }));
  const mix = requests(services);
  const build: number[] = [];
  const analysis: number[] = [];
  const rates: number[] = [];
  const buildCpu: number[] = [];
  const analysisCpu: number[] = [];
  const cpuRates: number[] = [];
  for (let run = 0; run < runs; run++) {
    let t = process.hrtime.bigint();
    let c = process.cpuUsage();
    const sim = MeshSimulator.fromManifests(objects);
    build.push(ms(t));
    buildCpu.push(cpuMs(c));
    t = process.hrtime.bigint();
    c = process.cpuUsage();
    MeshAnalysis.analyze(manifests);
    analysis.push(ms(t));
    analysisCpu.push(cpuMs(c));
    // Warm up, and check that the decisions are right (the timing must not measure wrong answers).
    for (const { request, subset } of mix) {
      const d = sim.request(request);
      if (d.outcome !== RouteOutcome.ROUTED || d.destinations[0].subset !== subset || d.destinations[0].workloads.length !== 1) {
        throw new Error(`wrong decision for ${JSON.stringify(request)}:\n${d.explain()}`);
      }
    }
    t = process.hrtime.bigint();
    c = process.cpuUsage();
    let routed = 0;
    for (let i = 0; i < count; i++) if (sim.request(mix[i % mix.length].request).outcome === RouteOutcome.ROUTED) routed++;
    const elapsed = ms(t);
    cpuRates.push((count * 1000) / cpuMs(c));
    if (routed !== count) throw new Error(`${count - routed} requests were not routed`);
    rates.push((count * 1000) / elapsed);
    process.stderr.write(
      `  run ${run + 1}: index ${build[run].toFixed(0)} ms (cpu ${buildCpu[run].toFixed(0)}), analysis ${analysis[run].toFixed(0)} ms (cpu ${analysisCpu[run].toFixed(0)}), ${Math.round(rates[run])} decisions/s (${Math.round(cpuRates[run])} per cpu-second)\n`,
    );
  }
  const result = {
    services,
    objects: objects.length,
    requests: count,
    runs,
    indexMs: median(build),
    analysisMs: median(analysis),
    decisionsPerSecond: Math.round(median(rates)),
    indexCpuMs: median(buildCpu),
    analysisCpuMs: median(analysisCpu),
    decisionsPerCpuSecond: Math.round(median(cpuRates)),
    loadAverage: os.loadavg()[0],
    cpus: os.cpus().length,
  };
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  process.stdout.write(
    [
      `Load average ${result.loadAverage.toFixed(1)} on ${result.cpus} CPUs; wall time (CPU time of this process in brackets).`,
      '',
      '| services | objects | index build | mesh analysis | index/analysis | decisions/s | runs |',
      '|---:|---:|---:|---:|---:|---:|---:|',
      `| ${services} | ${objects.length} | ${n(result.indexMs)} ms (${n(result.indexCpuMs)}) | ${n(result.analysisMs)} ms (${n(result.analysisCpuMs)}) | ${(result.indexMs / result.analysisMs).toFixed(2)}× (${(result.indexCpuMs / result.analysisCpuMs).toFixed(2)}×) | ${n(result.decisionsPerSecond)} (${n(result.decisionsPerCpuSecond)} per CPU-second) | ${runs} |`,
      '',
      `- decisions/s >= 100,000: wall ${n(result.decisionsPerSecond)}, per CPU-second ${n(result.decisionsPerCpuSecond)}: ${verdict(result.decisionsPerSecond >= 100000)} (wall), ${verdict(result.decisionsPerCpuSecond >= 100000)} (CPU)`,
      `- index build <= mesh analysis: ${n(result.indexMs)} ms vs ${n(result.analysisMs)} ms: ${verdict(result.indexMs <= result.analysisMs)}`,
      '',
    ].join('\n'),
  );
}

main();
