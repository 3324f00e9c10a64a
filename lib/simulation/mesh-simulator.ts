import { IConstruct } from 'constructs';
import { Manifest } from '../analysis/finding';
import { manifestsOf } from '../app/app-manifests';
import { CLUSTER_SUFFIX, toFqdn } from '../analysis/hosts';
import { HostProvider } from '../analysis/model';
import { arr, entries, isObject } from '../kinds/common';
import {
  DirectResponseOutcome,
  MirrorOutcome,
  RedirectOutcome,
  RoutedDestination,
  RouteActions,
  RouteOutcome,
  RoutingDecision,
  SkippedRule,
} from './decision';
import { CompiledHttpMatch, compileHttpMatch, describeHttpMatch, evaluateHttpMatch, RequestContext, sourceMismatch } from './http-match';
import { FlatHttpRoute, hostCovers, hostFqdn, IndexedVirtualService, MeshIndex } from './mesh-index';
import { MeshSimulatorOptions, OutboundTrafficPolicy, RequestProtocol, SimulatedRequest } from './request';
import { RouteExpectation } from './route-expectation';
import { compileRe2 } from './string-match';

const NONE: readonly any[] = [];
const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'GRPC-WEB']);

/**
 * Routes requests through a set of manifests offline, as Istio's proxies would: which
 * VirtualService and rule decide, where the traffic goes (Service, port, DestinationRule subset,
 * the Deployments behind it), and why earlier rules did not match.
 *
 * Build it once (`fromApp`, `fromManifests`), then ask as many `request()`s as needed.
 *
 * @example
 * const sim = MeshSimulator.fromApp(app);
 * const d = sim.request({ host: 'addedvalues', headers: { 'end-user': 'yunqi1' } });
 * console.log(d.explain());
 */
export class MeshSimulator {
  /** Simulates the objects of every chart of a cdk8s app (or any construct tree), as they would be synthesized. */
  public static fromApp(app: IConstruct, options: MeshSimulatorOptions = {}): MeshSimulator {
    return new MeshSimulator(manifestsOf(app), options);
  }

  /** Simulates plain Kubernetes objects (`apiVersion`, `kind`, `metadata`, `spec`), e.g. parsed from YAML. */
  public static fromManifests(objects: any[], options: MeshSimulatorOptions = {}): MeshSimulator {
    return new MeshSimulator(
      objects.map((object) => ({ object, source: {} })),
      options,
    );
  }

  /** Simulates objects that carry where they came from (file and line), named in explanations. */
  public static fromSourcedManifests(manifests: Manifest[], options: MeshSimulatorOptions = {}): MeshSimulator {
    return new MeshSimulator(manifests, options);
  }

  private readonly _index: MeshIndex;
  private readonly _defaultNamespace: string;
  private readonly _policy: OutboundTrafficPolicy;

  private constructor(manifests: readonly Manifest[], options: MeshSimulatorOptions) {
    this._defaultNamespace = options.defaultNamespace ?? 'default';
    this._policy = options.outboundTrafficPolicy ?? OutboundTrafficPolicy.ALLOW_ANY;
    this._index = new MeshIndex(manifests, this._defaultNamespace);
  }

  /** The `namespace/name` of every VirtualService that owns hosts, in the order Istio considers them. */
  public get virtualServices(): string[] {
    return this._index.virtualServices.map((v) => v.key);
  }

  /** Routes one request. Throws when the request itself is unusable (empty host, unknown gateway). */
  public request(request: SimulatedRequest): RoutingDecision {
    return new Simulation(this._index, this._defaultNamespace, this._policy, request).run();
  }

  /** Starts an assertion on how `request` is routed; its checks throw with the decision explained. */
  public expect(request: SimulatedRequest): RouteExpectation {
    return new RouteExpectation(this.request(request));
  }
}

interface FinishParams {
  outcome: RouteOutcome;
  port: number;
  destinations: RoutedDestination[];
  virtualService?: IndexedVirtualService;
  rule?: string;
  ruleIndex?: number;
  flat?: FlatHttpRoute;
  actions?: RouteActions;
  redirect?: RedirectOutcome;
  directResponse?: DirectResponseOutcome;
  mirrors?: MirrorOutcome[];
}

/** One request being routed. */
class Simulation {
  private readonly protocol: RequestProtocol;
  private readonly host: string;
  private readonly authorityPort?: number;
  private readonly namespace: string;
  // Explanations are deferred: notes as thunks, skipped HTTP rules re-evaluated with reasons on demand.
  private readonly notes: (() => string)[] = [];
  private readonly skipped: (SkippedRule | { vs: IndexedVirtualService; fr: FlatHttpRoute })[] = [];
  private ctx?: RequestContext;
  private readonly gatewayKey?: string;

  public constructor(
    private readonly index: MeshIndex,
    defaultNamespace: string,
    private readonly policy: OutboundTrafficPolicy,
    private readonly req: SimulatedRequest,
  ) {
    if (typeof req.host !== 'string' || req.host.trim() === '') throw new Error('request.host must be a non-empty host name');
    this.protocol = req.protocol ?? RequestProtocol.HTTP;
    let host = req.host.trim().toLowerCase();
    const colon = host.lastIndexOf(':');
    if (colon > 0 && /^\d+$/.test(host.slice(colon + 1))) {
      this.authorityPort = Number(host.slice(colon + 1));
      host = host.slice(0, colon);
    }
    this.host = host.endsWith('.') ? host.slice(0, -1) : host;
    if (req.gateway !== undefined) {
      this.gatewayKey = req.gateway.includes('/') ? req.gateway : `${defaultNamespace}/${req.gateway}`;
    }
    this.namespace = req.sourceNamespace ?? (this.gatewayKey ? this.gatewayKey.split('/')[0] : defaultNamespace);
  }

  public run(): RoutingDecision {
    return this.gatewayKey ? this.throughGateway(this.gatewayKey) : this.throughSidecar();
  }

  // ---- sidecar ----------------------------------------------------------------------------------

  private throughSidecar(): RoutingDecision {
    const fqdn = this.resolveHostName();
    const providers = this.index.providers(fqdn, this.namespace);
    const provider = providers[0];
    const port = this.req.port ?? this.authorityPort ?? provider?.ports[0]?.number ?? (this.protocol === RequestProtocol.TLS ? 443 : 80);
    if (fqdn !== this.host) this.notes.push(() => `host ${this.host} resolves to ${fqdn} from namespace ${this.namespace}`);
    if (provider && provider.ports.length > 0 && !provider.ports.some((p) => p.number === port)) {
      this.notes.push(() => `${kindName(provider)} declares no port ${port}: the sidecar has no route for it`);
      return this.unknownHost(port);
    }
    const found = this.index.meshVirtualService(fqdn, this.namespace);
    if (found && !provider && (this.protocol !== RequestProtocol.HTTP || port !== 80)) {
      this.notes.push(
        () =>
          `VirtualService ${found.vs.key} names ${fqdn}, which no Service or ServiceEntry declares: Istio routes such hosts for HTTP on port 80 only`,
      );
      return this.unknownHost(port);
    }
    if (found && this.protocol === RequestProtocol.HTTP && !this.hasHttpRoute(found.vs, port)) {
      // Istio builds no virtual host from a VirtualService without a route for this proxy and port.
      this.notes.push(
        () =>
          `VirtualService ${found.vs.key} has no HTTP rule for this caller on port ${port} (every rule is left out by port, gateways, sourceLabels or sourceNamespace, dropped, or there is none): Istio does not apply it${found.vs.http
            .filter((fr) => fr.dropped)
            .map((fr) => `; http[${fr.rule}]: ${fr.dropped}`)
            .join('')}`,
      );
      if (!provider) return this.unknownHost(port);
      this.notes.push(() => `default routing to every endpoint of ${kindName(provider)}`);
      return this.finish({
        outcome: RouteOutcome.ROUTED,
        port,
        destinations: this.weighted(provider, [{ destination: { host: fqdn } }], provider.ref.namespace, port),
      });
    }
    if (found) {
      this.notes.push(() => `VirtualService ${found.vs.key} applies (host ${found.host}, bound to mesh)`);
      for (const s of found.shadowed) {
        this.notes.push(
          () => `VirtualService ${s.key} also names ${found.host} but is ignored: the sidecar keeps the first (oldest, then by name)`,
        );
      }
      return this.decide([found.vs], port, fqdn, provider);
    }
    if (!provider) return this.unknownHost(port);
    this.notes.push(() => `no VirtualService for ${fqdn}: default routing to every endpoint of ${kindName(provider)}`);
    return this.finish({
      outcome: RouteOutcome.ROUTED,
      port,
      destinations: [this.destination({ host: fqdn }, provider.ref.namespace, port, 100, 0)],
    });
  }

  private resolveHostName(): string {
    const h = this.host;
    if (!h.includes('.')) return toFqdn(h, this.namespace);
    const parts = h.split('.');
    if (parts.length === 2 || (parts.length === 3 && parts[2] === 'svc')) {
      const candidate = `${parts[0]}.${parts[1]}${CLUSTER_SUFFIX}`;
      if (this.index.providers(candidate, this.namespace).length > 0 || this.index.meshVirtualService(candidate, this.namespace)) {
        return candidate;
      }
    }
    return h;
  }

  private unknownHost(port: number): RoutingDecision {
    const pass = this.policy === OutboundTrafficPolicy.ALLOW_ANY;
    this.notes.push(
      () =>
        `no Service, ServiceEntry or VirtualService routes ${this.host}:${port} for this caller; outbound policy ${this.policy}: ${pass ? 'passed through unchanged' : 'dropped'}`,
    );
    return this.finish({ outcome: pass ? RouteOutcome.PASSTHROUGH : RouteOutcome.BLACKHOLE, port, destinations: [] });
  }

  // ---- gateway ----------------------------------------------------------------------------------

  private throughGateway(key: string): RoutingDecision {
    const [gns, gname] = key.split('/');
    const gw = this.index.model.gateway(gns, gname);
    if (!gw) {
      const known = this.index.model.gateways.map((g) => `${g.namespace}/${g.name}`);
      throw new Error(`request.gateway: no Gateway ${key} in the manifests (known: ${known.length > 0 ? known.join(', ') : 'none'})`);
    }
    const servers = arr(gw.spec.servers).filter((s) => isObject(s) && isObject(s.port));
    const ports = [...new Set(servers.map((s) => s.port.number))];
    const port = this.req.port ?? this.authorityPort ?? (ports.length === 1 ? ports[0] : this.protocol === RequestProtocol.TLS ? 443 : 80);
    const wanted = (s: any) => {
      const p = String(s.port.protocol ?? '').toUpperCase();
      if (this.protocol === RequestProtocol.HTTP) return HTTP_PROTOCOLS.has(p) && !(p === 'HTTPS' && s.tls?.mode === 'PASSTHROUGH');
      if (this.protocol === RequestProtocol.TLS) return p === 'TLS' || (p === 'HTTPS' && s.tls?.mode === 'PASSTHROUGH');
      return p === 'TCP' || p === 'MONGO' || p === 'REDIS' || p === 'TLS';
    };
    const onPort = servers.filter((s) => s.port.number === port && wanted(s));
    if (onPort.length === 0) {
      this.notes.push(() => `Gateway ${key} has no ${this.protocol} server on port ${port}`);
      return this.finish({ outcome: RouteOutcome.BLACKHOLE, port, destinations: [] });
    }
    // Virtual hosts: each bound VirtualService host intersected with the server hosts it may use.
    const domains = new Map<string, IndexedVirtualService[]>();
    for (const vs of this.index.bound(key)) {
      if (!vs.exportAll && !vs.exportTo.has(gns)) continue;
      // A VirtualService without a route for this gateway and port is left out (Istio: "no routes matched").
      if (this.protocol === RequestProtocol.HTTP && !this.hasHttpRoute(vs, port)) continue;
      for (const server of onPort) {
        for (const raw of arr(server.hosts)) {
          if (typeof raw !== 'string') continue;
          const slash = raw.indexOf('/');
          const sns = slash < 0 ? '*' : raw.slice(0, slash) === '.' ? gns : raw.slice(0, slash);
          if (sns !== '*' && sns !== vs.ref.namespace) continue;
          const sh = (slash < 0 ? raw : raw.slice(slash + 1)).toLowerCase();
          for (const vh of vs.hosts) {
            const domain = hostCovers(sh, vh) ? vh : hostCovers(vh, sh) ? sh : undefined;
            if (domain === undefined) continue;
            const list = domains.get(domain) ?? [];
            if (!list.includes(vs)) list.push(vs);
            domains.set(domain, list);
          }
        }
      }
    }
    const target = this.protocol === RequestProtocol.TLS ? (this.req.sni ?? this.host).toLowerCase() : this.host;
    let chosen: string | undefined = domains.has(target) ? target : undefined;
    if (!chosen) {
      for (const d of domains.keys()) if (d.startsWith('*') && hostCovers(d, target) && (!chosen || d.length > chosen.length)) chosen = d;
    }
    if (!chosen) {
      this.notes.push(() => `no VirtualService bound to Gateway ${key} serves ${target} on port ${port}: the gateway answers 404`);
      return this.finish({
        outcome: this.protocol === RequestProtocol.HTTP ? RouteOutcome.NO_ROUTE : RouteOutcome.BLACKHOLE,
        port,
        destinations: [],
      });
    }
    const vss = domains.get(chosen)!;
    this.notes.push(
      () =>
        `Gateway ${key} port ${port}: virtual host ${chosen} from ${vss.map((v) => v.key).join(', ')}${vss.length > 1 ? ' (routes merged in that order)' : ''}`,
    );
    return this.decide(vss, port, this.host, undefined);
  }

  /** True when Istio would build at least one HTTP route of `vs` for this caller and port. */
  private hasHttpRoute(vs: IndexedVirtualService, port: number): boolean {
    const ctx = this.context(port);
    return vs.http.some((fr) => !fr.dropped && (!fr.matches || fr.matches.some((m) => sourceMismatch(m, ctx) === undefined)));
  }

  // ---- rules ------------------------------------------------------------------------------------

  private context(port: number): RequestContext {
    if (this.ctx && this.ctx.port === port) return this.ctx;
    this.ctx = this.buildContext(port);
    return this.ctx;
  }

  private buildContext(port: number): RequestContext {
    const uri = this.req.uri ?? '/';
    const q = uri.indexOf('?');
    const path = (q < 0 ? uri : uri.slice(0, q)).split('#')[0];
    const query = new Map<string, string>();
    if (q >= 0) {
      for (const pair of uri
        .slice(q + 1)
        .split('#')[0]
        .split('&')) {
        if (pair === '') continue;
        const eq = pair.indexOf('=');
        const k = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
        if (!query.has(k)) query.set(k, eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1)));
      }
    }
    for (const [k, v] of Object.entries(this.req.queryParams ?? {})) query.set(k, String(v));
    const headers = new Map<string, string>();
    for (const [k, v] of Object.entries(this.req.headers ?? {})) headers.set(k.toLowerCase(), String(v));
    const gw = this.gatewayKey ? this.index.model.gateway(...(this.gatewayKey.split('/') as [string, string])) : undefined;
    return {
      authority: this.req.host.trim(),
      path: path === '' ? '/' : path,
      query,
      method: this.req.method ?? 'GET',
      scheme: this.req.scheme ?? 'http',
      headers,
      port,
      sourceNamespace: this.namespace,
      sourceLabels: this.req.sourceLabels ?? (gw && isObject(gw.spec.selector) ? gw.spec.selector : {}),
      gatewayName: this.gatewayKey ?? 'mesh',
      sni: (this.req.sni ?? this.host).toLowerCase(),
    };
  }

  private decide(vss: readonly IndexedVirtualService[], port: number, fqdn: string, provider: HostProvider | undefined): RoutingDecision {
    const ctx = this.context(port);
    if (this.protocol === RequestProtocol.HTTP) return this.decideHttp(vss, ctx);
    return this.decideL4(vss, ctx, fqdn, provider);
  }

  private decideHttp(vss: readonly IndexedVirtualService[], ctx: RequestContext): RoutingDecision {
    for (const vs of vss) {
      for (const fr of vs.http) {
        let hit: CompiledHttpMatch | null | undefined;
        if (fr.dropped) hit = undefined;
        else if (!fr.matches) hit = null;
        else {
          for (let i = 0; i < fr.matches.length && hit === undefined; i++) {
            if (evaluateHttpMatch(fr.matches[i], ctx)) hit = fr.matches[i];
          }
        }
        if (hit !== undefined) return this.httpOutcome(vs, fr, hit, ctx);
        this.skipped.push({ vs, fr });
      }
    }
    this.notes.push(() => `no HTTP rule of ${vss.map((v) => v.key).join(', ')} matches: Envoy answers 404`);
    return this.finish({ outcome: RouteOutcome.NO_ROUTE, port: ctx.port, destinations: [], virtualService: vss[0] });
  }

  /** The skipped HTTP rule with why each of its matches failed. */
  private explainSkipped(vs: IndexedVirtualService, fr: FlatHttpRoute): SkippedRule {
    const reasons: string[] = [];
    if (fr.dropped) reasons.push(fr.dropped);
    fr.matches?.forEach((m, i) => {
      const why: string[] = [];
      evaluateHttpMatch(m, this.ctx!, why);
      reasons.push(`match[${i}] (${describeHttpMatch(m)}): ${why.join('; ')}`);
    });
    return {
      virtualService: vs.key,
      rule: `http[${fr.rule}]`,
      ...(fr.delegate && fr.delegate.rule >= 0 ? { delegateRule: `${fr.delegate.key} http[${fr.delegate.rule}]` } : {}),
      reasons,
    };
  }

  private httpOutcome(vs: IndexedVirtualService, fr: FlatHttpRoute, hit: CompiledHttpMatch | null, ctx: RequestContext): RoutingDecision {
    const route = fr.route;
    const result: FinishParams = {
      outcome: RouteOutcome.ROUTED,
      destinations: [],
      port: ctx.port,
      virtualService: vs,
      rule: fr.name,
      ruleIndex: fr.rule,
      flat: fr,
      actions: fr.actions.rewrite === undefined ? fr.actions : { ...fr.actions, rewrittenUri: rewrittenUri(route.rewrite, hit, ctx) },
    };
    if (hit) this.notes.push(() => `matched match[${fr.matches!.indexOf(hit)}] (${describeHttpMatch(hit)})`);
    if (isObject(route.redirect)) {
      const r = route.redirect;
      const scheme = typeof r.scheme === 'string' && r.scheme !== '' ? r.scheme : ctx.scheme;
      let authority = typeof r.authority === 'string' && r.authority !== '' ? r.authority : ctx.authority;
      const redirectPort = typeof r.port === 'number' ? r.port : r.derivePort === 'FROM_REQUEST_PORT' ? ctx.port : undefined;
      if (redirectPort !== undefined && !((redirectPort === 80 && scheme === 'http') || (redirectPort === 443 && scheme === 'https'))) {
        authority = `${authority.replace(/:\d+$/, '')}:${redirectPort}`;
      }
      const uri = this.req.uri ?? '/';
      const q = uri.indexOf('?');
      const path = typeof r.uri === 'string' && r.uri !== '' ? r.uri : q < 0 ? uri : uri.slice(0, q);
      const query = q >= 0 && !path.includes('?') ? uri.slice(q) : '';
      result.outcome = RouteOutcome.REDIRECTED;
      return this.finish(
        Object.assign(result, {
          redirect: {
            status: typeof r.redirectCode === 'number' ? r.redirectCode : 301,
            location: `${scheme}://${authority}${path}${query}`,
            spec: r,
          },
        }),
      );
    }
    if (isObject(route.directResponse)) {
      const d = route.directResponse;
      const body = isObject(d.body)
        ? typeof d.body.string === 'string'
          ? d.body.string
          : typeof d.body.bytes === 'string'
            ? Buffer.from(d.body.bytes, 'base64').toString('utf8')
            : undefined
        : undefined;
      result.outcome = RouteOutcome.DIRECT_RESPONSE;
      result.directResponse = { status: typeof d.status === 'number' ? d.status : 200, ...(body !== undefined ? { body } : {}) };
      return this.finish(result);
    }
    const destinations = this.weighted(route, arr(route.route), fr.namespace, ctx.port);
    const mirrors: MirrorOutcome[] = [];
    if (route.mirror !== undefined && isObject(route.mirror)) {
      const pct =
        typeof route.mirrorPercentage?.value === 'number'
          ? route.mirrorPercentage.value
          : typeof route.mirrorPercent === 'number'
            ? route.mirrorPercent
            : 100;
      mirrors.push({ destination: this.destination(route.mirror, fr.namespace, ctx.port, 0, 0), percentage: pct });
    }
    for (const m of route.mirrors === undefined ? NONE : arr(route.mirrors)) {
      if (!isObject(m?.destination)) continue;
      mirrors.push({
        destination: this.destination(m.destination, fr.namespace, ctx.port, 0, 0),
        percentage: typeof m.percentage?.value === 'number' ? m.percentage.value : 100,
      });
    }
    if (destinations.length === 0) {
      this.notes.push(() => 'the matching rule has no destination, redirect or direct response: Envoy answers 404');
      result.outcome = RouteOutcome.NO_ROUTE;
    }
    result.destinations = destinations;
    result.mirrors = mirrors;
    return this.finish(result);
  }

  private decideL4(
    vss: readonly IndexedVirtualService[],
    ctx: RequestContext,
    fqdn: string,
    provider: HostProvider | undefined,
  ): RoutingDecision {
    const tls = this.protocol === RequestProtocol.TLS;
    const section = tls ? 'tls' : 'tcp';
    for (const vs of vss) {
      const rules = tls ? vs.tls : vs.tcp;
      for (let i = 0; i < rules.length; i++) {
        const matches = arr(rules[i].match).filter(isObject);
        const reasons: string[] = [];
        let ok = matches.length === 0;
        if (tls && matches.length === 0) reasons.push('a TLS rule without match applies to nothing');
        for (let j = 0; j < matches.length && !ok; j++) {
          const why = l4Mismatch(matches[j], vs.ref.namespace, ctx, tls);
          if (why === undefined) ok = true;
          else reasons.push(`match[${j}]: ${why}`);
        }
        if (ok) {
          return this.finish({
            outcome: RouteOutcome.ROUTED,
            port: ctx.port,
            virtualService: vs,
            rule: `${section}[${i}]`,
            ruleIndex: i,
            destinations: this.weighted(rules[i], arr(rules[i].route), vs.ref.namespace, ctx.port),
          });
        }
        this.skipped.push({ virtualService: vs.key, rule: `${section}[${i}]`, reasons });
      }
    }
    if (provider && !this.gatewayKey) {
      this.notes.push(() => `no ${section} rule of ${vss.map((v) => v.key).join(', ')} matches: default routing to ${kindName(provider)}`);
      return this.finish({
        outcome: RouteOutcome.ROUTED,
        port: ctx.port,
        destinations: [this.destination({ host: fqdn }, provider.ref.namespace, ctx.port, 100, 0)],
      });
    }
    this.notes.push(() => `no ${section} rule matches`);
    return this.finish({ outcome: RouteOutcome.BLACKHOLE, port: ctx.port, destinations: [] });
  }

  // ---- destinations -----------------------------------------------------------------------------

  private weighted(owner: object, routes: any[], namespace: string, port: number): RoutedDestination[] {
    // A route's destinations depend only on the caller's namespace and the port: resolved once each.
    let byCaller = this.index.routeCache.get(owner);
    if (!byCaller) {
      byCaller = new Map();
      this.index.routeCache.set(owner, byCaller);
    }
    let cached = byCaller.get(this.namespace);
    if (!cached || cached.port !== port) {
      const list = routes.filter((r) => isObject(r) && isObject(r.destination));
      const weights = list.map((r) => (typeof r.weight === 'number' && r.weight > 0 ? r.weight : 0));
      const total = weights.reduce((a, b) => a + b, 0);
      const destinations = list.map((r, i) => {
        const share = list.length === 1 ? 100 : total > 0 ? (weights[i] * 100) / total : 0;
        return this.destination(r.destination, namespace, port, share, weights[i]);
      });
      cached = { port, destinations };
      byCaller.set(this.namespace, cached);
    }
    return cached.destinations.slice();
  }

  private destination(dest: any, namespace: string, listenerPort: number, weight: number, configuredWeight: number): RoutedDestination {
    // Resolution depends only on these; meshes route many requests to few destinations.
    const key = `${this.namespace}|${namespace}|${dest.host}|${dest.subset}|${dest.port?.number}|${listenerPort}`;
    let resolved = this.index.destinationCache.get(key);
    if (!resolved) {
      resolved = this.resolveDestination(dest, namespace, listenerPort);
      this.index.destinationCache.set(key, resolved);
    }
    return { ...resolved, weight, configuredWeight };
  }

  private resolveDestination(dest: any, namespace: string, listenerPort: number): Omit<RoutedDestination, 'weight' | 'configuredWeight'> {
    const host = hostFqdn(String(dest.host ?? ''), namespace);
    const subset = typeof dest.subset === 'string' && dest.subset !== '' ? dest.subset : undefined;
    const provider = this.index.providers(host, this.namespace)[0];
    const port =
      typeof dest.port?.number === 'number' ? dest.port.number : provider?.ports.length === 1 ? provider.ports[0].number : listenerPort;
    const selector: { [k: string]: string } = {};
    let problem: string | undefined;
    let destinationRule: string | undefined;
    let selects = false;
    if (!provider) {
      problem = `no Service or ServiceEntry declares ${host} (visible from ${this.namespace}): Envoy has no cluster for it and answers 503`;
    } else if (provider.ref.kind === 'Service') {
      const sel = provider.ref.spec.selector;
      if (isObject(sel) && Object.keys(sel).length > 0) {
        for (const [k, v] of entries(sel)) selector[k] = String(v);
        selects = true;
      } else {
        problem = `Service ${provider.ref.namespace}/${provider.ref.name} has no selector: its endpoints are not managed by the mesh manifests`;
      }
    } else if (provider.workloadSelector) {
      for (const [k, v] of entries(provider.workloadSelector)) selector[k] = String(v);
      selects = true;
    }
    if (subset) {
      const dr = this.index.destinationRule(host, this.namespace, provider?.ref.namespace);
      const def = dr ? arr(dr.spec.subsets).find((s) => isObject(s) && s.name === subset) : undefined;
      if (!def) {
        problem = `no DestinationRule defines subset ${subset} for ${host}${dr ? ` (${dr.namespace}/${dr.name} applies and lacks it)` : ''}: Envoy has no cluster for it and answers 503`;
      } else {
        destinationRule = `${dr!.namespace}/${dr!.name}`;
        for (const [k, v] of entries(def.labels)) selector[k] = String(v);
      }
    }
    const workloads = provider && selects && !problem ? this.index.workloadsMatching(provider.ref.namespace, selector) : [];
    if (!problem && selects && workloads.length === 0) {
      problem = `no workload in ${provider!.ref.namespace} carries ${Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')}: no endpoint, Envoy answers 503`;
    }
    return {
      host,
      ...(subset ? { subset } : {}),
      port,
      ...(provider ? { service: kindName(provider) } : {}),
      ...(destinationRule ? { destinationRule } : {}),
      selector,
      workloads,
      ...(problem ? { problem } : {}),
    };
  }

  private finish(p: FinishParams): RoutingDecision {
    const r = this.req;
    const delegate = p.flat?.delegate && p.flat.delegate.rule >= 0 ? p.flat.delegate : undefined;
    const skipped = this.skipped;
    const notes = this.notes;
    return RoutingDecision._lazy(
      {
        request: {
          host: r.host,
          port: p.port,
          protocol: this.protocol,
          scheme: r.scheme ?? 'http',
          method: r.method ?? 'GET',
          uri: r.uri ?? '/',
          headers: r.headers ?? {},
          queryParams: r.queryParams ?? {},
          sni: r.sni ?? this.host,
          sourceNamespace: this.namespace,
          sourceLabels: r.sourceLabels ?? {},
          gateway: this.gatewayKey ?? null,
        },
        outcome: p.outcome,
        virtualService: p.virtualService?.key,
        virtualServiceSource: p.virtualService?.source,
        rule: p.rule,
        ruleIndex: p.ruleIndex,
        delegateVirtualService: delegate?.key,
        delegateRuleIndex: delegate?.rule,
        delegateSpec: p.flat?.delegate?.spec,
        destinations: p.destinations,
        redirect: p.redirect,
        directResponse: p.directResponse,
        mirrors: p.mirrors ?? [],
        actions: p.actions ?? {},
      },
      () => ({
        skipped: skipped.map((x) => ('fr' in x ? this.explainSkipped(x.vs, x.fr) : x)),
        notes: notes.map((n) => n()),
      }),
    );
  }
}

function kindName(p: HostProvider): string {
  return `${p.ref.kind} ${p.ref.namespace}/${p.ref.name}`;
}

/** Why an L4 (TCP or TLS) match does not apply, or undefined when it does. */
function l4Mismatch(m: any, namespace: string, ctx: RequestContext, tls: boolean): string | undefined {
  // Unlike HTTP matches, Istio ANDs every source condition of a TCP/TLS match (pilot's matchTCP/matchTLS).
  const compiled = compileHttpMatch(
    { port: m.port, gateways: m.gateways, sourceLabels: m.sourceLabels, sourceNamespace: m.sourceNamespace },
    namespace,
  );
  const source =
    sourceMismatch({ ...compiled, gateways: [] }, ctx) ??
    (compiled.gateways.length > 0 && !compiled.gateways.includes(ctx.gatewayName)
      ? `applies to gateways ${compiled.gateways.join(', ')}, not ${ctx.gatewayName}`
      : undefined);
  if (source) return source;
  if (arr(m.destinationSubnets).length > 0) return 'destinationSubnets are not simulated (the request has no destination address)';
  if (tls) {
    const sni = arr(m.sniHosts)
      .filter((h) => typeof h === 'string')
      .map((h) => hostFqdn(h, namespace));
    if (!sni.some((h) => hostCovers(h, ctx.sni))) return `SNI ${ctx.sni} is not one of ${sni.join(', ')}`;
  }
  return undefined;
}

/** The path the destination receives after `rewrite`. */
function rewrittenUri(rewrite: any, hit: CompiledHttpMatch | null, ctx: RequestContext): string | undefined {
  if (!isObject(rewrite)) return undefined;
  const path = ctx.path;
  if (isObject(rewrite.uriRegexRewrite) && typeof rewrite.uriRegexRewrite.match === 'string') {
    const re = compileRe2(rewrite.uriRegexRewrite.match);
    if (!re) return undefined;
    // Envoy's substitution writes groups as \1; re2js as $1.
    return re.matcher(path).replaceAll(String(rewrite.uriRegexRewrite.rewrite ?? '').replace(/\\(\d)/g, '$$$1'));
  }
  if (typeof rewrite.uri !== 'string' || rewrite.uri === '') return undefined;
  const uri = hit?.uri;
  // Envoy's prefix_rewrite swaps the matched prefix; an exact or regex match covers the whole path, no uri match the leading '/'.
  const matched = uri?.kind === 'prefix' ? uri.value.length : uri && uri.kind !== 'present' ? path.length : 1;
  return rewrite.uri + path.slice(matched);
}
