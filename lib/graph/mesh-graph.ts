import { IConstruct } from 'constructs';
import { buildGraph } from './build';
import { DeclaredCall, GraphEdge, GraphFormat, GraphNode, GraphTrace } from './graph-types';
import { toHtml } from './html';
import { toSvg } from './svg';
import { exampleRequests, tracesOf } from './traces';
import { toDot, toMermaid } from './text-formats';
import { MeshAnalysis } from '../analysis/engine';
import { Finding, Manifest } from '../analysis/finding';
import { MeshModel } from '../analysis/model';
import { manifestsOf } from '../app/app-manifests';
import type { ZeroTrust } from '../patterns/zero-trust';
import { SimulatedRequest } from '../simulation/request';

/** Options of {@link MeshGraph.fromApp} and {@link MeshGraph.fromManifests}. */
export interface MeshGraphOptions {
  /**
   * Namespace of objects that set none.
   * @default 'default'
   */
  readonly defaultNamespace?: string;
  /**
   * Calls to draw as a second edge style (who calls whom, independent of routing).
   * @default - none
   */
  readonly calls?: DeclaredCall[];
  /**
   * Run the mesh analysis and show its findings on the nodes and edges they concern.
   * @default true
   */
  readonly showFindings?: boolean;
  /**
   * Requests whose paths the HTML page can highlight, decided by the routing simulator
   * ({@link MeshSimulator}).
   * @default - none
   */
  readonly requests?: SimulatedRequest[];
  /**
   * Add an example request for every HTTP rule that is a catch-all or whose first match can be
   * written as a request (exact/prefix URI, headers, query parameters), so the page can show
   * which rule each really reaches.
   * @default true
   */
  readonly exampleRequests?: boolean;
  /**
   * Paths to highlight given as edges (when the simulator's are not what you want to show).
   * @default - none
   */
  readonly traces?: GraphTrace[];
  /**
   * Title of the HTML page.
   * @default 'Mesh graph'
   */
  readonly title?: string;
}

/**
 * A picture of the mesh a manifest set describes: gateways, services with their versions
 * (DestinationRule subsets and the workloads behind them), external hosts, and the routes
 * between them, labelled with their matches and weights. Written as Mermaid (for a pull
 * request), DOT, SVG or a self-contained HTML page.
 *
 * @example
 * const graph = MeshGraph.fromApp(app);
 * fs.writeFileSync('mesh.mmd', graph.toMermaid());
 */
export class MeshGraph {
  /**
   * The graph of every ApiObject of a cdk8s app (or any construct tree). The calls a
   * {@link ZeroTrust} of the app allows are drawn as declared calls, with `options.calls`.
   */
  public static fromApp(app: IConstruct, options: MeshGraphOptions = {}): MeshGraph {
    return MeshGraph.fromManifestList(manifestsOf(app), MeshGraph._withDeclaredCalls(app, options));
  }

  /** `options` plus the calls the app's {@link ZeroTrust} patterns allow. @internal */
  public static _withDeclaredCalls(app: IConstruct, options: MeshGraphOptions): MeshGraphOptions {
    // Loaded here, not at start-up: it loads cdk8s, which `cdk8s-istio graph` and `analyze` never need.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ZeroTrust: ZeroTrustClass } = require('../patterns/zero-trust') as { ZeroTrust: typeof ZeroTrust };
    const allowed = app.node
      .findAll()
      .filter((c): c is ZeroTrust => c instanceof ZeroTrustClass)
      .flatMap((zt) =>
        zt.calls
          .map((call) => call.split(' -> '))
          .filter(([from]) => from !== ZeroTrustClass.INGRESS_CALLER)
          .map(([from, to]) => ({ from, to, namespace: zt.namespace })),
      );
    return { ...options, calls: [...(options.calls ?? []), ...allowed] };
  }

  /** The graph of Kubernetes objects given as plain JSON (e.g. parsed YAML documents). */
  public static fromManifests(objects: any[], options: MeshGraphOptions = {}): MeshGraph {
    return MeshGraph.fromManifestList(
      objects.map((object) => ({ object, source: {} })),
      options,
    );
  }

  /** The graph of manifests with where they came from (file, construct path), as the analysis takes them. */
  public static fromManifestList(manifests: Manifest[], options: MeshGraphOptions): MeshGraph {
    const defaultNamespace = options.defaultNamespace ?? 'default';
    const findings = options.showFindings === false ? [] : MeshAnalysis.analyze(manifests, { defaultNamespace });
    return MeshGraph._fromAnalyzed(manifests, findings, options);
  }

  /** The graph of manifests whose findings are known already (an `IstioApp`'s synth). @internal */
  public static _fromAnalyzed(manifests: Manifest[], findings: readonly Finding[], options: MeshGraphOptions): MeshGraph {
    const defaultNamespace = options.defaultNamespace ?? 'default';
    const model = MeshModel.build(manifests, defaultNamespace);
    const parts = buildGraph(model, findings, options.calls ?? [], defaultNamespace);
    const requests = [...(options.requests ?? []), ...(options.exampleRequests === false ? [] : exampleRequests(model))];
    const traces = [...(options.traces ?? []), ...tracesOf(manifests, parts.edges, requests, defaultNamespace)];
    return new MeshGraph(parts.nodes, parts.edges, traces, options.title ?? 'Mesh graph');
  }

  private constructor(
    /** The nodes, in a stable order (gateways, services, external hosts, versions, others). */
    public readonly nodes: GraphNode[],
    /** The edges, in the order of the VirtualServices and their rules, then declared calls. */
    public readonly edges: GraphEdge[],
    /** The requests the HTML page can highlight. */
    public readonly traces: GraphTrace[],
    private readonly title: string,
  ) {}

  /** The graph in the given format. */
  public render(format: GraphFormat): string {
    switch (format) {
      case GraphFormat.DOT:
        return this.toDot();
      case GraphFormat.HTML:
        return this.toHtml();
      case GraphFormat.SVG:
        return this.toSvg();
      default:
        return this.toMermaid();
    }
  }

  /** Mermaid flowchart source (paste inside a ```mermaid block). */
  public toMermaid(): string {
    return toMermaid(this);
  }

  /** Graphviz DOT source. */
  public toDot(): string {
    return toDot(this);
  }

  /** The picture as SVG. */
  public toSvg(): string {
    return toSvg(this);
  }

  /** A self-contained HTML page: the picture with hover details and request highlighting. */
  public toHtml(): string {
    return toHtml(this, this.traces, this.title);
  }
}
