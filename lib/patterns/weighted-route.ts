import { Construct } from 'constructs';
import { describe, fail, onBehalfOf } from '../kinds/errors';
import { IGatewayRef } from '../istio/route-destination';
import { VirtualService } from '../istio/virtual-service';
import { PatternMetadataOptions, RouteBehaviorOptions } from './pattern-options';
import { hasRouteBehavior, patternMetadata, routeBehavior } from './pattern-support';
import { IVersionedDestination } from './versioned-destination';

/** The share of traffic one version gets. */
export interface VersionWeight {
  /** Version (subset) name. */
  readonly version: string;
  /** Relative weight, a non-negative integer; 0 keeps the version listed without traffic. */
  readonly weight: number;
}

/** The kind of traffic a {@link WeightedRoute} splits. */
export enum WeightedRouteProtocol {
  /** HTTP requests (an `http` route). */
  HTTP = 'HTTP',
  /** TCP connections (a `tcp` route), as in Istio's TCP traffic shifting task. */
  TCP = 'TCP',
}

/**
 * Properties of a {@link WeightedRoute}. Timeout, retries, fault and mirrors apply to HTTP
 * routes only.
 */
export interface WeightedRouteProps extends RouteBehaviorOptions, PatternMetadataOptions {
  /** The service whose versions share the traffic. */
  readonly service: IVersionedDestination;

  /**
   * Versions and their weights. Weights are relative (Istio 1.15 and later): they need not add
   * up to 100, but their total must be above 0.
   */
  readonly weights: VersionWeight[];

  /**
   * Name of the VirtualService.
   * @default - the service host
   */
  readonly name?: string;

  /**
   * Gateways the route applies to.
   * @default - the mesh (sidecars) only
   */
  readonly gateways?: IGatewayRef[];

  /**
   * HTTP requests or TCP connections.
   * @default WeightedRouteProtocol.HTTP
   */
  readonly protocol?: WeightedRouteProtocol;

  /**
   * Split only the traffic addressed to this port (the route matches on it): the service's port
   * for mesh traffic, the gateway's port for traffic through a gateway.
   * @default - any port
   */
  readonly port?: number;

  /**
   * Port of the service the versions receive the traffic on; needed when the service has several.
   * @default - the service's only port
   */
  readonly servicePort?: number;
}

/**
 * Splits a service's traffic between versions by weight: a canary step such as
 * v1/v2 at 50/50, then v1 at 0 and v2 at 100. Versions at weight 0 stay listed, so the next
 * step is a change of numbers only. HTTP by default, or TCP connections.
 */
export class WeightedRoute extends Construct {
  /** The VirtualService. */
  public readonly virtualService: VirtualService;

  public constructor(scope: Construct, id: string, props: WeightedRouteProps) {
    super(scope, id);
    const name = props.name ?? props.service.host;
    const self = describe('WeightedRoute', name);
    if (props.weights.length === 0) fail(self, 'weights', [], 'must list at least one version');
    // Stricter than Istio, which accepts the same destination twice. The weights themselves
    // (integers >= 0, a total above 0) are the CRD schema's and the rule book's to judge.
    props.weights.forEach((w, i) => {
      const twin = props.weights.findIndex((x) => x.version === w.version);
      if (twin !== i) fail(self, `weights[${i}].version`, w.version, `is already weighted by weights[${twin}]`);
    });
    const tcp = props.protocol === WeightedRouteProtocol.TCP;
    if (tcp && hasRouteBehavior(props)) {
      fail(self, 'protocol', props.protocol, 'cannot take timeout, retries, fault or mirrors (HTTP settings)', 'drop them or use HTTP');
    }
    const port = props.port;
    const servicePort = props.servicePort;
    const route = props.weights.map((w, i) => ({
      destination: onBehalfOf(self, `weights[${i}].version`, () =>
        props.service.destination(w.version, servicePort === undefined ? {} : { port: servicePort }),
      ),
      weight: w.weight,
    }));
    const match = port === undefined ? undefined : [{ port }];
    this.virtualService = new VirtualService(this, 'Resource', {
      metadata: patternMetadata(name, props),
      hosts: [props.service.host],
      gateways: props.gateways,
      http: tcp ? undefined : [{ match, route, ...routeBehavior(props) }],
      tcp: tcp ? [{ match, route }] : undefined,
    });
  }
}
