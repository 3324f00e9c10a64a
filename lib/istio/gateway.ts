import { Construct } from 'constructs';
import { GatewaySpec, GatewaySpecServers, GatewaySpecServersTls } from '../../imports/istio-types';
import { Problem } from '../kinds/problem';
import { FieldPath } from './field-path';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { IGatewayRef } from './route-destination';

/** Properties of a {@link Gateway}. */
export interface GatewayProps extends IstioResourceProps {
  /**
   * Labels of the gateway workload (Envoy pods) that should apply this configuration.
   * @default { istio: 'ingressgateway' } - the default Istio ingress gateway
   * @see https://istio.io/latest/docs/reference/config/networking/gateway/#Gateway
   */
  readonly selector?: { [key: string]: string };

  /**
   * The servers (listeners) of the gateway. More can be added with `addServer()`.
   * @default - none; at least one is required before synth (Istio rejects a Gateway without servers)
   */
  readonly servers?: GatewayServerOptions[];
}

/** Protocol of a gateway server port. */
export enum GatewayProtocol {
  /** Plain HTTP/1.1 (and HTTP/2 cleartext upgrade). */
  HTTP = 'HTTP',
  /** HTTP over TLS terminated at the gateway; needs `tls`. */
  HTTPS = 'HTTPS',
  /** HTTP/2. */
  HTTP2 = 'HTTP2',
  /** gRPC. */
  GRPC = 'GRPC',
  /** gRPC-Web. */
  GRPC_WEB = 'GRPC-WEB',
  /** Opaque TCP. */
  TCP = 'TCP',
  /** TLS, routed by SNI; needs `tls`. */
  TLS = 'TLS',
  /** MongoDB wire protocol. */
  MONGO = 'MONGO',
  /** Redis protocol. */
  REDIS = 'REDIS',
  /** MySQL protocol. */
  MYSQL = 'MYSQL',
}

/** One server (listener) of a gateway. */
export interface GatewayServerOptions {
  /**
   * Port number the gateway listens on (the gateway pod's port), 1..65535; 0 when `bind` is a
   * `unix://` socket.
   */
  readonly port: number;

  /**
   * Protocol exposed on the port.
   * @default GatewayProtocol.HTTP
   */
  readonly protocol?: GatewayProtocol;

  /**
   * Name of the port, unique within the gateway.
   * @default - the protocol in lower case, followed by `-<port>` when that name is taken
   */
  readonly portName?: string;

  /**
   * Hosts exposed by this server: `*`, `*.example.com`, `bookinfo.example.com`,
   * optionally prefixed by a namespace (`prod/*.example.com`).
   * @default ['*']
   */
  readonly hosts?: string[];

  /**
   * TLS settings; required for HTTPS and TLS servers. Plain HTTP servers only take
   * `ServerTls.httpsRedirect()` or `ServerTls.passthrough()` (Istio's rule).
   * @default - none
   */
  readonly tls?: ServerTls;

  /**
   * IP address or `unix://` socket the listener binds to.
   * @default - all addresses
   */
  readonly bind?: string;

  /**
   * Optional name of the server, shown in telemetry.
   * @default - none
   */
  readonly name?: string;
}

/**
 * An Istio `Gateway`: a load balancer at the edge of the mesh, configured by its servers.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 */
export class Gateway extends IstioResource implements IGatewayRef {
  /** Labels of the gateway workload this configuration applies to. */
  public readonly selector: { [key: string]: string };
  private readonly _servers: GatewayServer[] = [];

  public constructor(scope: Construct, id: string, props: GatewayProps = {}) {
    super(scope, id, 'Gateway', props);
    this.selector = { ...(props.selector ?? { istio: 'ingressgateway' }) };
    for (const server of props.servers ?? []) this.addServer(server);
    this._constructed();
  }

  /** The reference a VirtualService writes in `gateways`: `name`, or `namespace/name` when a namespace is set. */
  public get gatewayName(): string {
    return this.namespace ? `${this.namespace}/${this.name}` : this.name;
  }

  /**
   * Adds a server (listener) and returns its resolved settings. Throws the rule book's errors
   * about the gateway (ports, hosts, TLS) with their `spec.servers[i]` paths.
   */
  public addServer(options: GatewayServerOptions): GatewayServer {
    const protocol = options.protocol ?? GatewayProtocol.HTTP;
    const server: GatewayServer = {
      port: options.port,
      protocol,
      portName: options.portName ?? this.defaultPortName(protocol, options.port),
      hosts: [...(options.hosts ?? ['*'])],
      tls: options.tls,
      bind: options.bind,
      name: options.name,
    };
    this._servers.push(server);
    this._changed();
    return { ...server, hosts: [...server.hosts] };
  }

  /** The servers added so far (a copy). */
  public get servers(): GatewayServer[] {
    return this._servers.map((s) => ({ ...s, hosts: [...s.hosts] }));
  }

  /** @internal */
  protected _toSpec(): GatewaySpec {
    const servers = this._specPath.at('servers');
    return {
      selector: { ...this.selector },
      servers: this._servers.map((s, i) => renderServer(servers.item(i), s)),
    };
  }

  /** No server yet: `addServer()` can still fix it, so it is reported at synth. @internal */
  protected override _isCompletable(problem: Problem): boolean {
    return problem.path === 'spec.servers' && this._servers.length === 0;
  }

  private defaultPortName(protocol: GatewayProtocol, port: number): string {
    const base = protocol.toLowerCase();
    return this._servers.some((s) => s.portName === base) ? `${base}-${port}` : base;
  }
}

function renderServer(at: FieldPath, s: GatewayServer): GatewaySpecServers {
  return {
    port: { number: s.port, protocol: s.protocol, name: s.portName },
    hosts: [...s.hosts],
    tls: s.tls?._toKube(at.at('tls')),
    bind: s.bind,
    name: s.name,
  };
}

/** A server of a {@link Gateway}, with every default resolved. */
export interface GatewayServer {
  /** Port number. */
  readonly port: number;
  /** Port protocol. */
  readonly protocol: GatewayProtocol;
  /** Port name, unique within the gateway. */
  readonly portName: string;
  /** Hosts exposed. */
  readonly hosts: string[];
  /**
   * TLS settings.
   * @default - none
   */
  readonly tls?: ServerTls;
  /**
   * Bind address.
   * @default - all addresses
   */
  readonly bind?: string;
  /**
   * Server name.
   * @default - none
   */
  readonly name?: string;
}

/** TLS mode of a gateway server. */
export enum ServerTlsMode {
  /** Pass the TLS connection through, routed by SNI. */
  PASSTHROUGH = 'PASSTHROUGH',
  /** Terminate TLS with a server certificate. */
  SIMPLE = 'SIMPLE',
  /** Terminate TLS and require a client certificate. */
  MUTUAL = 'MUTUAL',
  /** Pass through, with SNI-based routing to the mesh (multi-cluster). */
  AUTO_PASSTHROUGH = 'AUTO_PASSTHROUGH',
  /** Istio mutual TLS with workload certificates. */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
  /** Terminate TLS; accept a client certificate when presented. */
  OPTIONAL_MUTUAL = 'OPTIONAL_MUTUAL',
}

/** Options for terminating TLS at a gateway with a Kubernetes secret. */
export interface ServerTlsCredentialOptions {
  /**
   * Name of the secret holding the certificate and key (and CA for mutual TLS).
   */
  readonly credentialName: string;

  /**
   * Subject alternative names the client certificate must carry (mutual TLS only).
   * @default - any
   */
  readonly subjectAltNames?: string[];
}

/** The TLS modes as the generated spec type spells them. */
const TLS_MODES: Record<ServerTlsMode, NonNullable<GatewaySpecServersTls['mode']>> = {
  [ServerTlsMode.PASSTHROUGH]: 'PASSTHROUGH',
  [ServerTlsMode.SIMPLE]: 'SIMPLE',
  [ServerTlsMode.MUTUAL]: 'MUTUAL',
  [ServerTlsMode.AUTO_PASSTHROUGH]: 'AUTO_PASSTHROUGH',
  [ServerTlsMode.ISTIO_MUTUAL]: 'ISTIO_MUTUAL',
  [ServerTlsMode.OPTIONAL_MUTUAL]: 'OPTIONAL_MUTUAL',
};

/**
 * TLS settings of a gateway server. Istio's rules on them (a secret or certificates for
 * SIMPLE and MUTUAL, which protocols may carry TLS settings) are checked by the Gateway that
 * uses them, and its errors name the server (`spec.servers[1].tls...`).
 */
export class ServerTls {
  /**
   * Terminate TLS with the certificate in the secret `credentialName`. An empty name is no
   * secret: Istio then asks for certificate files, which this class does not set.
   */
  public static simple(options: ServerTlsCredentialOptions): ServerTls {
    return new ServerTls(ServerTlsMode.SIMPLE, options);
  }

  /** Terminate TLS and require client certificates (CA in the same secret). */
  public static mutual(options: ServerTlsCredentialOptions): ServerTls {
    return new ServerTls(ServerTlsMode.MUTUAL, options);
  }

  /** Pass TLS through to the backend, routed by SNI. */
  public static passthrough(): ServerTls {
    return new ServerTls(ServerTlsMode.PASSTHROUGH);
  }

  /** Istio mutual TLS (for east-west gateways). */
  public static istioMutual(): ServerTls {
    return new ServerTls(ServerTlsMode.ISTIO_MUTUAL);
  }

  /** On an HTTP server: answer every request with a 301 redirect to HTTPS. */
  public static httpsRedirect(): ServerTls {
    return new ServerTls(undefined, undefined, true);
  }

  private constructor(
    private readonly mode?: ServerTlsMode,
    private readonly options?: ServerTlsCredentialOptions,
    private readonly redirect = false,
  ) {}

  /** Renders the settings at `at` (a server's `tls`). @internal */
  public _toKube(_at: FieldPath): GatewaySpecServersTls {
    if (this.redirect) return { httpsRedirect: true };
    const subjectAltNames = this.options?.subjectAltNames;
    return {
      mode: this.mode === undefined ? undefined : TLS_MODES[this.mode],
      credentialName: this.options?.credentialName,
      subjectAltNames: subjectAltNames && subjectAltNames.length > 0 ? [...subjectAltNames] : undefined,
    };
  }
}
