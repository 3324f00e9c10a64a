import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Gateway } from '../istio/gateway';
import { StringMatch } from '../istio/match';
import { IDestinationHost, RouteDestination } from '../istio/route-destination';
import { VirtualService } from '../istio/virtual-service';
import { describe, fail } from '../kinds/errors';
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
   * Hosts the gateway and the VirtualService accept. A host may carry the namespace prefix of
   * Gateway hosts (`./shop.example.com`, `*\/shop.example.com`, or the IngressRoute's own
   * namespace): the Gateway keeps it and the VirtualService lists the host alone.
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
    const namespace = props.namespace ?? Chart.of(this).namespace;
    this.gateway = new Gateway(this, 'Gateway', {
      metadata: patternMetadata(props.gatewayName ?? `${props.service.host}-gateway`, props),
      selector: props.selector,
      servers: [{ port: props.port ?? 80, hosts }],
    });
    this.virtualService = new VirtualService(this, 'VirtualService', {
      metadata: patternMetadata(name, props),
      hosts: virtualServiceHosts(describe('IngressRoute', name), hosts, namespace),
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

/**
 * The VirtualService's hosts for the Gateway's: a gateway host may name the namespaces whose
 * VirtualServices it admits (`./a.example.com`, `*\/a.example.com`, `prod/a.example.com`); the
 * VirtualService lists the host alone, once. A named namespace other than the VirtualService's
 * (when known) is refused: the gateway would not admit the route (Istio accepts both objects and
 * `istioctl analyze` reports the unbound route).
 */
function virtualServiceHosts(self: string, hosts: string[], namespace: string | undefined): string[] {
  const out: string[] = [];
  hosts.forEach((h, i) => {
    const slash = h.indexOf('/');
    const ns = slash < 0 ? undefined : h.slice(0, slash);
    if (ns !== undefined && ns !== '.' && ns !== '*' && namespace !== undefined && ns !== namespace) {
      fail(
        self,
        `hosts[${i}]`,
        h,
        `admits VirtualServices of namespace '${ns}' only, but the IngressRoute's VirtualService is in '${namespace}'`,
        `use './${h.slice(slash + 1)}', or set the IngressRoute's namespace to '${ns}'`,
      );
    }
    const host = h.slice(slash + 1);
    if (!out.includes(host)) out.push(host);
  });
  return out;
}
