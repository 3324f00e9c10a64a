import { Construct } from 'constructs';
import { Gateway } from '../istio/gateway';
import { StringMatch } from '../istio/match';
import { IDestinationHost, RouteDestination } from '../istio/route-destination';
import { VirtualService } from '../istio/virtual-service';
import { PatternMetadataOptions, RouteBehaviorOptions } from './pattern-options';
import { patternMetadata, routeBehavior } from './pattern-support';

/** Properties of an {@link IngressRoute}. Timeout, retries, fault and mirrors apply to its route. */
export interface IngressRouteProps extends RouteBehaviorOptions, PatternMetadataOptions {
  /** The service that receives the traffic (a VersionedService, or any destination host). */
  readonly service: IDestinationHost;

  /** Port of the service to send traffic to. */
  readonly servicePort: number;

  /**
   * URI matches exposed through the gateway, in order (`StringMatch.exact('/productpage')`, ...).
   * @default - none: every request the gateway accepts goes to the service
   */
  readonly uris?: StringMatch[];

  /**
   * Name of the Gateway.
   * @default - `<service host>-gateway`
   */
  readonly gatewayName?: string;

  /**
   * Name of the VirtualService bound to the gateway.
   * @default - `<service host>-ingress`, so it never collides with the mesh VirtualService of the service
   */
  readonly name?: string;

  /**
   * Labels of the ingress gateway pods.
   * @default { istio: 'ingressgateway' }
   */
  readonly selector?: { [key: string]: string };

  /**
   * Port the gateway listens on, for HTTP.
   * @default 80
   */
  readonly port?: number;

  /**
   * Hosts the gateway and the VirtualService accept.
   * @default ['*']
   */
  readonly hosts?: string[];
}

/**
 * Exposes URIs of one service at the edge of the mesh: a Gateway on the ingress gateway
 * and a VirtualService bound to it that sends the listed URIs to the service,
 * as the tutorial's `gateway.yaml`.
 */
export class IngressRoute extends Construct {
  /** The Gateway. */
  public readonly gateway: Gateway;
  /** The VirtualService bound to the gateway. */
  public readonly virtualService: VirtualService;

  public constructor(scope: Construct, id: string, props: IngressRouteProps) {
    super(scope, id);
    const name = props.name ?? `${props.service.host}-ingress`;
    const uris = props.uris ?? [];
    const hosts = props.hosts ?? ['*'];
    this.gateway = new Gateway(this, 'Gateway', {
      metadata: patternMetadata(props.gatewayName ?? `${props.service.host}-gateway`, props),
      selector: props.selector,
      servers: [{ port: props.port ?? 80, hosts }],
    });
    this.virtualService = new VirtualService(this, 'VirtualService', {
      metadata: patternMetadata(name, props),
      hosts,
      gateways: [this.gateway],
      http: [
        {
          match: uris.length > 0 ? uris.map((uri) => ({ uri })) : undefined,
          route: [{ destination: RouteDestination.to(props.service, { port: props.servicePort }) }],
          ...routeBehavior(props),
        },
      ],
    });
  }
}
