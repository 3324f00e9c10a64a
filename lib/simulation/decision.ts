/** What happened to a simulated request. */
export enum RouteOutcome {
  /** Forwarded to one or more destinations (possibly with a fault injected). */
  ROUTED = 'ROUTED',
  /** Answered with an HTTP redirect. */
  REDIRECTED = 'REDIRECTED',
  /** Answered by the proxy itself (`directResponse`). */
  DIRECT_RESPONSE = 'DIRECT_RESPONSE',
  /** A VirtualService owns the host but none of its rules matches: Envoy answers 404. */
  NO_ROUTE = 'NO_ROUTE',
  /** Unknown host, outbound policy `ALLOW_ANY`: the request leaves the mesh as it is. */
  PASSTHROUGH = 'PASSTHROUGH',
  /** Unknown host, outbound policy `REGISTRY_ONLY` (or a gateway without a route): dropped. */
  BLACKHOLE = 'BLACKHOLE',
}

/** A workload (Deployment, StatefulSet, Pod, WorkloadEntry ...) behind a destination. */
export interface SimulatedWorkload {
  /** Its kind (`Deployment`). */
  readonly kind: string;
  /** Its namespace. */
  readonly namespace: string;
  /** Its name. */
  readonly name: string;
  /**
   * The file it was read from.
   * @default - not read from a file
   */
  readonly file?: string;
}

/** Where (part of) the traffic goes. */
export interface RoutedDestination {
  /** The destination host as a FQDN (`addedvalues.default.svc.cluster.local`). */
  readonly host: string;
  /**
   * The DestinationRule subset.
   * @default - no subset: every endpoint of the host
   */
  readonly subset?: string;
  /**
   * The destination port.
   * @default - unknown (the Service has several ports and the route names none)
   */
  readonly port?: number;
  /** Share of the requests in percent (weights normalized over the route's total). */
  readonly weight: number;
  /** The weight as written (0 when unset). */
  readonly configuredWeight: number;
  /**
   * The Service or ServiceEntry serving the host (`Service default/addedvalues`).
   * @default - none in the manifests
   */
  readonly service?: string;
  /**
   * The DestinationRule that defines the subset (`default/addedvalues`).
   * @default - no subset, or no rule defines it
   */
  readonly destinationRule?: string;
  /** The labels the traffic's pods must carry (Service selector plus subset labels). */
  readonly selector: { [key: string]: string };
  /** The workloads whose pod templates carry those labels. */
  readonly workloads: SimulatedWorkload[];
  /**
   * Why this destination cannot serve (unknown host, undefined subset, no workload).
   * @default - none
   */
  readonly problem?: string;
}

/** A rule that came before the one that decided, and why it did not. */
export interface SkippedRule {
  /** The VirtualService (`namespace/name`). */
  readonly virtualService: string;
  /** `http[2]`, `tcp[0]`, `tls[1]` (of the root VirtualService). */
  readonly rule: string;
  /**
   * The delegate VirtualService's rule this entry comes from (`namespace/name http[0]`).
   * @default - not from a delegate
   */
  readonly delegateRule?: string;
  /** One reason per match condition (`match[0]: header end-user is absent ...`). */
  readonly reasons: string[];
}

/** An HTTP redirect answer. */
export interface RedirectOutcome {
  /** The status code (301 unless `redirectCode`). */
  readonly status: number;
  /** The `Location` the client is sent to. */
  readonly location: string;
  /** The `redirect` block as written. */
  readonly spec: any;
}

/** A direct response. */
export interface DirectResponseOutcome {
  /** The status code. */
  readonly status: number;
  /**
   * The body.
   * @default - empty
   */
  readonly body?: string;
}

/** A mirror: a copy of a share of the requests, answers ignored. */
export interface MirrorOutcome {
  /** Where the copies go. */
  readonly destination: RoutedDestination;
  /** Share of the requests copied, in percent. */
  readonly percentage: number;
}

/** The route's other actions, as written in the VirtualService (after delegate merging). */
export interface RouteActions {
  /**
   * The `fault` block.
   * @default - no fault
   */
  readonly fault?: any;
  /**
   * The `rewrite` block.
   * @default - no rewrite
   */
  readonly rewrite?: any;
  /**
   * The path the destination receives after `rewrite` (`uri` replaces the matched prefix, the
   * whole path for exact and regex matches; `uriRegexRewrite` substitutes).
   * @default - not rewritten
   */
  readonly rewrittenUri?: string;
  /**
   * The `headers` block.
   * @default - no header manipulation
   */
  readonly headers?: any;
  /**
   * The `timeout` (Istio's default: none).
   * @default - no timeout
   */
  readonly timeout?: string;
  /**
   * The `retries` block.
   * @default - the mesh's default retry policy (2 attempts)
   */
  readonly retries?: any;
  /**
   * The HTTP route as configured (merged with its delegate), for comparison with test cases.
   * @default - no HTTP route decided
   */
  readonly route?: any;
}

/** Everything a {@link RoutingDecision} holds. */
export interface RoutingDecisionProps {
  /** The request as simulated, defaults applied. */
  readonly request: { [key: string]: any };
  /** What happened. */
  readonly outcome: RouteOutcome;
  /**
   * The VirtualService that decided (`namespace/name`).
   * @default - none: default routing, unknown host or no route
   */
  readonly virtualService?: string;
  /**
   * Where the deciding VirtualService comes from (file, construct path).
   * @default - unknown
   */
  readonly virtualServiceSource?: string;
  /**
   * The deciding rule of the VirtualService (`http[1]`, `tcp[0]`).
   * @default - none
   */
  readonly rule?: string;
  /**
   * The index of that rule in its list.
   * @default - none
   */
  readonly ruleIndex?: number;
  /**
   * The delegate VirtualService that supplied the rule (`namespace/name`).
   * @default - none
   */
  readonly delegateVirtualService?: string;
  /**
   * The rule's index in the delegate's `http` list.
   * @default - none
   */
  readonly delegateRuleIndex?: number;
  /**
   * The `delegate` block of the root rule (`{ name, namespace }`).
   * @default - none
   */
  readonly delegateSpec?: any;
  /** Where the traffic goes (empty unless routed). */
  readonly destinations: RoutedDestination[];
  /**
   * The redirect answer.
   * @default - not redirected
   */
  readonly redirect?: RedirectOutcome;
  /**
   * The direct response.
   * @default - none
   */
  readonly directResponse?: DirectResponseOutcome;
  /** Mirrors of the traffic. */
  readonly mirrors: MirrorOutcome[];
  /** The route's other actions. */
  readonly actions: RouteActions;
  /** Rules tried before the deciding one, with why they did not match. */
  readonly skipped: SkippedRule[];
  /** How the host, VirtualService and port were chosen, and anything worth knowing. */
  readonly notes: string[];
}

/**
 * How Istio's proxies route one request: the VirtualService and rule that decide, the
 * destinations with their shares, subsets and workloads, or the redirect / direct response, and
 * why each earlier rule did not match. `explain()` renders it for people.
 */
export class RoutingDecision {
  /** The request as simulated, defaults applied. */
  public readonly request: { [key: string]: any };
  /** What happened. */
  public readonly outcome: RouteOutcome;
  /** The deciding VirtualService (`namespace/name`), if any. */
  public readonly virtualService?: string;
  /** Where the deciding VirtualService comes from. */
  public readonly virtualServiceSource?: string;
  /** The deciding rule (`http[1]`), if any. */
  public readonly rule?: string;
  /** Index of the deciding rule in its list, if any. */
  public readonly ruleIndex?: number;
  /** The delegate VirtualService that supplied the rule, if any. */
  public readonly delegateVirtualService?: string;
  /** The rule's index in the delegate, if any. */
  public readonly delegateRuleIndex?: number;
  /** The root rule's `delegate` block, if any. */
  public readonly delegateSpec?: any;
  /** Where the traffic goes. */
  public readonly destinations: RoutedDestination[];
  /** The redirect, if any. */
  public readonly redirect?: RedirectOutcome;
  /** The direct response, if any. */
  public readonly directResponse?: DirectResponseOutcome;
  /** Mirrors of the traffic. */
  public readonly mirrors: MirrorOutcome[];
  /** The route's other actions. */
  public readonly actions: RouteActions;
  // The explanation (skipped rules, notes) is built on first use: most decisions are only checked.
  private _explain: () => { skipped: SkippedRule[]; notes: string[] };
  private _explanation?: { skipped: SkippedRule[]; notes: string[] };

  public constructor(props: RoutingDecisionProps) {
    this.request = props.request;
    this.outcome = props.outcome;
    this.virtualService = props.virtualService;
    this.virtualServiceSource = props.virtualServiceSource;
    this.rule = props.rule;
    this.ruleIndex = props.ruleIndex;
    this.delegateVirtualService = props.delegateVirtualService;
    this.delegateRuleIndex = props.delegateRuleIndex;
    this.delegateSpec = props.delegateSpec;
    this.destinations = props.destinations;
    this.redirect = props.redirect;
    this.directResponse = props.directResponse;
    this.mirrors = props.mirrors;
    this.actions = props.actions;
    this._explain = () => ({ skipped: props.skipped, notes: props.notes });
  }

  /**
   * A decision whose skipped rules and notes are computed when first read.
   * @internal
   */
  public static _lazy(
    props: Omit<RoutingDecisionProps, 'skipped' | 'notes'>,
    explain: () => { skipped: SkippedRule[]; notes: string[] },
  ): RoutingDecision {
    const d = new RoutingDecision(props as RoutingDecisionProps);
    d._explain = explain;
    return d;
  }

  /** Rules tried before the deciding one, with why they did not match. */
  public get skipped(): SkippedRule[] {
    return this.explanation().skipped;
  }

  /** How the host, VirtualService and port were chosen, and anything worth knowing. */
  public get notes(): string[] {
    return this.explanation().notes;
  }

  private explanation(): { skipped: SkippedRule[]; notes: string[] } {
    if (!this._explanation) this._explanation = this._explain();
    return this._explanation;
  }

  /** The destination taking the largest share, if routed. */
  public get primaryDestination(): RoutedDestination | undefined {
    let best: RoutedDestination | undefined;
    for (const d of this.destinations) if (!best || d.weight > best.weight) best = d;
    return best;
  }

  /** The decision as plain JSON (what `cdk8s-istio route --format json` prints). */
  public toJson(): any {
    return {
      request: this.request,
      outcome: this.outcome,
      virtualService: this.virtualService ?? null,
      source: this.virtualServiceSource ?? null,
      rule: this.ruleIndex ?? null,
      ruleName: this.rule ?? null,
      delegate: this.delegateVirtualService ?? null,
      delegateRule: this.delegateRuleIndex ?? null,
      destinations: this.destinations.map((d) => ({
        host: d.host,
        subset: d.subset ?? null,
        port: d.port ?? null,
        weight: d.weight,
        service: d.service ?? null,
        destinationRule: d.destinationRule ?? null,
        workloads: d.workloads.map((w) => `${w.kind} ${w.namespace}/${w.name}`),
        ...(d.problem ? { problem: d.problem } : {}),
      })),
      redirect: this.redirect ? { status: this.redirect.status, location: this.redirect.location } : null,
      directResponse: this.directResponse ?? null,
      fault: this.actions.fault ?? null,
      rewrite: this.actions.rewrite
        ? { ...this.actions.rewrite, ...(this.actions.rewrittenUri ? { resultUri: this.actions.rewrittenUri } : {}) }
        : null,
      headers: this.actions.headers ?? null,
      mirrors: this.mirrors.map((m) => ({
        host: m.destination.host,
        subset: m.destination.subset ?? null,
        port: m.destination.port ?? null,
        percentage: m.percentage,
      })),
      timeout: this.actions.timeout ?? null,
      retries: this.actions.retries ?? null,
      skipped: this.skipped,
      notes: this.notes,
    };
  }

  /** A readable account of the decision, several lines. */
  public explain(): string {
    const r = this.request;
    const lines: string[] = [];
    const caller = r.gateway ? `gateway ${r.gateway}` : `a sidecar in ${r.sourceNamespace}${labelText(r.sourceLabels)}`;
    const target =
      r.protocol === 'HTTP'
        ? `${r.method} ${r.scheme}://${r.host}${r.uri}`
        : `${r.protocol} ${r.protocol === 'TLS' ? `sni ${r.sni}` : r.host}`;
    lines.push(`Request: ${target} (port ${r.port}) from ${caller}${headerText(r.headers)}`);
    for (const n of this.notes) lines.push(`  note: ${n}`);
    for (const s of this.skipped) {
      lines.push(`  skipped ${s.virtualService} ${s.rule}${s.delegateRule ? ` (from ${s.delegateRule})` : ''}:`);
      for (const reason of s.reasons) lines.push(`    - ${reason}`);
    }
    const by = this.virtualService
      ? ` by VirtualService ${this.virtualService} ${this.rule ?? ''}${this.delegateVirtualService ? ` (delegate ${this.delegateVirtualService} http[${this.delegateRuleIndex}])` : ''}${this.virtualServiceSource ? ` [${this.virtualServiceSource}]` : ''}`
      : '';
    lines.push(`Outcome: ${this.outcome}${by}`);
    for (const d of this.destinations) {
      const where = `${d.host}${d.subset ? ` subset ${d.subset}` : ''}${d.port ? ` port ${d.port}` : ''}`;
      const who = d.workloads.length > 0 ? d.workloads.map((w) => `${w.kind} ${w.namespace}/${w.name}`).join(', ') : 'no workload';
      lines.push(`  ${fmtPercent(d.weight)} -> ${where} (${d.service ?? 'no Service'}; ${who})${d.problem ? ` !! ${d.problem}` : ''}`);
    }
    if (this.redirect) lines.push(`  redirect ${this.redirect.status} to ${this.redirect.location}`);
    if (this.directResponse) {
      lines.push(
        `  direct response ${this.directResponse.status}${this.directResponse.body ? ` ${JSON.stringify(this.directResponse.body)}` : ''}`,
      );
    }
    const a = this.actions;
    if (a.fault) lines.push(`  fault: ${JSON.stringify(a.fault)}`);
    if (a.rewrite) lines.push(`  rewrite: ${JSON.stringify(a.rewrite)}${a.rewrittenUri ? ` (path becomes ${a.rewrittenUri})` : ''}`);
    if (a.headers) lines.push(`  headers: ${JSON.stringify(a.headers)}`);
    for (const m of this.mirrors) {
      lines.push(
        `  mirror ${fmtPercent(m.percentage)} to ${m.destination.host}${m.destination.subset ? ` subset ${m.destination.subset}` : ''}`,
      );
    }
    if (a.timeout) lines.push(`  timeout: ${a.timeout}`);
    if (a.retries) lines.push(`  retries: ${JSON.stringify(a.retries)}`);
    return lines.join('\n');
  }
}

function fmtPercent(n: number): string {
  return `${Number.isInteger(n) ? n : n.toFixed(2)}%`;
}

function labelText(labels: { [k: string]: string } | undefined): string {
  const e = Object.entries(labels ?? {});
  return e.length === 0 ? '' : ` with labels ${e.map(([k, v]) => `${k}=${v}`).join(',')}`;
}

function headerText(headers: { [k: string]: string } | undefined): string {
  const e = Object.entries(headers ?? {});
  return e.length === 0 ? '' : `, headers ${e.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}`;
}
