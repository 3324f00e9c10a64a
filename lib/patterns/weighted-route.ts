import { Construct } from 'constructs';
import { describe, fail } from '../kinds/errors';
import { IGatewayRef } from '../istio/route-destination';
import { VirtualService } from '../istio/virtual-service';
import { IVersionedDestination } from './versioned-destination';

/** The share of traffic one version gets. */
export interface VersionWeight {
  /** Version (subset) name. */
  readonly version: string;
  /** Relative weight, a non-negative integer; 0 keeps the version listed without traffic. */
  readonly weight: number;
}

/** Properties of a {@link WeightedRoute}. */
export interface WeightedRouteProps {
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
}

/**
 * Splits a service's traffic between versions by weight: a canary step such as
 * v1/v2 at 50/50, then v1 at 0 and v2 at 100. Versions at weight 0 stay listed, so the next
 * step is a change of numbers only.
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

    this.virtualService = new VirtualService(this, 'Resource', {
      metadata: { name },
      hosts: [props.service.host],
      gateways: props.gateways,
      http: [{ route: props.weights.map((w) => ({ destination: props.service.destination(w.version), weight: w.weight })) }],
    });
  }
}
