import { Construct } from 'constructs';
import { describe, fail } from '../kinds/errors';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { IGatewayRef } from './route-destination';
import { isDns1123Label, isPort } from '../kinds/fields';

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
   * @default - none; at least one is required before synth
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
   * Port number the gateway listens on (the gateway pod's port).
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
   * TLS settings; required for HTTPS and TLS servers.
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
    this.node.addValidation({
      validate: () =>
        this._servers.length === 0
          ? [`${this._describe}: spec.servers is empty; a Gateway needs at least one server (call addServer())`]
          : [],
    });
  }

  /** The reference a VirtualService writes in `gateways`: `name`, or `namespace/name` when a namespace is set. */
  public get gatewayName(): string {
    return this.namespace ? `${this.namespace}/${this.name}` : this.name;
  }

  /** Adds a server (listener) and returns its resolved settings. */
  public addServer(options: GatewayServerOptions): GatewayServer {
    const field = `spec.servers[${this._servers.length}]`;
    const protocol = options.protocol ?? GatewayProtocol.HTTP;
    if (!isPort(options.port)) {
      fail(this._describe, `${field}.port.number`, options.port, 'must be an integer between 1 and 65535');
    }
    const portName = options.portName ?? this.defaultPortName(protocol, options.port);
    if (this._servers.some((s) => s.portName === portName)) {
      fail(
        this._describe,
        `${field}.port.name`,
        portName,
        'is already used by another server of this gateway; port names must be unique',
        'pass a different portName',
      );
    }
    const hosts = options.hosts ?? ['*'];
    if (hosts.length === 0) {
      fail(this._describe, `${field}.hosts`, hosts, 'must list at least one host', "use ['*'] to accept any host");
    }
    const needsTls = protocol === GatewayProtocol.HTTPS || protocol === GatewayProtocol.TLS;
    if (needsTls && !options.tls) {
      fail(
        this._describe,
        `${field}.tls`,
        undefined,
        `is required for a ${protocol} server`,
        'pass tls: ServerTls.simple(...) or another ServerTls',
      );
    }
    if (options.tls && !needsTls && !(protocol === GatewayProtocol.HTTP && options.tls._isHttpsRedirect)) {
      fail(
        this._describe,
        `${field}.tls`,
        options.tls._toKube(),
        `is only allowed on HTTPS and TLS servers (or ServerTls.httpsRedirect() on HTTP), not on ${protocol}`,
      );
    }
    const server: GatewayServer = {
      port: options.port,
      protocol,
      portName,
      hosts: [...hosts],
      tls: options.tls,
      bind: options.bind,
      name: options.name,
    };
    this._servers.push(server);
    return server;
  }

  /** The servers added so far (a copy). */
  public get servers(): GatewayServer[] {
    return this._servers.map((s) => ({ ...s, hosts: [...s.hosts] }));
  }

  /** Gateway names must be DNS-1123 labels: Istio rejects dots in them. */
  protected override validateName(name: string): void {
    if (!isDns1123Label(name)) {
      fail(
        describe('Gateway', name),
        'metadata.name',
        name,
        'must be a DNS-1123 label (lower case alphanumerics and "-", no dots, at most 63 characters)',
        'choose a name like "yunqi-gateway"',
      );
    }
  }

  /** @internal */
  protected _toSpec(): any {
    return {
      selector: { ...this.selector },
      servers: this._servers.map((s) => ({
        port: { number: s.port, protocol: s.protocol, name: s.portName },
        hosts: [...s.hosts],
        tls: s.tls?._toKube(),
        bind: s.bind,
        name: s.name,
      })),
    };
  }

  private defaultPortName(protocol: GatewayProtocol, port: number): string {
    const base = protocol.toLowerCase();
    return this._servers.some((s) => s.portName === base) ? `${base}-${port}` : base;
  }
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

/** TLS settings of a gateway server. */
export class ServerTls {
  /** Terminate TLS with the certificate in the secret `credentialName`. */
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
  ) {
    if (options && options.credentialName.length === 0) {
      fail('ServerTls', 'credentialName', '', 'must not be empty', 'name the Kubernetes TLS secret');
    }
  }

  /** @internal */
  public get _isHttpsRedirect(): boolean {
    return this.redirect;
  }

  /** @internal */
  public _toKube(): any {
    if (this.redirect) return { httpsRedirect: true };
    return {
      mode: this.mode,
      credentialName: this.options?.credentialName,
      subjectAltNames:
        this.options?.subjectAltNames && this.options.subjectAltNames.length > 0 ? [...this.options.subjectAltNames] : undefined,
    };
  }
}
