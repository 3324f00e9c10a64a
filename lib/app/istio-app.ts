import * as path from 'path';
import { ApiObject, App, AppProps, Chart, DependencyGraph, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { installReportHandler, IstioConfigError } from '../kinds/errors';
import { AnalysisOptions, MeshAnalysis } from '../analysis/engine';
import { Finding, Manifest } from '../analysis/finding';
import { registerAnalyzedApp } from '../kinds/analyzed-apps';
import { manifestsOf } from './app-manifests';
import { GRAPH_FILES } from './yaml-output';
import { GraphFormat } from '../graph/graph-types';
import { MeshGraph } from '../graph/mesh-graph';
import { formatForSynth, printNonErrors } from './reporting';
import { OutputDirectory, stringifyDocument, stringifyDocuments, yamlPieces } from './yaml-output';
import { renderOnce, renderSession } from '../istio/render-once';

/** Characters of YAML held before they are written to a file. */
const PIECE = 1 << 20;

/** Properties of an {@link IstioApp}. */
export interface IstioAppProps extends AppProps {
  /**
   * Options of the mesh analysis run at synth (strict mode, suppressions).
   * @default - warnings are printed, errors fail the synth
   */
  readonly analysis?: AnalysisOptions;

  /**
   * Also write a picture of the mesh next to the manifests, in this format: `mesh-graph.md`
   * (Mermaid in a fenced block, rendered by GitHub and GitLab), `mesh-graph.dot`,
   * `mesh-graph.svg` or `mesh-graph.html` (see {@link MeshGraph}).
   * @default - no picture
   */
  readonly graph?: GraphFormat;
}

/** What a synth rendered and found, before it writes. */
interface Prepared {
  readonly charts: RenderedChart[];
  readonly hasDependantCharts: boolean;
  readonly manifests: Manifest[];
  readonly findings: Finding[];
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
 * objects, prints warnings to stderr, and throws one configuration error listing every error
 * (construct path, `Kind/name`, field, message) when there is any, writing nothing
 * ({@link IstioErrors.isConfigError} is true for it; uncaught, it is printed as that report
 * alone and the process exits with 1).
 * Otherwise it writes the files `App.synth()` would, atomically: each file is written into a
 * temporary folder next to `outdir` as soon as it is serialized, then that folder takes the place
 * of `outdir` as a whole, so that `outdir` holds either the complete previous set or the
 * complete new one, even if the process is killed. Files in an existing `outdir` that the synth
 * does not write are therefore gone afterwards; an `outdir` holding anything but synth output
 * (files ending in the output extension, `construct-metadata.json`, chart folders of them) is
 * refused with an {@link IstioConfigError}, and nothing is written. Leftovers of an interrupted
 * synth next to `outdir` are recovered or removed by the next synth.
 */
export class IstioApp extends App {
  private readonly _analysisOptions: AnalysisOptions;
  private readonly _graph?: GraphFormat;

  public constructor(props: IstioAppProps = {}) {
    super(props);
    this._analysisOptions = { ...(props.analysis ?? {}) };
    this._graph = props.graph;
    registerAnalyzedApp(this);
    installReportHandler();
    detachAsChartsAreAdded(this);
  }

  /** Validates, analyzes and writes the manifests of every chart to `outdir`. */
  public override synth(): void {
    const prepared = this._prepare();
    const staging = new OutputDirectory(this.outdir, { extension: this.outputFileExtension });
    try {
      this._write(prepared, staging);
      staging.commit();
    } finally {
      staging.dispose();
    }
  }

  /** Validates and analyzes the app, then returns all its objects as one YAML string. */
  public override synthYaml(): string {
    const { charts } = this._prepare();
    return stringifyDocuments(documentsOf(charts));
  }

  /** Runs the mesh analysis over the app as it is now (without construct validations). */
  public analyze(): Finding[] {
    return MeshAnalysis.analyze(manifestsOf(this), this._analysisOptions);
  }

  // One rendering per object: validations that read the rendered object share it with the writer.
  private _prepare(): Prepared {
    return renderSession(() => this._validateAndRender());
  }

  private _validateAndRender(): Prepared {
    const all = this.node.findAll();
    detachChildTables(all);
    const hasDependantCharts = resolveDependencies(all);
    const errors: string[] = [];
    for (const c of all) {
      for (const message of c.node.validate()) errors.push(`[${c.node.path}] ${message}`);
    }
    const charts: RenderedChart[] = [];
    const manifests: Manifest[] = [];
    for (const [chart, apiObjects] of objectsByChart(this, all)) {
      const objects: RenderedChart['objects'] = [];
      for (const node of apiObjects) {
        try {
          const json = renderOnce(node);
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
    return { charts, hasDependantCharts, manifests, findings };
  }

  /** Writes the picture of the mesh, with the findings this synth reported. */
  private _writeGraph({ manifests, findings }: Prepared, format: GraphFormat, staging: OutputDirectory): void {
    const options = MeshGraph._withDeclaredCalls(this, { defaultNamespace: this._analysisOptions.defaultNamespace });
    const graph = MeshGraph._fromAnalyzed(manifests, findings, options);
    const text = graph.render(format);
    staging.write(GRAPH_FILES[format], [format === GraphFormat.MERMAID ? `\`\`\`mermaid\n${text}\`\`\`\n` : text]);
  }

  /** Writes the files `App.synth()` would, each as soon as it is rendered. */
  private _write(prepared: Prepared, staging: OutputDirectory): void {
    const { charts, hasDependantCharts } = prepared;
    const ext = this.outputFileExtension;
    const chartName = indexedNamer(hasDependantCharts);
    const resourceFile = (json: any) => `${`${json.kind}.${json.metadata?.name}`.replace(/[^0-9a-zA-Z-_.]/g, '')}${ext}`;
    if ((this as any).recordConstructMetadata) {
      const resources: { [name: string]: { path: string } } = {};
      for (const c of charts) for (const o of c.objects) resources[o.apiObject.name] = { path: o.apiObject.node.path };
      staging.write('construct-metadata.json', [JSON.stringify({ version: '1.0.0', resources })]);
    }
    if (this._graph !== undefined) this._writeGraph(prepared, this._graph, staging);
    switch (this.yamlOutputType) {
      case YamlOutputType.FILE_PER_APP:
        if (charts.length > 0) staging.write(`app${ext}`, yamlPieces(documentsOf(charts), PIECE));
        break;
      case YamlOutputType.FILE_PER_RESOURCE:
        for (const c of charts) for (const o of c.objects) staging.write(resourceFile(o.json), [stringifyDocument(o.json)]);
        break;
      case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
        for (const c of charts) {
          const folder = chartName(c.chart);
          for (const o of c.objects) staging.write(path.join(folder, resourceFile(o.json)), [stringifyDocument(o.json)]);
        }
        break;
      default:
        // One chart at a time: its JSON is not needed once its file is written.
        for (let i = 0; i < charts.length; i++) {
          const c = charts[i];
          staging.write(
            `${chartName(c.chart)}${ext}`,
            yamlPieces(
              c.objects.map((o) => o.json),
              PIECE,
            ),
          );
          charts[i] = { chart: c.chart, objects: [] };
        }
        break;
    }
  }
}

/**
 * Every chart's API objects, in the order `App.synth()` writes them: charts as `App.charts`
 * lists them, objects in dependency order. Without any dependency between constructs, both are
 * the tree order, and no dependency graph is needed.
 */
function objectsByChart(app: App, all: IConstruct[]): Map<Chart, ApiObject[]> {
  const byChart = new Map<Chart, ApiObject[]>();
  if (all.some((c) => c.node.dependencies.length > 0)) {
    for (const chart of app.charts) {
      const objects = new DependencyGraph(chart.node).topology().filter((n) => ApiObject.isApiObject(n) && Chart.of(n) === chart);
      byChart.set(chart, objects as ApiObject[]);
    }
    return byChart;
  }
  // findAll lists a node before its children, so a node's chart is known when it comes.
  const chartOf = new Map<IConstruct, ApiObject[] | undefined>();
  for (const c of all) {
    let objects = c.node.scope && chartOf.get(c.node.scope);
    if (Chart.isChart(c)) byChart.set(c, (objects = []));
    else if (objects && ApiObject.isApiObject(c)) objects.push(c);
    chartOf.set(c, objects);
  }
  return byChart;
}

type ChildTable = { [id: string]: IConstruct };

/**
 * Replaces every construct's table of children with a prototype-less copy: same keys, same order.
 *
 * Why it matters at mesh scale: the `constructs` library keeps each node's children in a plain
 * object keyed by their ids. Plain objects share a first V8 hidden class, which records one
 * transition per distinct first key, up to about 1,500. With one chart per service, each chart's
 * table has a first key of its own (the service's id) and fills that record; from then on every
 * object that gets a first key not recorded yet (as in each `toJson` and YAML document) gets a
 * hidden class of its own, and everything runs several times slower (3× at 5000 charts in the
 * benchmark, with twice the memory). Prototype-less tables are dictionaries and record nothing;
 * once the old tables are dead, V8's next full collection clears their transitions. The
 * constructs library only reads, writes and enumerates these tables, and dictionaries keep the
 * insertion order. If its internals ever differ, this does nothing.
 */
function detachChildTables(all: IConstruct[]): void {
  for (const c of all) {
    const node = c.node as unknown as { _children?: ChildTable };
    const table = node._children;
    if (typeof table !== 'object' || table === null || Object.getPrototypeOf(table) !== Object.prototype) continue;
    const dictionary: ChildTable = Object.create(null);
    for (const id of Object.keys(table)) dictionary[id] = table[id];
    node._children = dictionary;
  }
}

/**
 * Detaches each chart's table (see {@link detachChildTables}) as soon as the next chart is added
 * to the app, so that V8 can drop the old tables' transitions while the app is still being
 * built, rather than at the first full collection after `synth()` starts. Charts are usually
 * built one after the other; a chart that gets more children later keeps working the same.
 */
function detachAsChartsAreAdded(app: App): void {
  const node = app.node as unknown as { _children?: ChildTable };
  if (node._children !== undefined) return;
  let previous: IConstruct | undefined;
  node._children = new Proxy<ChildTable>(Object.create(null), {
    set(table, id, child) {
      if (previous) detachChildTables([previous]);
      previous = child;
      return Reflect.set(table, id, child);
    },
  });
}

/** All documents of the app, chart after chart. */
function documentsOf(charts: RenderedChart[]): unknown[] {
  return charts.flatMap((c) => c.objects.map((o) => o.json));
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
