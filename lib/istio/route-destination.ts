import { VirtualServiceSpecHttpRouteDestination } from '../../imports/istio-types';
import { checkInteger } from './field-checks';
import { FieldPath } from './field-path';

/** Something traffic can be routed to: a Service, a ServiceEntry host, a DestinationRule's host. */
export interface IDestinationHost {
  /** The host as written in `destination.host` (`addedvalues`, `api.example.com`). */
  readonly host: string;
}

/** Options of a {@link RouteDestination}. */
export interface RouteDestinationOptions {
  /**
   * Name of a subset defined by a DestinationRule for the host.
   * @default - no subset: any endpoint of the host
   */
  readonly subset?: string;

  /**
   * Port on the host; required when the host exposes more than one port.
   * @default - the host's only port
   */
  readonly port?: number;
}

/**
 * Where a route sends traffic: a host, optionally narrowed to a subset and a port.
 *
 * Typed references (`destinationRule.destination('v3')`, `versionedService.destination('v3')`)
 * return one that already knows its host and subset; `RouteDestination.toHost()` accepts
 * a raw host for services outside the app.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#Destination
 */
export class RouteDestination {
  /** A destination given by its host name. */
  public static toHost(host: string, options: RouteDestinationOptions = {}): RouteDestination {
    return new RouteDestination(host, options);
  }

  /** A destination on the host of a typed target (a DestinationRule, a VersionedService, ...). */
  public static to(target: IDestinationHost, options: RouteDestinationOptions = {}): RouteDestination {
    return new RouteDestination(target.host, options);
  }

  /** Destination host. */
  public readonly host: string;
  /**
   * Subset name.
   * @default - none
   */
  public readonly subset?: string;
  /**
   * Port number.
   * @default - none
   */
  public readonly port?: number;

  private constructor(host: string, options: RouteDestinationOptions) {
    this.host = host;
    this.subset = options.subset;
    this.port = options.port;
  }

  /** A copy of this destination on another port. */
  public withPort(port: number): RouteDestination {
    return new RouteDestination(this.host, { subset: this.subset, port });
  }

  /**
   * Renders the destination at `at` (`spec.http[0].route[1].destination`); the owner's rule book
   * checks host, subset and port.
   * @internal
   */
  public _toKube(at: FieldPath = FieldPath.of('RouteDestination').at('destination')): VirtualServiceSpecHttpRouteDestination {
    if (this.port !== undefined) checkInteger(at.at('port').at('number'), this.port, 4294967295, 0);
    return { host: this.host, subset: this.subset, port: this.port === undefined ? undefined : { number: this.port } };
  }
}

/** A gateway a VirtualService binds to. {@link Gateway} implements it. */
export interface IGatewayRef {
  /** The reference as written in `gateways` (`mesh`, `yunqi-gateway`, `istio-system/ingress`). */
  readonly gatewayName: string;
}

/** References to gateways that are not constructs of this app. */
export class GatewayRef implements IGatewayRef {
  /** The reserved gateway `mesh`: all sidecars of the mesh. */
  public static readonly MESH: IGatewayRef = new GatewayRef('mesh');

  /**
   * A gateway by name: `name` (same namespace) or `namespace/name`. The VirtualService that
   * uses it checks the name (Istio's rules for gateway references).
   */
  public static fromName(name: string): IGatewayRef {
    return new GatewayRef(name);
  }

  private constructor(public readonly gatewayName: string) {}
}

/**
 * A delegate VirtualService an HTTP route hands its traffic to (`http[].delegate`).
 * {@link DelegateVirtualService} implements it.
 */
export interface IVirtualServiceDelegate {
  /** Name of the delegate VirtualService. */
  readonly delegateName: string;

  /**
   * Namespace of the delegate VirtualService.
   * @default - the root VirtualService's namespace
   */
  readonly delegateNamespace?: string;
}

/** References to delegate VirtualServices that are not constructs of this app. */
export class DelegateRef implements IVirtualServiceDelegate {
  /**
   * A delegate VirtualService by name, optionally in another namespace. Its rules are checked
   * where it is defined, not here.
   */
  public static fromName(name: string, namespace?: string): IVirtualServiceDelegate {
    return new DelegateRef(name, namespace);
  }

  private constructor(
    public readonly delegateName: string,
    public readonly delegateNamespace?: string,
  ) {}
}
