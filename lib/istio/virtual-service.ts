import { Construct } from 'constructs';
import { VirtualServiceSpec, VirtualServiceSpecTcp } from '../../imports/istio-types';
import { Problem } from '../kinds/problem';
import { NO_ROUTES_RULE } from '../kinds/virtual-service';
import { checkInteger } from './field-checks';
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
   * stricter than Istio, where a VirtualService without hosts is a delegate, which this
   * construct does not model.
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
   * Namespaces that see this VirtualService: `.` (own namespace), `*` (all), or namespace names.
   * @default - all namespaces (the mesh default)
   */
  readonly exportTo?: string[];
}

/** One match block of a TCP route. */
export interface TcpMatchOptions {
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
   * Namespace of the calling workload. Istio's webhook does not check it on TCP matches, and
   * neither does this library.
   * @default - any namespace
   */
  readonly sourceNamespace?: string;

  /**
   * Gateways this match applies to; overrides the VirtualService's `gateways`.
   * @default - the VirtualService's gateways
   */
  readonly gateways?: IGatewayRef[];
}

/** One weighted destination of a TCP route. */
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

  public constructor(scope: Construct, id: string, props: VirtualServiceProps) {
    super(scope, id, 'VirtualService', props);
    if (props.hosts.length === 0) {
      this._specPath.at('hosts').fail(props.hosts, 'must list at least one host', "e.g. hosts: ['reviews']");
    }
    this._gateways = uniqueRefs(props.gateways ?? []);
    this._hosts = [...props.hosts];
    this._exportTo = props.exportTo === undefined ? undefined : [...props.exportTo];
    for (const route of props.http ?? []) this.addHttpRoute(route);
    for (const route of props.tcp ?? []) this.addTcpRoute(route);
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
    this.addChecked(this._http, route);
    return route;
  }

  /** Adds a TCP route. Errors in the options throw at once (and the route is not added). */
  public addTcpRoute(options: TcpRouteOptions): void {
    const copy: TcpRouteOptions = {
      match: options.match?.map((m) => ({ ...m })),
      route: (options.route ?? []).map((r) => ({ ...r })),
    };
    this.addChecked(this._tcp, copy);
  }

  /** @internal */
  protected _toSpec(): VirtualServiceSpec {
    const at = this._specPath;
    return {
      hosts: [...this._hosts],
      gateways: this._gateways.length > 0 ? this.gateways : undefined,
      http: this._http.length > 0 ? this.renderedHttpOrder().map((r, i) => r._toKube(at.at('http').item(i))) : undefined,
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

  // Adds an item, checks the object, and takes the item back out when it broke a rule.
  private addChecked<T>(list: T[], item: T): void {
    list.push(item);
    try {
      this._changed();
    } catch (e) {
      list.pop();
      throw e;
    }
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
  const match = (o.match ?? []).map((m, i) => {
    const f = at.at('match').item(i);
    if (m.port !== undefined) checkInteger(f.at('port'), m.port, 4294967295, 0);
    const gateways = uniqueRefs(m.gateways ?? []).map((g) => g.gatewayName);
    return {
      port: m.port,
      destinationSubnets: m.destinationSubnets && m.destinationSubnets.length > 0 ? [...m.destinationSubnets] : undefined,
      sourceLabels: m.sourceLabels && Object.keys(m.sourceLabels).length > 0 ? { ...m.sourceLabels } : undefined,
      sourceNamespace: m.sourceNamespace,
      gateways: gateways.length > 0 ? gateways : undefined,
    };
  });
  return {
    match: match.length > 0 ? match : undefined,
    route: o.route.map((r, i) => {
      const f = at.at('route').item(i);
      if (r.weight !== undefined) checkInteger(f.at('weight'), r.weight);
      return { destination: r.destination._toKube(f.at('destination')), weight: r.weight };
    }),
  };
}

function uniqueRefs(refs: IGatewayRef[]): IGatewayRef[] {
  const seen = new Set<string>();
  return refs.filter((g) => {
    if (seen.has(g.gatewayName)) return false;
    seen.add(g.gatewayName);
    return true;
  });
}
