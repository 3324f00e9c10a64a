import { Construct } from 'constructs';
import { SidecarSpec, SidecarSpecEgress, SidecarSpecIngress } from '../../imports/istio-types';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { ServicePortProtocol } from './service-entry';

/** How a listener captures traffic. */
export enum SidecarCaptureMode {
  /** The default of the workload's environment. */
  DEFAULT = 'DEFAULT',
  /** Traffic redirected by iptables. */
  IPTABLES = 'IPTABLES',
  /** No capture: the application connects to the listener's bind address itself. */
  NONE = 'NONE',
}

/** What sidecars do with traffic to hosts outside the service registry. */
export enum OutboundTrafficPolicyMode {
  /** Only hosts of the registry (Services, ServiceEntries) are reachable. */
  REGISTRY_ONLY = 'REGISTRY_ONLY',
  /** Unknown hosts are passed through (Istio's default). */
  ALLOW_ANY = 'ALLOW_ANY',
}

/** The port of a Sidecar listener. */
export interface SidecarPortOptions {
  /** Port number (1..65535; 0 only with a unix socket `bind` on egress listeners). */
  readonly number: number;

  /**
   * Protocol on the port.
   * @default - detected by the proxy (protocol sniffing)
   */
  readonly protocol?: ServicePortProtocol;

  /**
   * Port name (a DNS-1123 label).
   * @default - none
   */
  readonly name?: string;
}

/** An egress listener: which hosts the workload's proxy knows about, on one port or on all. */
export interface SidecarEgressListenerOptions {
  /**
   * Hosts as `<namespace>/<host>`: `./*` (the Sidecar's own namespace), `istio-system/*`,
   * `*\/api.example.com`, `~/*` (none). At least one.
   */
  readonly hosts: string[];

  /**
   * The port the listener is on.
   * @default - none: the catch-all listener, which must be the last one
   */
  readonly port?: SidecarPortOptions;

  /**
   * Address (IP or `unix:///path`) the listener binds to.
   * @default - the proxy's choice
   */
  readonly bind?: string;

  /**
   * How traffic reaches the listener.
   * @default SidecarCaptureMode.DEFAULT
   */
  readonly captureMode?: SidecarCaptureMode;
}

/** An ingress listener: a port of the workload that inbound traffic arrives on. */
export interface SidecarIngressListenerOptions {
  /** The port inbound traffic arrives on. */
  readonly port: SidecarPortOptions;

  /**
   * Where the proxy forwards the traffic: `127.0.0.1:<port>`, `0.0.0.0:<port>`, `[::1]:<port>`,
   * `[::]:<port>`, `:<port>` or `unix:///path`.
   * @default - the workload's own address on the same port
   */
  readonly defaultEndpoint?: string;

  /**
   * IP address the listener binds to.
   * @default - the workload's addresses
   */
  readonly bind?: string;

  /**
   * How traffic reaches the listener.
   * @default SidecarCaptureMode.DEFAULT
   */
  readonly captureMode?: SidecarCaptureMode;
}

/** Properties of a {@link Sidecar}. */
export interface SidecarProps extends IstioResourceProps {
  /**
   * Labels of the workloads this Sidecar applies to (in its namespace). Without one, it is the
   * namespace's default Sidecar (at most one per namespace), or the mesh's in the root namespace.
   * @default - every workload of the namespace
   */
  readonly workloadSelector?: { [key: string]: string };

  /**
   * Egress listeners: the hosts the proxy may reach. The usual scoping is
   * `[{ hosts: ['./*', 'istio-system/*'] }]`.
   * @default - every host of the mesh
   */
  readonly egress?: SidecarEgressListenerOptions[];

  /**
   * Ingress listeners.
   * @default - listeners derived from the workload's Services
   */
  readonly ingress?: SidecarIngressListenerOptions[];

  /**
   * What happens to traffic for hosts outside the registry.
   * @default - the mesh setting (ALLOW_ANY unless changed)
   */
  readonly outboundTrafficPolicy?: OutboundTrafficPolicyMode;
}

/**
 * An Istio `Sidecar`: scopes what a workload's proxy sees (egress hosts), how it receives traffic
 * (ingress listeners), and whether it may reach hosts outside the registry. Istio's admission
 * rules are checked at construction.
 *
 * Not offered (use `apiObject.addJsonPatch` if needed): ingress TLS and connection pools,
 * `inboundConnectionPool` and `outboundTrafficPolicy.egressProxy`.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/
 */
export class Sidecar extends IstioResource {
  /** The workload selector labels (a copy), or undefined for a namespace-wide Sidecar. */
  public readonly workloadSelector?: { [key: string]: string };
  private readonly _egress: SidecarEgressListenerOptions[];
  private readonly _ingress: SidecarIngressListenerOptions[];
  private readonly _outbound?: OutboundTrafficPolicyMode;

  public constructor(scope: Construct, id: string, props: SidecarProps) {
    super(scope, id, 'Sidecar', props);
    this.workloadSelector = props.workloadSelector === undefined ? undefined : { ...props.workloadSelector };
    this._egress = (props.egress ?? []).map((e) => ({ ...e, hosts: [...e.hosts], port: e.port && { ...e.port } }));
    this._ingress = (props.ingress ?? []).map((i) => ({ ...i, port: { ...i.port } }));
    this._outbound = props.outboundTrafficPolicy;
    this._constructed();
  }

  /** @internal */
  protected _toSpec(): SidecarSpec {
    return {
      workloadSelector: this.workloadSelector ? { labels: { ...this.workloadSelector } } : undefined,
      ingress: this._ingress.length > 0 ? this._ingress.map(renderIngress) : undefined,
      egress: this._egress.length > 0 ? this._egress.map(renderEgress) : undefined,
      outboundTrafficPolicy: this._outbound ? { mode: this._outbound } : undefined,
    };
  }
}

function renderPort(p: SidecarPortOptions): { number: number; protocol?: string; name?: string } {
  return { number: p.number, protocol: p.protocol, name: p.name };
}

function renderEgress(e: SidecarEgressListenerOptions): SidecarSpecEgress {
  return { port: e.port && renderPort(e.port), bind: e.bind, captureMode: e.captureMode, hosts: [...e.hosts] };
}

function renderIngress(i: SidecarIngressListenerOptions): SidecarSpecIngress {
  return { port: renderPort(i.port), bind: i.bind, captureMode: i.captureMode, defaultEndpoint: i.defaultEndpoint };
}
