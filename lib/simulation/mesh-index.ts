import { Manifest } from '../analysis/finding';
import { toFqdn } from '../analysis/hosts';
import { HostProvider, MeshModel, ObjectRef, parseExportTo } from '../analysis/model';
import { arr, isObject } from '../kinds/common';
import { RoutedDestination, RouteActions, SimulatedWorkload } from './decision';
import { CompiledHttpMatch, compileHttpMatch, INHERITED_ROUTE_FIELDS, mergeDelegateMatches, resolveGatewayName } from './http-match';

/**
 * The manifests indexed once for routing: VirtualServices by binding (the `mesh` or a gateway)
 * and host, their HTTP routes flattened with delegates merged as Istio merges them, and
 * DestinationRules by host. Built in time linear in the number of objects.
 * @internal
 */

/** One HTTP rule of a root VirtualService as the proxy gets it (a delegate's rules replace the rule that names it). @internal */
export interface FlatHttpRoute {
  /** Index in the root's `http`. */
  readonly rule: number;
  /** `http[<rule>]`. */
  readonly name: string;
  /** The route's actions as written (shared by every decision it takes). */
  readonly actions: RouteActions;
  /** The route (merged with the root's fields for a delegate's rule). */
  readonly route: any;
  /** Undefined: no `match`, every request. */
  readonly matches?: readonly CompiledHttpMatch[];
  /** Namespace destination short names resolve in. */
  readonly namespace: string;
  readonly delegate?: { readonly key: string; readonly rule: number; readonly spec: any };
  /** Why Istio leaves this rule out (missing or invisible delegate, conflicting matches). */
  readonly dropped?: string;
}

/** A root VirtualService. @internal */
export interface IndexedVirtualService {
  readonly ref: ObjectRef;
  /** `namespace/name`. */
  readonly key: string;
  /** Hosts, short names expanded in its namespace, lowercased. */
  readonly hosts: readonly string[];
  /** `mesh` or `namespace/name`. */
  readonly gateways: readonly string[];
  readonly exportAll: boolean;
  readonly exportTo: ReadonlySet<string>;
  readonly http: readonly FlatHttpRoute[];
  readonly tcp: readonly any[];
  readonly tls: readonly any[];
  readonly source?: string;
}

interface WildcardEntry {
  /** Text after `*` (`.example.com`, or '' for `*`). */
  readonly suffix: string;
  readonly vs: IndexedVirtualService;
}

interface Binding {
  readonly exact: Map<string, IndexedVirtualService[]>;
  readonly wildcards: WildcardEntry[];
  readonly all: IndexedVirtualService[];
}

/** `file:line` or construct path of a manifest. @internal */
export function sourceOf(m: Manifest): string | undefined {
  if (m.source.file) return m.source.line ? `${m.source.file}:${m.source.line}` : m.source.file;
  return m.source.constructPath;
}

/** A host of a VirtualService or destination as Istio resolves it: short names in `namespace`, `*` kept, lowercased. @internal */
export function hostFqdn(host: string, namespace: string): string {
  return (host === '*' ? host : toFqdn(host, namespace)).toLowerCase();
}

/** True when the wildcard-or-exact `pattern` covers `host` (both lowercase). @internal */
export function hostCovers(pattern: string, host: string): boolean {
  if (pattern === host || pattern === '*') return true;
  if (!pattern.startsWith('*')) return false;
  const suffix = pattern.slice(1);
  return host.startsWith('*') ? host.slice(1).endsWith(suffix) : host.endsWith(suffix) && host.length > suffix.length;
}

function creationOrder(a: ObjectRef, b: ObjectRef): number {
  const ta = String(a.object.metadata?.creationTimestamp ?? '');
  const tb = String(b.object.metadata?.creationTimestamp ?? '');
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.index - b.index;
}

/** The routing index of a manifest set. @internal */
export class MeshIndex {
  public readonly model: MeshModel;
  public readonly virtualServices: IndexedVirtualService[] = [];
  private readonly _bindings = new Map<string, Binding>();
  private readonly _destinationRules = new Map<string, ObjectRef[]>();
  private readonly _workloadCache = new Map<string, SimulatedWorkload[]>();
  private readonly _providerCache = new Map<string, HostProvider[]>();
  /** Resolved destinations of a route's destination list, by caller namespace, filled by the simulator. */
  public readonly routeCache = new Map<object, Map<string, { port: number; destinations: RoutedDestination[] }>>();
  /** Resolved destinations (without weight), filled by the simulator. */
  public readonly destinationCache = new Map<string, Omit<RoutedDestination, 'weight' | 'configuredWeight'>>();

  public constructor(manifests: readonly Manifest[], defaultNamespace: string) {
    this.model = MeshModel.build(manifests, defaultNamespace);
    const sorted = [...this.model.virtualServices].sort(creationOrder);
    const delegates = new Map<string, ObjectRef>();
    for (const ref of sorted) {
      if (arr(ref.spec.hosts).length === 0) delegates.set(`${ref.namespace}/${ref.name}`, ref);
    }
    for (const ref of sorted) {
      if (arr(ref.spec.hosts).length === 0) continue;
      const vs = this.indexVirtualService(ref, delegates);
      this.virtualServices.push(vs);
      for (const g of vs.gateways) this.bind(g, vs);
    }
    for (const b of this._bindings.values()) b.wildcards.sort((x, y) => y.suffix.length - x.suffix.length);
    for (const dr of this.model.destinationRules) {
      if (typeof dr.spec.host !== 'string') continue;
      const host = hostFqdn(dr.spec.host, dr.namespace);
      const list = this._destinationRules.get(host);
      if (list) list.push(dr);
      else this._destinationRules.set(host, [dr]);
    }
  }

  /** The VirtualServices bound to `binding` (`mesh` or `ns/name`), in Istio's order. */
  public bound(binding: string): readonly IndexedVirtualService[] {
    return this._bindings.get(binding)?.all ?? [];
  }

  /**
   * The VirtualService a sidecar in `namespace` applies to `fqdn`: an exact host before the most
   * specific wildcard; among equals the oldest (then by name, namespace), as Istio keeps the first.
   */
  public meshVirtualService(
    fqdn: string,
    namespace: string,
  ): { vs: IndexedVirtualService; host: string; shadowed: IndexedVirtualService[] } | undefined {
    const b = this._bindings.get('mesh');
    if (!b) return undefined;
    const visible = (vs: IndexedVirtualService) => vs.exportAll || vs.exportTo.has(namespace);
    const exact = b.exact.get(fqdn);
    if (exact) {
      const first = exact.find(visible);
      if (first) return { vs: first, host: fqdn, shadowed: exact.filter((v) => v !== first && visible(v)) };
    }
    let found: { vs: IndexedVirtualService; host: string; shadowed: IndexedVirtualService[] } | undefined;
    for (const w of b.wildcards) {
      if (found && w.suffix.length < found.host.length - 1) break;
      if (!visible(w.vs) || !(w.suffix === '' || (fqdn.endsWith(w.suffix) && fqdn.length > w.suffix.length))) continue;
      if (!found) found = { vs: w.vs, host: `*${w.suffix}`, shadowed: [] };
      else if (found.vs !== w.vs) found.shadowed.push(w.vs);
    }
    return found;
  }

  /** The Service or ServiceEntry providers of `fqdn` visible from `namespace`. */
  public providers(fqdn: string, namespace: string): HostProvider[] {
    const key = `${namespace}|${fqdn}`;
    let found = this._providerCache.get(key);
    if (!found) {
      // Bounded: a stream of distinct unknown hosts must not grow the cache for ever.
      if (this._providerCache.size >= 100000) this._providerCache.clear();
      found = this.model.resolveHost(fqdn, namespace);
      this._providerCache.set(key, found);
    }
    return found;
  }

  /**
   * The DestinationRule that applies to `host` for a proxy in `namespace`: the proxy's namespace
   * first, then the host's (the Service's) namespace, then any other that is exported to it.
   */
  public destinationRule(host: string, namespace: string, serviceNamespace: string | undefined): ObjectRef | undefined {
    // An exact host first, else the most specific wildcard host (`*.shop.svc.cluster.local`, `*`).
    let list = this._destinationRules.get(host);
    if (!list) {
      let best: string | undefined;
      for (const h of this._destinationRules.keys()) {
        if (h.startsWith('*') && hostCovers(h, host) && (best === undefined || h.length > best.length)) best = h;
      }
      if (best === undefined) return undefined;
      list = this._destinationRules.get(best)!;
    }
    const visible = (dr: ObjectRef) => {
      const scope = parseExportTo(
        arr(dr.spec.exportTo).filter((s) => typeof s === 'string'),
        dr.namespace,
      );
      return scope.exportAll || scope.exportTo.has(namespace);
    };
    return (
      list.find((dr) => dr.namespace === namespace) ??
      list.find((dr) => dr.namespace === serviceNamespace && visible(dr)) ??
      list.find((dr) => visible(dr))
    );
  }

  /** The workloads in `namespace` whose pod labels include `selector` (cached). */
  public workloadsMatching(namespace: string, selector: { readonly [key: string]: string }): SimulatedWorkload[] {
    const wanted = Object.entries(selector);
    const key = `${namespace}|${wanted
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join(',')}`;
    let found = this._workloadCache.get(key);
    if (!found) {
      found = this.model
        .workloadsSelectedBy(selector)
        .filter((w) => w.namespace === namespace)
        .map((w) => ({
          kind: w.ref.kind,
          namespace: w.namespace,
          name: w.ref.name,
          ...(w.ref.manifest.source.file ? { file: w.ref.manifest.source.file } : {}),
        }));
      this._workloadCache.set(key, found);
    }
    return found;
  }

  private bind(binding: string, vs: IndexedVirtualService): void {
    let b = this._bindings.get(binding);
    if (!b) {
      b = { exact: new Map(), wildcards: [], all: [] };
      this._bindings.set(binding, b);
    }
    b.all.push(vs);
    for (const h of vs.hosts) {
      if (h.startsWith('*')) b.wildcards.push({ suffix: h.slice(1), vs });
      else {
        const list = b.exact.get(h);
        if (list) {
          if (!list.includes(vs)) list.push(vs);
        } else b.exact.set(h, [vs]);
      }
    }
  }

  private indexVirtualService(ref: ObjectRef, delegates: Map<string, ObjectRef>): IndexedVirtualService {
    const ns = ref.namespace;
    const gateways = arr(ref.spec.gateways)
      .filter((g) => typeof g === 'string')
      .map((g) => resolveGatewayName(g, ns));
    const scope = parseExportTo(
      arr(ref.spec.exportTo).filter((s) => typeof s === 'string'),
      ns,
    );
    const http: FlatHttpRoute[] = [];
    const push = (f: Omit<FlatHttpRoute, 'name' | 'actions'>) => http.push({ ...f, name: `http[${f.rule}]`, actions: actionsOf(f.route) });
    arr(ref.spec.http).forEach((route, rule) => {
      if (!isObject(route)) return;
      if (!isObject(route.delegate)) {
        push({ rule, route, matches: compileMatches(route.match, ns), namespace: ns });
        return;
      }
      const dns = typeof route.delegate.namespace === 'string' && route.delegate.namespace !== '' ? route.delegate.namespace : ns;
      const key = `${dns}/${route.delegate.name}`;
      const delegate = delegates.get(key);
      const drop = (why: string) =>
        void push({ rule, route, namespace: ns, dropped: why, delegate: { key, rule: -1, spec: route.delegate } });
      if (!delegate) return drop(`its delegate ${key} is not a VirtualService without hosts in the manifests: Istio ignores this rule`);
      const dscope = parseExportTo(
        arr(delegate.spec.exportTo).filter((s) => typeof s === 'string'),
        delegate.namespace,
      );
      if (!dscope.exportAll && !dscope.exportTo.has(ns)) {
        return drop(`its delegate ${key} is not exported to namespace ${ns}: Istio ignores this rule`);
      }
      arr(delegate.spec.http).forEach((sub, subRule) => {
        if (!isObject(sub)) return;
        const merged = mergeDelegateMatches(arr(route.match), arr(sub.match));
        const info = { key, rule: subRule, spec: route.delegate };
        if (!merged) {
          push({
            rule,
            route: sub,
            namespace: delegate.namespace,
            delegate: info,
            dropped: `${key} http[${subRule}]'s matches conflict with the root rule's: Istio drops it`,
          });
          return;
        }
        const out: any = { ...sub, match: merged.length > 0 ? merged : undefined };
        for (const f of INHERITED_ROUTE_FIELDS) if (out[f] === undefined || out[f] === null) out[f] = route[f];
        out.name = !sub.name ? route.name : route.name ? `${route.name}-${sub.name}` : sub.name;
        for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
        push({
          rule,
          route: out,
          matches: compileMatches(out.match, delegate.namespace),
          namespace: delegate.namespace,
          delegate: info,
        });
      });
    });
    return {
      ref,
      key: `${ns}/${ref.name}`,
      hosts: arr(ref.spec.hosts)
        .filter((h) => typeof h === 'string' && h !== '')
        .map((h) => hostFqdn(h, ns)),
      gateways: gateways.length > 0 ? gateways : ['mesh'],
      ...scope,
      http,
      tcp: arr(ref.spec.tcp).filter(isObject),
      tls: arr(ref.spec.tls).filter(isObject),
      source: sourceOf(ref.manifest),
    };
  }
}

function actionsOf(route: any): RouteActions {
  return {
    fault: route.fault ?? undefined,
    rewrite: route.rewrite ?? undefined,
    headers: route.headers ?? undefined,
    timeout: typeof route.timeout === 'string' ? route.timeout : undefined,
    retries: route.retries ?? undefined,
    route,
  };
}

function compileMatches(value: unknown, namespace: string): CompiledHttpMatch[] | undefined {
  const list = arr(value);
  return list.length === 0 ? undefined : list.map((m) => compileHttpMatch(m, namespace));
}
