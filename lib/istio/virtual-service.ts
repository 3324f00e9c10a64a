import { Construct } from 'constructs';
import {
  VirtualServiceSpec,
  VirtualServiceSpecTcp,
  VirtualServiceSpecTcpRoute,
  VirtualServiceSpecTls,
  VirtualServiceSpecTlsMatch,
} from '../../imports/istio-types';
import { Problem } from '../kinds/problem';
import { NO_ROUTES_RULE } from '../kinds/virtual-service';
import { FieldPath } from './field-path';
import { HttpRoute, HttpRouteOptions } from './http-route';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { IGatewayRef, RouteDestination } from './route-destination';

const MESH = 'mesh';

/** Properties of a {@link VirtualService}. */
export interface VirtualServiceProps extends IstioResourceProps {
  /**
   * Hosts the routing rules apply to: short service names (`reviews`), FQDNs, or
   * wildcards (`*.example.com`; `*` only when bound to gateways, not to the mesh). At least one:
   * a VirtualService without hosts is a delegate, which is its own construct,
   * {@link DelegateVirtualService} (stricter than Istio, which tells them apart by the empty list).
   * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService
   */
  readonly hosts: string[];

  /**
   * Gateways (and/or `GatewayRef.MESH`) the rules apply to.
   * @default - the mesh only (all sidecars)
   */
  readonly gateways?: IGatewayRef[];

  /**
   * HTTP routes. More can be added with `addHttpRoute()`.
   * @default - none; at least one HTTP or TCP route is required before synth
   */
  readonly http?: HttpRouteOptions[];

  /**
   * TCP routes. More can be added with `addTcpRoute()`.
   * @default - none
   */
  readonly tcp?: TcpRouteOptions[];

  /**
   * TLS routes (passthrough traffic routed on SNI). More can be added with `addTlsRoute()`.
   * @default - none
   */
  readonly tls?: TlsRouteOptions[];

  /**
   * Namespaces that see this VirtualService: `.` (own namespace), `*` (all), or namespace names.
   * @default - all namespaces (the mesh default)
   */
  readonly exportTo?: string[];
}

/** Conditions shared by TCP and TLS match blocks. */
export interface L4MatchOptions {
  /**
   * Port the connection was addressed to.
   * @default - any port
   */
  readonly port?: number;

  /**
   * Destination IPs or CIDRs (`10.1.0.0/16`).
   * @default - any address
   */
  readonly destinationSubnets?: string[];

  /**
   * Labels the calling workload must carry.
   * @default - any workload
   */
  readonly sourceLabels?: { [key: string]: string };

  /**
   * Namespace of the calling workload. Istio's webhook does not check it on TCP and TLS matches,
   * and neither does this library.
   * @default - any namespace
   */
  readonly sourceNamespace?: string;

  /**
   * Gateways this match applies to; overrides the VirtualService's `gateways`.
   * @default - the VirtualService's gateways
   */
  readonly gateways?: IGatewayRef[];
}

/** One match block of a TCP route. */
export interface TcpMatchOptions extends L4MatchOptions {
  /**
   * Source IP or CIDR of the connection (`10.0.0.0/8`). Istio does not check the value at
   * admission; the proxy ignores a value it cannot parse.
   * @default - any source
   */
  readonly sourceSubnet?: string;
}

/** One match block of a TLS route: the SNI hosts, and optionally the L4 conditions. */
export interface TlsMatchOptions extends L4MatchOptions {
  /**
   * SNI names the client sent (`api.example.com`, `*.example.com`); at least one, each covered
   * by the VirtualService's hosts.
   */
  readonly sniHosts: string[];
}

/** One weighted destination of a TCP or TLS route. */
export interface TcpRouteDestinationOptions {
  /** Where the connection goes. */
  readonly destination: RouteDestination;

  /**
   * Relative weight (non-negative integer).
   * @default - omitted: a single destination receives all connections
   */
  readonly weight?: number;
}

/** Properties of one TCP route. */
export interface TcpRouteOptions {
  /**
   * Match blocks; the route applies when any matches.
   * @default - none: all connections
   */
  readonly match?: TcpMatchOptions[];

  /** Weighted destinations; at least one. */
  readonly route: TcpRouteDestinationOptions[];
}

/**
 * Properties of one TLS route: unterminated TLS (passthrough) routed on its SNI.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#TLSRoute
 */
export interface TlsRouteOptions {
  /** Match blocks (at least one); the route applies when any matches. */
  readonly match: TlsMatchOptions[];

  /** Weighted destinations; at least one. */
  readonly route: TcpRouteDestinationOptions[];
}

/**
 * An Istio `VirtualService`: routing rules for traffic addressed to a set of hosts,
 * applied by sidecars (the mesh) and/or gateways.
 *
 * Routes with a match are rendered first, in the order they were added, followed by
 * the catch-all route (the one without a match), so a catch-all added early never
 * hides later rules. Errors name a route by its index in the rendered `spec.http`.
 *
 * Istio's admission rules are checked when the VirtualService is constructed and whenever a
 * route is added; a VirtualService without any route is reported at synth.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export class VirtualService extends IstioResource {
  private readonly _hosts: string[];
  private readonly _gateways: IGatewayRef[];
  private readonly _exportTo?: string[];
  private readonly _http: HttpRoute[] = [];
  private readonly _tcp: TcpRouteOptions[] = [];
  private readonly _tls: TlsRouteOptions[] = [];

  public constructor(scope: Construct, id: string, props: VirtualServiceProps) {
    super(scope, id, 'VirtualService', props);
    if (props.hosts.length === 0 && !this._isDelegate) {
      this._specPath
        .at('hosts')
        .fail(props.hosts, 'must list at least one host', "e.g. hosts: ['reviews']; for a delegate, use DelegateVirtualService");
    }
    this._gateways = uniqueRefs(props.gateways ?? []);
    this._hosts = [...props.hosts];
    this._exportTo = props.exportTo === undefined ? undefined : [...props.exportTo];
    for (const route of props.http ?? []) this.addHttpRoute(route);
    for (const route of props.tcp ?? []) this.addTcpRoute(route);
    for (const route of props.tls ?? []) this.addTlsRoute(route);
    this.node.addValidation({ validate: () => this.validateCatchAll() });
    this._constructed();
  }

  /** The hosts (a copy). */
  public get hosts(): string[] {
    return [...this._hosts];
  }

  /** The gateway names as written in `gateways` (empty when bound to the mesh only). */
  public get gateways(): string[] {
    return this._gateways.map((g) => g.gatewayName);
  }

  /** The HTTP routes in the order they were added (a copy). */
  public get httpRoutes(): HttpRoute[] {
    return [...this._http];
  }

  /** True when sidecars apply these rules: no gateways, or `mesh` among them. */
  public get appliesToMesh(): boolean {
    return this._gateways.length === 0 || this._gateways.some((g) => g.gatewayName === MESH);
  }

  /**
   * Adds an HTTP route and returns it. Errors in the options throw at once (and the route is
   * not added); a second catch-all route is reported at synth.
   */
  public addHttpRoute(options: HttpRouteOptions): HttpRoute {
    const route = HttpRoute._create(options);
    this._addChecked(this._http, route);
    return route;
  }

  /** Adds a TCP route. Errors in the options throw at once (and the route is not added). */
  public addTcpRoute(options: TcpRouteOptions): void {
    const copy: TcpRouteOptions = {
      match: options.match?.map((m) => ({ ...m })),
      route: (options.route ?? []).map((r) => ({ ...r })),
    };
    this._addChecked(this._tcp, copy);
  }

  /** Adds a TLS route. Errors in the options throw at once (and the route is not added). */
  public addTlsRoute(options: TlsRouteOptions): void {
    const copy: TlsRouteOptions = {
      match: (options.match ?? []).map((m) => ({ ...m, sniHosts: [...(m.sniHosts ?? [])] })),
      route: (options.route ?? []).map((r) => ({ ...r })),
    };
    this._addChecked(this._tls, copy);
  }

  /** True for a {@link DelegateVirtualService}, which has no hosts. @internal */
  protected get _isDelegate(): boolean {
    return false;
  }

  /** @internal */
  protected _toSpec(): VirtualServiceSpec {
    const at = this._specPath;
    return {
      hosts: this._hosts.length > 0 ? [...this._hosts] : undefined,
      gateways: this._gateways.length > 0 ? this.gateways : undefined,
      http: this._http.length > 0 ? this.renderedHttpOrder().map((r, i) => r._toKube(at.at('http').item(i))) : undefined,
      tls: this._tls.length > 0 ? this._tls.map((r, i) => renderTlsRoute(r, at.at('tls').item(i))) : undefined,
      tcp: this._tcp.length > 0 ? this._tcp.map((r, i) => renderTcpRoute(r, at.at('tcp').item(i))) : undefined,
      exportTo: this._exportTo ? [...this._exportTo] : undefined,
    };
  }

  /** A VirtualService without routes yet can still get one from `addHttpRoute()` or `addTcpRoute()`. @internal */
  protected _isCompletable(problem: Problem): boolean {
    return problem.path === 'spec' && problem.rule === NO_ROUTES_RULE;
  }

  // Catch-all routes go last so that rules with a match stay reachable.
  private renderedHttpOrder(): HttpRoute[] {
    return [...this._http.filter((r) => !r.isCatchAll), ...this._http.filter((r) => r.isCatchAll)];
  }

  // Stricter than Istio, which accepts the second catch-all (and warns that it is unreachable).
  private validateCatchAll(): string[] {
    const catchAll = this._http.filter((r) => r.isCatchAll).length;
    if (catchAll < 2) return [];
    const first = this._http.length - catchAll;
    return [
      `${this._describe}: spec.http[${first + 1}] is a second route without match (first: spec.http[${first}]); only one catch-all route can be reached, so give one of them a match`,
    ];
  }
}

function renderTcpRoute(o: TcpRouteOptions, at: FieldPath): VirtualServiceSpecTcp {
  const match = (o.match ?? []).map((m) => ({ ...renderL4Match(m), sourceSubnet: m.sourceSubnet }));
  return { match: match.length > 0 ? match : undefined, route: renderL4Destinations(o.route, at.at('route')) };
}

function renderTlsRoute(o: TlsRouteOptions, at: FieldPath): VirtualServiceSpecTls {
  const match = o.match.map((m) => ({ sniHosts: [...m.sniHosts], ...renderL4Match(m) }));
  return { match, route: renderL4Destinations(o.route, at.at('route')) };
}

// The schema checks ports and weights (integers in range); the rule book checks the rest.
function renderL4Match(m: L4MatchOptions): Omit<VirtualServiceSpecTlsMatch, 'sniHosts'> {
  const gateways = uniqueRefs(m.gateways ?? []).map((g) => g.gatewayName);
  return {
    port: m.port,
    destinationSubnets: m.destinationSubnets && m.destinationSubnets.length > 0 ? [...m.destinationSubnets] : undefined,
    sourceLabels: m.sourceLabels && Object.keys(m.sourceLabels).length > 0 ? { ...m.sourceLabels } : undefined,
    sourceNamespace: m.sourceNamespace,
    gateways: gateways.length > 0 ? gateways : undefined,
  };
}

function renderL4Destinations(route: TcpRouteDestinationOptions[], at: FieldPath): VirtualServiceSpecTcpRoute[] {
  return route.map((r, i) => ({ destination: r.destination._toKube(at.item(i).at('destination')), weight: r.weight }));
}

function uniqueRefs(refs: IGatewayRef[]): IGatewayRef[] {
  const seen = new Set<string>();
  return refs.filter((g) => {
    if (seen.has(g.gatewayName)) return false;
    seen.add(g.gatewayName);
    return true;
  });
}
