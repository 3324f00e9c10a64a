/** What a node of a {@link MeshGraph} stands for. */
export enum GraphNodeKind {
  /** An Istio `Gateway`. */
  GATEWAY = 'gateway',
  /** A Kubernetes `Service`. */
  SERVICE = 'service',
  /** A version of a service: a DestinationRule subset, with the workloads it selects. */
  VERSION = 'version',
  /** A host declared by a `ServiceEntry` (usually outside the mesh). */
  EXTERNAL = 'external',
  /** A host a route names that no Service or ServiceEntry of the set declares. */
  UNKNOWN_HOST = 'unknown-host',
  /** What a route answers itself with: a redirect, a direct response or a delegate. */
  RESPONSE = 'response',
}

/** What an edge of a {@link MeshGraph} stands for. */
export enum GraphEdgeKind {
  /** A route of a VirtualService (HTTP, TLS or TCP). */
  ROUTE = 'route',
  /** A mirror of a route: a copy of the traffic, answers discarded. */
  MIRROR = 'mirror',
  /** A call the user declared (who calls whom), independent of routing. */
  CALL = 'call',
}

/** One node of a {@link MeshGraph}. */
export interface GraphNode {
  /** Stable identifier (`service/details.default.svc.cluster.local`, `gateway/default/yunqi-gateway`). */
  readonly id: string;
  /** What it stands for. */
  readonly kind: GraphNodeKind;
  /** Short name to draw (`details`, `v3`, `yunqi-gateway`). */
  readonly label: string;
  /**
   * The node this one is drawn inside (a version's service).
   * @default - drawn at the top level
   */
  readonly parent?: string;
  /** More lines to show on hover or in the label (workloads behind a version, ports, hosts). */
  readonly details: string[];
  /** The analysis' findings about the object behind the node (`IST0130 warning: ...`). */
  readonly findings: string[];
}

/** One edge of a {@link MeshGraph}. */
export interface GraphEdge {
  /** Stable identifier (`e0`, `e1`, ... in the graph's order). */
  readonly id: string;
  /** Id of the node the traffic comes from. */
  readonly from: string;
  /** Id of the node the traffic goes to. */
  readonly to: string;
  /** What it stands for. */
  readonly kind: GraphEdgeKind;
  /** The match in short form (`end-user ^= yunqi`, `uri = /login`); empty for a catch-all. */
  readonly label: string;
  /**
   * Share of the matched traffic in percent, when the route splits it (or mirrors a part).
   * @default - all of it
   */
  readonly weight?: number;
  /** What else the route does to the traffic: `fault`, `rewrite`, `timeout`, `retries`, `headers`, `redirect`, ... */
  readonly marks: string[];
  /**
   * The VirtualService of the route, `namespace/name`.
   * @default - not a route (a declared call)
   */
  readonly virtualService?: string;
  /**
   * The rule of the route in its VirtualService (`http[0]`, `tcp[1]`).
   * @default - not a route
   */
  readonly rule?: string;
  /**
   * The full match of the rule, as JSON.
   * @default - no match (a catch-all, or not a route)
   */
  readonly match?: string;
  /** The analysis' findings about the rule (`IST0130 ...`). */
  readonly findings: string[];
}

/** A call the user declares: `from` calls `to` (drawn as a second edge style). */
export interface DeclaredCall {
  /** The calling service: a Service name (in `namespace`) or a host. */
  readonly from: string;
  /** The called service: a Service name (in `namespace`) or a host (`styletransfer.example.com`). */
  readonly to: string;
  /**
   * Namespace of short names.
   * @default - the graph's default namespace
   */
  readonly namespace?: string;
}

/** Formats a {@link MeshGraph} can be written in. */
export enum GraphFormat {
  /** Mermaid flowchart: pastes into a pull request comment or Markdown. */
  MERMAID = 'mermaid',
  /** Graphviz DOT. */
  DOT = 'dot',
  /** A self-contained HTML page (no network), with hover details and request highlighting. */
  HTML = 'html',
  /** The HTML page's picture alone, as SVG. */
  SVG = 'svg',
}

/** The path one request takes through the graph, for highlighting in the HTML page. */
export interface GraphTrace {
  /** What the request is (`GET /productpage via yunqi-gateway`). */
  readonly label: string;
  /** Ids of the edges it travels, in order. */
  readonly edges: string[];
  /** What happened, one line (`addedvalues http[0] → v3`). */
  readonly outcome: string;
}
