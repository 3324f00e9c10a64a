import { Construct } from 'constructs';
import { DestinationRule } from '../istio/destination-rule';
import { Gateway, GatewayProtocol, ServerTls } from '../istio/gateway';
import { GatewayRef, RouteDestination } from '../istio/route-destination';
import { ServiceEntry, ServiceEntryLocation, ServiceEntryResolution, ServicePortProtocol } from '../istio/service-entry';
import { ClientTls, TrafficPolicy } from '../istio/traffic-policy';
import { VirtualService } from '../istio/virtual-service';
import { PatternMetadataOptions } from './pattern-options';
import { externalHostName, patternMetadata } from './pattern-support';

/** How traffic to the external host crosses the egress gateway. */
export enum EgressMode {
  /** Plain HTTP from the application, through the gateway, to the host's HTTP port. */
  HTTP = 'HTTP',
  /**
   * Plain HTTP from the application; the egress gateway originates TLS to the host's HTTPS port
   * (the application no longer handles TLS, and the gateway can see the requests).
   */
  TLS_ORIGINATION = 'TLS_ORIGINATION',
  /** TLS originated by the application, routed through the gateway on SNI without terminating it. */
  TLS_PASSTHROUGH = 'TLS_PASSTHROUGH',
}

/** Properties of an {@link EgressGatewayRoute}. */
export interface EgressGatewayRouteProps extends PatternMetadataOptions {
  /** DNS name of the external host (`styletransfer.example.com`). */
  readonly host: string;

  /** How the traffic crosses the gateway. */
  readonly mode: EgressMode;

  /**
   * Base name of the objects: the ServiceEntry is `<name>`, the Gateway and the gateway's
   * DestinationRule `<name>-egressgateway`, the VirtualService `<name>-through-egressgateway`,
   * the TLS origination DestinationRule `<name>-tls-origination`.
   * @default - the host with dots replaced by dashes
   */
  readonly name?: string;

  /**
   * Labels of the egress gateway pods (the Gateway's selector, and the subset of the gateway's
   * DestinationRule).
   * @default { istio: 'egressgateway' }
   */
  readonly gatewaySelector?: { [key: string]: string };

  /**
   * Host of the egress gateway's Kubernetes Service, the destination of the mesh leg.
   * @default 'istio-egressgateway.istio-system.svc.cluster.local'
   */
  readonly gatewayServiceHost?: string;

  /**
   * Port of the external host for plain HTTP (modes HTTP and TLS_ORIGINATION), also the port the
   * egress gateway listens on.
   * @default 80
   */
  readonly httpPort?: number;

  /**
   * Port of the external host for TLS (modes TLS_ORIGINATION and TLS_PASSTHROUGH), also the port
   * the egress gateway listens on for passthrough.
   * @default 443
   */
  readonly tlsPort?: number;

  /**
   * With TLS_ORIGINATION: file (in the egress gateway) of the CA bundle that verifies the host's
   * certificate. The default is the system bundle of Istio's proxy image, so the certificate is
   * verified (Istio's task leaves it out, which istioctl reports as IST0129).
   * @default '/etc/ssl/certs/ca-certificates.crt'
   */
  readonly caCertificates?: string;
}

const EGRESS_SERVICE = 'istio-egressgateway.istio-system.svc.cluster.local';
const SYSTEM_CA = '/etc/ssl/certs/ca-certificates.crt';

/**
 * Sends mesh traffic for an external host through the egress gateway, as in Istio's
 * egress-gateway tasks: a ServiceEntry for the host, a Gateway on the egress gateway for it, a
 * DestinationRule with a subset for the egress gateway, and a VirtualService with two legs: from
 * the sidecars (`mesh`) to the egress gateway, and from the egress gateway to the host. With
 * TLS_ORIGINATION, a DestinationRule makes the gateway originate TLS to the host.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/
 */
export class EgressGatewayRoute extends Construct {
  /** The ServiceEntry of the external host. */
  public readonly serviceEntry: ServiceEntry;
  /** The Gateway on the egress gateway. */
  public readonly gateway: Gateway;
  /** The DestinationRule of the egress gateway, with the subset the mesh leg routes to. */
  public readonly gatewayDestinationRule: DestinationRule;
  /** The VirtualService with the two legs. */
  public readonly virtualService: VirtualService;
  /**
   * The DestinationRule that originates TLS at the gateway (TLS_ORIGINATION only).
   * @default - none
   */
  public readonly tlsOriginationRule?: DestinationRule;

  public constructor(scope: Construct, id: string, props: EgressGatewayRouteProps) {
    super(scope, id);
    const name = externalHostName('EgressGatewayRoute', props.host, props.name);
    const httpPort = props.httpPort ?? 80;
    const tlsPort = props.tlsPort ?? 443;
    const selector = props.gatewaySelector ?? { istio: 'egressgateway' };
    const metadata = (suffix: string) => patternMetadata(`${name}${suffix}`, props);
    const passthrough = props.mode === EgressMode.TLS_PASSTHROUGH;
    const originate = props.mode === EgressMode.TLS_ORIGINATION;

    this.serviceEntry = new ServiceEntry(this, 'ServiceEntry', {
      metadata: metadata(''),
      hosts: [props.host],
      ports: [
        ...(passthrough ? [] : [{ number: httpPort, name: 'http', protocol: ServicePortProtocol.HTTP }]),
        ...(passthrough || originate
          ? [
              passthrough
                ? { number: tlsPort, name: 'tls', protocol: ServicePortProtocol.TLS }
                : { number: tlsPort, name: 'https', protocol: ServicePortProtocol.HTTPS },
            ]
          : []),
      ],
      location: ServiceEntryLocation.MESH_EXTERNAL,
      resolution: ServiceEntryResolution.DNS,
    });
    const gatewayPort = passthrough ? tlsPort : httpPort;
    this.gateway = new Gateway(this, 'Gateway', {
      metadata: metadata('-egressgateway'),
      selector,
      servers: [
        passthrough
          ? { port: tlsPort, protocol: GatewayProtocol.TLS, hosts: [props.host], tls: ServerTls.passthrough() }
          : { port: httpPort, protocol: GatewayProtocol.HTTP, hosts: [props.host] },
      ],
    });
    const subset = name;
    this.gatewayDestinationRule = new DestinationRule(this, 'GatewayRule', {
      metadata: metadata('-egressgateway'),
      host: props.gatewayServiceHost ?? EGRESS_SERVICE,
      subsets: [{ name: subset, labels: { ...selector } }],
    });
    const toGateway = this.gatewayDestinationRule.destination(subset, { port: gatewayPort });
    const toHost = RouteDestination.to(this.serviceEntry, { port: originate ? tlsPort : gatewayPort });
    const mesh = { gateways: [GatewayRef.MESH], port: gatewayPort };
    const atGateway = { gateways: [this.gateway], port: gatewayPort };
    this.virtualService = new VirtualService(this, 'VirtualService', {
      metadata: metadata('-through-egressgateway'),
      hosts: [props.host],
      gateways: [GatewayRef.MESH, this.gateway],
      http: passthrough
        ? undefined
        : [
            { match: [mesh], route: [{ destination: toGateway }] },
            { match: [atGateway], route: [{ destination: toHost }] },
          ],
      tls: passthrough
        ? [
            { match: [{ ...mesh, sniHosts: [props.host] }], route: [{ destination: toGateway }] },
            { match: [{ ...atGateway, sniHosts: [props.host] }], route: [{ destination: toHost }] },
          ]
        : undefined,
    });
    if (originate) {
      this.tlsOriginationRule = new DestinationRule(this, 'TlsOrigination', {
        metadata: metadata('-tls-origination'),
        host: props.host,
        trafficPolicy: TrafficPolicy.of({
          portLevelSettings: [
            { port: tlsPort, tls: ClientTls.simple({ sni: props.host, caCertificates: props.caCertificates ?? SYSTEM_CA }) },
          ],
        }),
      });
    }
  }
}
