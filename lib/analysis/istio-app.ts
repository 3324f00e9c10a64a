import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, DependencyGraph, Names, Yaml, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { IstioConfigError } from '../istio/errors';
import { AnalysisOptions, MeshAnalysis } from './engine';
import { Finding, Manifest } from './finding';
import { formatForSynth, ISTIO_APP_SYNTH, printNonErrors } from './reporting';

/** Properties of an {@link IstioApp}. */
export interface IstioAppProps extends AppProps {
  /**
   * Options of the mesh analysis run at synth (strict mode, suppressions).
   * @default - warnings are printed, errors fail the synth
   */
  readonly analysis?: AnalysisOptions;
}

interface RenderedChart {
  readonly chart: Chart;
  readonly objects: { readonly apiObject: ApiObject; readonly json: any }[];
}

/**
 * A cdk8s `App` whose synth validates and analyzes the whole app once, then writes.
 *
 * `synth()` collects every chart's objects once, runs the construct validations once (plain
 * cdk8s re-validates the whole app for every chart), runs the mesh analysis once over all
 * objects, prints warnings to stderr, and throws one {@link IstioConfigError} listing every
 * error (construct path, `Kind/name`, field, message) when there is any, writing nothing.
 * Otherwise it writes the files `App.synth()` would, atomically: everything is serialized
 * and written into a temporary directory next to `outdir`, then each file is renamed into place.
 */
export class IstioApp extends App {
  private readonly _analysisOptions: AnalysisOptions;

  public constructor(props: IstioAppProps = {}) {
    super(props);
    this._analysisOptions = { ...(props.analysis ?? {}) };
  }

  /** Validates, analyzes and writes the manifests of every chart to `outdir`. */
  public override synth(): void {
    const { charts, hasDependantCharts } = this._prepare();
    const files = this._files(charts, hasDependantCharts);
    writeAtomically(path.resolve(this.outdir), files);
  }

  /** Validates and analyzes the app, then returns all its objects as one YAML string. */
  public override synthYaml(): string {
    const { charts } = this._prepare();
    return Yaml.stringify(...charts.flatMap((c) => c.objects.map((o) => o.json)));
  }

  /** Runs the mesh analysis over the app as it is now (without construct validations). */
  public analyze(): Finding[] {
    const manifests: Manifest[] = [];
    for (const c of this.node.findAll()) {
      if (ApiObject.isApiObject(c)) manifests.push({ object: c.toJson(), source: { constructPath: c.node.path } });
    }
    return MeshAnalysis.analyze(manifests, this._analysisOptions);
  }

  private _prepare(): { charts: RenderedChart[]; hasDependantCharts: boolean } {
    const flags = this as unknown as { [ISTIO_APP_SYNTH]?: boolean };
    flags[ISTIO_APP_SYNTH] = true;
    try {
      const all = this.node.findAll();
      const hasDependantCharts = resolveDependencies(all);
      const errors: string[] = [];
      for (const c of all) {
        for (const message of c.node.validate()) errors.push(`[${c.node.path}] ${message}`);
      }
      const charts: RenderedChart[] = [];
      const manifests: Manifest[] = [];
      for (const chart of this.charts) {
        const objects: RenderedChart['objects'] = [];
        for (const node of new DependencyGraph(chart.node).topology()) {
          if (!ApiObject.isApiObject(node) || Chart.of(node) !== chart) continue;
          try {
            const json = node.toJson();
            objects.push({ apiObject: node, json });
            manifests.push({ object: json, source: { constructPath: node.node.path } });
          } catch (e) {
            errors.push(`[${node.node.path}] ${e instanceof Error ? e.message : String(e)}`);
          }
        }
        charts.push({ chart, objects });
      }
      const findings = MeshAnalysis.analyze(manifests, this._analysisOptions);
      printNonErrors(findings);
      errors.push(...MeshAnalysis.errors(findings).map(formatForSynth));
      if (errors.length > 0) {
        throw new IstioConfigError(
          `Synth failed with ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was written:\n  ${errors.join('\n  ')}`,
        );
      }
      return { charts, hasDependantCharts };
    } finally {
      flags[ISTIO_APP_SYNTH] = false;
    }
  }

  private _files(charts: RenderedChart[], hasDependantCharts: boolean): Map<string, string> {
    const ext = this.outputFileExtension;
    const files = new Map<string, string>();
    const chartName = indexedNamer(hasDependantCharts);
    const resourceFile = (json: any) => `${`${json.kind}.${json.metadata?.name}`.replace(/[^0-9a-zA-Z-_.]/g, '')}${ext}`;
    switch (this.yamlOutputType) {
      case YamlOutputType.FILE_PER_APP:
        if (charts.length > 0) files.set(`app${ext}`, Yaml.stringify(...charts.flatMap((c) => c.objects.map((o) => o.json))));
        break;
      case YamlOutputType.FILE_PER_RESOURCE:
        for (const c of charts) for (const o of c.objects) files.set(resourceFile(o.json), Yaml.stringify(o.json));
        break;
      case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
        for (const c of charts) {
          const folder = chartName(c.chart);
          for (const o of c.objects) files.set(path.join(folder, resourceFile(o.json)), Yaml.stringify(o.json));
        }
        break;
      default:
        for (const c of charts) files.set(`${chartName(c.chart)}${ext}`, Yaml.stringify(...c.objects.map((o) => o.json)));
        break;
    }
    if ((this as any).recordConstructMetadata) {
      const resources: { [name: string]: { path: string } } = {};
      for (const c of charts) for (const o of c.objects) resources[o.apiObject.name] = { path: o.apiObject.node.path };
      files.set('construct-metadata.json', JSON.stringify({ version: '1.0.0', resources }));
    }
    return files;
  }
}

// Chart file names as cdk8s gives them: prefixed with an index when charts depend on each other.
function indexedNamer(indexed: boolean): (chart: Chart) => string {
  let index = 0;
  return (chart) => (indexed ? `${(index++).toString().padStart(4, '0')}-${Names.toDnsLabel(chart)}` : Names.toDnsLabel(chart));
}

// Same dependency inference as cdk8s App.synth (nested charts, cross-chart construct dependencies).
function resolveDependencies(all: IConstruct[]): boolean {
  let hasDependantCharts = false;
  for (const parent of all) {
    if (!Chart.isChart(parent)) continue;
    for (const child of parent.node.children) {
      if (Chart.isChart(child)) {
        parent.node.addDependency(child);
        hasDependantCharts = true;
      }
    }
  }
  const dependencies = () => all.flatMap((source) => source.node.dependencies.map((target) => ({ source, target })));
  for (const { source, target } of dependencies()) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    if (sourceChart !== targetChart) {
      sourceChart.node.addDependency(targetChart);
      hasDependantCharts = true;
    }
  }
  // Recomputed on purpose: the chart dependencies just added also order the charts' objects.
  for (const { source, target } of dependencies()) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    const targets = target.node.findAll().filter((c) => ApiObject.isApiObject(c) && Chart.of(c) === targetChart);
    const sources = source.node.findAll().filter((c) => ApiObject.isApiObject(c) && Chart.of(c) === sourceChart);
    for (const t of targets) for (const s of sources) if (t !== s) s.node.addDependency(t);
  }
  return hasDependantCharts;
}

/** Writes `files` (relative path -> content) below `outdir` via a sibling temp directory. */
function writeAtomically(outdir: string, files: Map<string, string>): void {
  const parent = path.dirname(outdir);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(outdir)}.tmp-`));
  try {
    for (const [relative, content] of files) {
      const target = path.join(tmp, relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
    fs.mkdirSync(outdir, { recursive: true });
    for (const relative of files.keys()) {
      const target = path.join(outdir, relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(path.join(tmp, relative), target);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
