import { DeclaredCall, GraphEdge, GraphEdgeKind, GraphNode, GraphNodeKind } from './graph-types';
import { matchLabel } from './match-label';
import { Finding } from '../analysis/finding';
import { toFqdn } from '../analysis/hosts';
import { MeshModel, ObjectRef, selectorOf } from '../analysis/model';
import { arr, isObject } from '../kinds/common';

/**
 * Builds the nodes and edges of a mesh graph from the analysis' model of a manifest set:
 * gateways, services with their versions (DestinationRule subsets and the workloads they
 * select), external hosts, and an edge per route destination of every VirtualService.
 * @internal
 */
export interface GraphParts {
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
}

interface MutableNode extends GraphNode {
  readonly details: string[];
  readonly findings: string[];
}

/** Route sections of a VirtualService and the marks their rules can carry. */
const SECTIONS = ['http', 'tls', 'tcp'] as const;
const HTTP_MARKS: readonly [string, string][] = [
  ['fault', 'fault'],
  ['rewrite', 'rewrite'],
  ['timeout', 'timeout'],
  ['retries', 'retries'],
  ['headers', 'headers'],
  ['corsPolicy', 'cors'],
];

/** @internal */
export function buildGraph(
  model: MeshModel,
  findings: readonly Finding[],
  calls: readonly DeclaredCall[],
  defaultNamespace: string,
): GraphParts {
  const builder = new GraphBuilder(model);
  builder.addObjects();
  builder.addRoutes();
  for (const call of calls) builder.addCall(call, defaultNamespace);
  for (const finding of findings) builder.attach(finding, defaultNamespace);
  return builder.parts();
}

class GraphBuilder {
  private readonly nodes = new Map<string, MutableNode>();
  private readonly edges: (GraphEdge & { findings: string[] })[] = [];
  private readonly hostNodes = new Map<string, string>();
  private readonly objectNodes = new Map<ObjectRef, string[]>();
  private readonly ruleEdges = new Map<string, GraphEdge[]>();
  private readonly servicesByHost = new Map<string, ObjectRef>();

  constructor(private readonly model: MeshModel) {}

  public addObjects(): void {
    for (const gw of this.model.gateways) {
      const hosts = arr(gw.spec.servers).flatMap((s) => (isObject(s) ? arr(s.hosts) : []));
      const id = this.node(gateWayId(gw.namespace, gw.name), GraphNodeKind.GATEWAY, gw.name, [
        `${gw.namespace}/${gw.name}`,
        ...unique(hosts).map((h) => `host ${h}`),
      ]);
      this.objectNodes.set(gw, [id]);
    }
    for (const svc of this.model.services) {
      const fqdn = toFqdn(svc.name, svc.namespace);
      const ports = arr(svc.spec.ports).map((p) => `port ${p?.port}${p?.name ? ` (${p.name})` : ''}`);
      const id = this.node(`service/${fqdn}`, GraphNodeKind.SERVICE, svc.name, [`${svc.namespace}/${svc.name}`, ...ports]);
      this.hostNodes.set(fqdn, id);
      this.servicesByHost.set(fqdn, svc);
      this.objectNodes.set(svc, [id]);
    }
    for (const se of this.model.serviceEntries) {
      const ids: string[] = [];
      for (const host of arr(se.spec.hosts).filter((h): h is string => typeof h === 'string' && h !== '')) {
        const fqdn = toFqdn(host, se.namespace);
        if (this.hostNodes.has(fqdn)) continue;
        const ports = arr(se.spec.ports).map((p) => `port ${p?.number}${p?.protocol ? ` ${p.protocol}` : ''}`);
        const id = this.node(`external/${fqdn}`, GraphNodeKind.EXTERNAL, host, [`ServiceEntry ${se.namespace}/${se.name}`, ...ports]);
        this.hostNodes.set(fqdn, id);
        ids.push(id);
      }
      this.objectNodes.set(se, ids);
    }
    for (const dr of this.model.destinationRules) {
      if (typeof dr.spec.host !== 'string') continue;
      const fqdn = toFqdn(dr.spec.host, dr.namespace);
      const parent = this.hostNodes.get(fqdn);
      if (!parent) continue;
      const ids = arr(dr.spec.subsets).map((s) => {
        if (!isObject(s) || typeof s.name !== 'string') return '';
        const workloads = this.workloadsOf(fqdn, isObject(s.labels) ? s.labels : {});
        return this.node(`version/${fqdn}/${s.name}`, GraphNodeKind.VERSION, s.name, workloads, parent);
      });
      this.objectNodes.set(dr, ids);
    }
  }

  public addRoutes(): void {
    for (const vs of this.model.virtualServices) {
      const sources = this.sourcesOf(vs);
      for (const section of SECTIONS) {
        arr(vs.spec[section]).forEach((rule, i) => {
          if (!isObject(rule)) return;
          const ruleName = `${section}[${i}]`;
          const base = {
            virtualService: `${vs.namespace}/${vs.name}`,
            rule: ruleName,
            label: matchLabel(rule.match),
            match: arr(rule.match).length > 0 ? JSON.stringify(rule.match) : undefined,
          };
          const marks = section === 'http' ? HTTP_MARKS.filter(([field]) => rule[field] !== undefined).map(([, mark]) => mark) : [];
          const edges: GraphEdge[] = [];
          const routes = arr(rule.route).filter((r) => isObject(r?.destination));
          const total = routes.reduce((sum, r) => sum + (typeof r.weight === 'number' ? r.weight : 0), 0);
          routes.forEach((r) => {
            const weight = routes.length > 1 ? share(r.weight, total, routes.length) : undefined;
            const target = this.destinationNode(r.destination, vs.namespace);
            for (const from of sources) edges.push(this.edge({ ...base, from, to: target, kind: GraphEdgeKind.ROUTE, weight, marks }));
          });
          const mirrors = [
            ...(isObject(rule.mirror) ? [{ destination: rule.mirror, percentage: rule.mirrorPercentage }] : []),
            ...arr(rule.mirrors),
          ];
          for (const m of mirrors.filter((x) => isObject(x?.destination))) {
            const target = this.destinationNode(m.destination, vs.namespace);
            const weight = typeof m.percentage?.value === 'number' ? m.percentage.value : 100;
            for (const from of sources) {
              edges.push(this.edge({ ...base, from, to: target, kind: GraphEdgeKind.MIRROR, weight, marks: ['mirror'] }));
            }
          }
          const answer = responseOf(rule);
          if (answer) {
            const target = this.node(
              `response/${vs.namespace}/${vs.name}/${ruleName}`,
              GraphNodeKind.RESPONSE,
              answer.label,
              answer.details,
            );
            for (const from of sources) {
              edges.push(this.edge({ ...base, from, to: target, kind: GraphEdgeKind.ROUTE, marks: [...marks, answer.mark] }));
            }
          }
          this.ruleEdges.set(`${vs.namespace}/${vs.name}/spec.${ruleName}`, edges);
        });
      }
    }
  }

  public addCall(call: DeclaredCall, defaultNamespace: string): void {
    const namespace = call.namespace ?? defaultNamespace;
    const from = this.hostNode(toFqdn(call.from, namespace), call.from);
    const to = this.hostNode(toFqdn(call.to, namespace), call.to);
    this.edge({ from, to, kind: GraphEdgeKind.CALL, label: 'calls', marks: [] });
  }

  /** Shows a finding on the nodes (and route edges) of the object it is about. */
  public attach(finding: Finding, defaultNamespace: string): void {
    const namespace = finding.namespace ?? defaultNamespace;
    const text = `${finding.code} ${finding.severity}: ${finding.message}`;
    const ref = this.objectsByKey().get(`${finding.kind}/${namespace}/${finding.name}`);
    if (!ref) return;
    if (ref.kind === 'VirtualService') {
      const rule = /^spec\.(http|tls|tcp)\[\d+\]/.exec(finding.field ?? '');
      const edges = rule ? this.ruleEdges.get(`${namespace}/${ref.name}/${rule[0]}`) : undefined;
      if (edges && edges.length > 0) for (const e of edges) addOnce(e.findings, text);
      else for (const id of this.sourcesOf(ref)) addOnce(this.nodes.get(id)!.findings, text);
      return;
    }
    const ids = this.objectNodes.get(ref) ?? [];
    const subset = /^spec\.subsets\[(\d+)\]/.exec(finding.field ?? '');
    const chosen = subset && ids[Number(subset[1])] ? [ids[Number(subset[1])]] : ids.filter((id) => id !== '');
    for (const id of chosen) addOnce(this.nodes.get(id)!.findings, text);
  }

  private _objectsByKey?: Map<string, ObjectRef>;

  /** The objects by `Kind/namespace/name` (the first of duplicates), built on first use. */
  private objectsByKey(): Map<string, ObjectRef> {
    if (!this._objectsByKey) {
      this._objectsByKey = new Map();
      for (const o of this.model.objects) {
        const key = `${o.kind}/${o.namespace}/${o.name}`;
        if (!this._objectsByKey.has(key)) this._objectsByKey.set(key, o);
      }
    }
    return this._objectsByKey;
  }

  public parts(): GraphParts {
    const nodes = [...this.nodes.values()];
    return { nodes, edges: this.edges };
  }

  private sourcesOf(vs: ObjectRef): string[] {
    const gateways = arr(vs.spec.gateways).filter((g): g is string => typeof g === 'string');
    const ids: string[] = [];
    for (const g of gateways.length === 0 ? ['mesh'] : gateways) {
      if (g === 'mesh') {
        for (const host of arr(vs.spec.hosts).filter((h): h is string => typeof h === 'string' && h !== '*')) {
          ids.push(this.hostNode(toFqdn(host, vs.namespace), host));
        }
        continue;
      }
      const [ns, name] = g.includes('/') ? g.split('/', 2) : [vs.namespace, g];
      ids.push(this.node(gateWayId(ns, name), GraphNodeKind.GATEWAY, name, [`${ns}/${name}`]));
    }
    return unique(ids);
  }

  private destinationNode(destination: any, namespace: string): string {
    const host = typeof destination.host === 'string' ? destination.host : '';
    const fqdn = toFqdn(host, namespace);
    const base = this.hostNode(fqdn, host);
    if (typeof destination.subset !== 'string') return base;
    const version = `version/${fqdn}/${destination.subset}`;
    return this.nodes.has(version)
      ? version
      : this.node(version, GraphNodeKind.VERSION, destination.subset, ['no DestinationRule defines this subset'], base);
  }

  private hostNode(fqdn: string, label: string): string {
    return (
      this.hostNodes.get(fqdn) ?? this.node(`host/${fqdn}`, GraphNodeKind.UNKNOWN_HOST, label, ['no Service or ServiceEntry in the set'])
    );
  }

  /** Names of the workloads in the Service's namespace that its selector and `labels` select. */
  private workloadsOf(fqdn: string, labels: { [key: string]: unknown }): string[] {
    const svc = this.servicesByHost.get(fqdn);
    if (!svc || !isObject(svc.spec.selector)) return [];
    return this.model
      .workloadsSelectedBy(selectorOf(svc.spec.selector, labels))
      .filter((w) => w.namespace === svc.namespace)
      .map((w) => `${w.ref.kind} ${w.ref.name}`);
  }

  private node(id: string, kind: GraphNodeKind, label: string, details: string[], parent?: string): string {
    if (!this.nodes.has(id)) this.nodes.set(id, { id, kind, label, details, findings: [], ...(parent ? { parent } : {}) });
    return id;
  }

  private edge(e: Omit<GraphEdge, 'id' | 'findings'>): GraphEdge {
    const edge = { id: `e${this.edges.length}`, ...e, findings: [] as string[] };
    this.edges.push(edge);
    return edge;
  }
}

/** What a rule answers itself (redirect, direct response, delegate), if anything. */
function responseOf(rule: any): { label: string; details: string[]; mark: string } | undefined {
  if (isObject(rule.redirect)) {
    const target = [rule.redirect.authority, rule.redirect.uri].filter((x) => typeof x === 'string').join('');
    return { label: `redirect ${target || ''}`.trim(), details: [JSON.stringify(rule.redirect)], mark: 'redirect' };
  }
  if (isObject(rule.directResponse)) {
    return {
      label: `respond ${rule.directResponse.status ?? ''}`.trim(),
      details: [JSON.stringify(rule.directResponse)],
      mark: 'direct response',
    };
  }
  if (isObject(rule.delegate)) {
    const ns = typeof rule.delegate.namespace === 'string' ? `${rule.delegate.namespace}/` : '';
    return { label: `delegate ${ns}${rule.delegate.name ?? ''}`, details: [], mark: 'delegate' };
  }
  return undefined;
}

/** Percent of a route's traffic (weights normalized; no weights = all on one destination). */
function share(weight: unknown, total: number, count: number): number {
  if (total <= 0) return Math.round(1000 / count) / 10;
  const w = typeof weight === 'number' ? weight : 0;
  return Math.round((w / total) * 1000) / 10;
}

function gateWayId(namespace: string, name: string): string {
  return `gateway/${namespace}/${name}`;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function addOnce(list: string[], text: string): void {
  if (!list.includes(text)) list.push(text);
}
