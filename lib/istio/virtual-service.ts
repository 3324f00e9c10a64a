import { Construct } from 'constructs';
import { fail } from '../kinds/errors';
import { checkExportTo, checkLabels } from './field-checks';
import { HttpRoute, HttpRouteOptions } from './http-route';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { IGatewayRef, RouteDestination } from './route-destination';
import { hostsOverlap, isDns1123Label, isIpAddress, isIpOrCidr, isJwtClaimHeader, isPort, isWildcardDomain } from '../kinds/fields';

const MESH = 'mesh';
const MAX_INT32 = 2147483647;

/** Properties of a {@link VirtualService}. */
export interface VirtualServiceProps extends IstioResourceProps {
  /**
   * Hosts the routing rules apply to: short service names (`reviews`), FQDNs, or
   * wildcards (`*.example.com`; `*` only when bound to gateways, not to the mesh).
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
   * Namespace of the calling workload.
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
 * hides later rules.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export class VirtualService extends IstioResource {
  private readonly _hosts: string[];
  private readonly _gateways: IGatewayRef[];
  private readonly _exportTo?: string[];
  private readonly _http: HttpRoute[] = [];
  private readonly _tcp: any[] = [];

  public constructor(scope: Construct, id: string, props: VirtualServiceProps) {
    super(scope, id, 'VirtualService', props);
    this._gateways = uniqueRefs(props.gateways ?? []);
    this._hosts = this.checkHosts(props.hosts);
    this._exportTo = props.exportTo === undefined ? undefined : checkExportTo(this._describe, props.exportTo, this.namespace, false);
    for (const route of props.http ?? []) this.addHttpRoute(route);
    for (const route of props.tcp ?? []) this.addTcpRoute(route);
    this.node.addValidation({ validate: () => this.validateRoutes() });
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
   * Adds an HTTP route and returns it. Errors in the options throw at once; a second
   * catch-all route is reported at synth.
   */
  public addHttpRoute(options: HttpRouteOptions): HttpRoute {
    const field = `spec.http[${this._http.length}]`;
    const route = HttpRoute._create(options, this._describe, field);
    if (this.appliesToMesh) {
      (options.match ?? []).forEach((m, i) => {
        for (const key of ['headers', 'withoutHeaders'] as const) {
          const claim = (m[key] ?? []).find((h) => isJwtClaimHeader(h.name));
          if (claim) {
            fail(
              this._describe,
              `${field}.match[${i}].${key}.${claim.name}`,
              claim.name,
              'routes on a JWT claim, which only gateways support, but this VirtualService applies to the mesh',
              'bind it to gateways only (gateways: [myGateway])',
            );
          }
        }
      });
    }
    this._http.push(route);
    return route;
  }

  /** Adds a TCP route. */
  public addTcpRoute(options: TcpRouteOptions): void {
    const field = `spec.tcp[${this._tcp.length}]`;
    const route = options.route ?? [];
    if (route.length === 0) fail(this._describe, `${field}.route`, [], 'must list at least one destination');
    route.forEach((r, i) => {
      if (r.weight !== undefined && !(Number.isInteger(r.weight) && r.weight >= 0 && r.weight <= MAX_INT32)) {
        fail(this._describe, `${field}.route[${i}].weight`, r.weight, 'must be an integer >= 0');
      }
    });
    if (route.length > 1 && route.reduce((s, r) => s + (r.weight ?? 0), 0) <= 0) {
      fail(
        this._describe,
        `${field}.route[].weight`,
        route.map((r) => r.weight ?? 0),
        'must add up to more than 0 when a route has several destinations',
      );
    }
    const match = (options.match ?? []).map((m, i) => {
      const f = `${field}.match[${i}]`;
      if (m.port !== undefined && !isPort(m.port)) fail(this._describe, `${f}.port`, m.port, 'must be an integer between 1 and 65535');
      (m.destinationSubnets ?? []).forEach((s, j) => {
        if (!isIpOrCidr(s)) fail(this._describe, `${f}.destinationSubnets[${j}]`, s, 'must be an IP address or a CIDR block');
      });
      checkLabels(this._describe, `${f}.sourceLabels`, m.sourceLabels ?? {});
      if (m.sourceNamespace !== undefined && !isDns1123Label(m.sourceNamespace)) {
        fail(this._describe, `${f}.sourceNamespace`, m.sourceNamespace, 'must be a DNS-1123 label (a namespace name)');
      }
      const gateways = uniqueRefs(m.gateways ?? []).map((g) => g.gatewayName);
      return {
        port: m.port,
        destinationSubnets: m.destinationSubnets && m.destinationSubnets.length > 0 ? [...m.destinationSubnets] : undefined,
        sourceLabels: m.sourceLabels && Object.keys(m.sourceLabels).length > 0 ? { ...m.sourceLabels } : undefined,
        sourceNamespace: m.sourceNamespace,
        gateways: gateways.length > 0 ? gateways : undefined,
      };
    });
    this._tcp.push({
      match: match.length > 0 ? match : undefined,
      route: route.map((r) => ({ destination: r.destination._toKube(), weight: r.weight })),
    });
  }

  /** @internal */
  protected _toSpec(): any {
    // Catch-all routes go last so that rules with a match stay reachable.
    const http = [...this._http.filter((r) => !r.isCatchAll), ...this._http.filter((r) => r.isCatchAll)];
    return {
      hosts: [...this._hosts],
      gateways: this._gateways.length > 0 ? this.gateways : undefined,
      http: http.length > 0 ? http.map((r) => r._toKube()) : undefined,
      tcp: this._tcp.length > 0 ? JSON.parse(JSON.stringify(this._tcp)) : undefined,
      exportTo: this._exportTo ? [...this._exportTo] : undefined,
    };
  }

  private validateRoutes(): string[] {
    const errors: string[] = [];
    if (this._http.length === 0 && this._tcp.length === 0) {
      errors.push(`${this._describe}: spec.http is empty; a VirtualService needs at least one route (call addHttpRoute())`);
    }
    const catchAll = this._http.map((r, i) => (r.isCatchAll ? i : -1)).filter((i) => i >= 0);
    if (catchAll.length > 1) {
      errors.push(
        `${this._describe}: spec.http[${catchAll[1]}] is a second route without match (first: spec.http[${catchAll[0]}]); only one catch-all route can be reached, so give one of them a match`,
      );
    }
    return errors;
  }

  private checkHosts(hosts: string[]): string[] {
    if (hosts.length === 0) {
      fail(this._describe, 'spec.hosts', hosts, 'must list at least one host', "e.g. hosts: ['reviews']");
    }
    hosts.forEach((host, i) => {
      if (!isWildcardDomain(host) && !isIpAddress(host)) {
        fail(
          this._describe,
          `spec.hosts[${i}]`,
          host,
          'is not a valid host (a short name like "reviews", an FQDN, or a wildcard like "*.example.com")',
        );
      }
      if (host === '*' && this.appliesToMesh) {
        fail(
          this._describe,
          `spec.hosts[${i}]`,
          host,
          "is not allowed when the VirtualService applies to the mesh (no gateways, or 'mesh' among them)",
          'bind it to a gateway or name the service hosts',
        );
      }
      for (let j = 0; j < i; j++) {
        if (hostsOverlap(hosts[j], host)) {
          fail(
            this._describe,
            `spec.hosts[${i}]`,
            host,
            `overlaps spec.hosts[${j}] ('${hosts[j]}')`,
            'list each host once and do not combine a wildcard with hosts it covers',
          );
        }
      }
    });
    return [...hosts];
  }
}

function uniqueRefs(refs: IGatewayRef[]): IGatewayRef[] {
  const seen = new Set<string>();
  return refs.filter((g) => {
    if (seen.has(g.gatewayName)) return false;
    seen.add(g.gatewayName);
    return true;
  });
}
