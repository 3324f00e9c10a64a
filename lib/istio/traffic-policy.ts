import { Duration } from 'cdk8s';
import { fail } from '../kinds/errors';
import { formatIstioDuration } from './field-checks';
import { isHeaderToken, isPort } from '../kinds/fields';

const WHAT = 'TrafficPolicy';
// Istio's connection-pool and outlier counters are int32/uint32 protobuf fields.
const MAX_COUNT = 2147483647;

/** Options of a {@link TrafficPolicy}: what applies to traffic once routing has chosen a destination. */
export interface TrafficPolicyOptions {
  /**
   * How requests are spread over the endpoints.
   * @default - Istio's default (LEAST_REQUEST)
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#LoadBalancerSettings
   */
  readonly loadBalancer?: LoadBalancer;

  /**
   * Limits on connections and requests to each upstream host (circuit breaking).
   * @default - no limits beyond Envoy's defaults
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ConnectionPoolSettings
   */
  readonly connectionPool?: ConnectionPoolOptions;

  /**
   * Ejection of unhealthy hosts from the load-balancing pool. An empty object turns it on
   * with Istio's defaults.
   * @default - no outlier detection
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#OutlierDetection
   */
  readonly outlierDetection?: OutlierDetectionOptions;

  /**
   * TLS the client sidecar originates towards the destination.
   * @default - Istio's automatic mutual TLS
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings
   */
  readonly tls?: ClientTls;

  /**
   * Settings for individual ports, which override the policy-wide ones for that port.
   * @default - none
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy-PortTrafficPolicy
   */
  readonly portLevelSettings?: PortTrafficPolicyOptions[];
}

/** Traffic policy for a single port of the destination. */
export interface PortTrafficPolicyOptions {
  /** Port number on the destination host (1..65535). */
  readonly port: number;

  /**
   * Load balancing on this port.
   * @default - the policy-wide setting
   */
  readonly loadBalancer?: LoadBalancer;

  /**
   * Connection pool on this port.
   * @default - the policy-wide setting
   */
  readonly connectionPool?: ConnectionPoolOptions;

  /**
   * Outlier detection on this port.
   * @default - the policy-wide setting
   */
  readonly outlierDetection?: OutlierDetectionOptions;

  /**
   * Client TLS on this port.
   * @default - the policy-wide setting
   */
  readonly tls?: ClientTls;
}

/** Connection-pool limits, for TCP and/or HTTP. */
export interface ConnectionPoolOptions {
  /**
   * Limits common to HTTP and TCP connections.
   * @default - none
   */
  readonly tcp?: TcpConnectionPoolOptions;

  /**
   * Limits on HTTP requests.
   * @default - none
   */
  readonly http?: HttpConnectionPoolOptions;
}

/** TCP connection-pool limits. */
export interface TcpConnectionPoolOptions {
  /**
   * Maximum number of connections to a destination host.
   * @default - 2^32-1
   */
  readonly maxConnections?: number;

  /**
   * TCP connect timeout.
   * @default Duration.seconds(10)
   */
  readonly connectTimeout?: Duration;

  /**
   * TCP keepalive on upstream connections.
   * @default - the operating system's settings
   */
  readonly tcpKeepalive?: TcpKeepaliveOptions;
}

/** TCP keepalive probes. */
export interface TcpKeepaliveOptions {
  /**
   * Unanswered probes before the connection is considered dead.
   * @default - the operating system's setting (9 on Linux)
   */
  readonly probes?: number;

  /**
   * Idle time before the first probe.
   * @default - the operating system's setting (2 hours on Linux)
   */
  readonly time?: Duration;

  /**
   * Time between probes.
   * @default - the operating system's setting (75 seconds on Linux)
   */
  readonly interval?: Duration;
}

/** Whether HTTP/1.1 connections to the destination are upgraded to HTTP/2. */
export enum H2UpgradePolicy {
  /** Use the mesh-wide default. */
  DEFAULT = 'DEFAULT',
  /** Never upgrade. */
  DO_NOT_UPGRADE = 'DO_NOT_UPGRADE',
  /** Upgrade to HTTP/2. */
  UPGRADE = 'UPGRADE',
}

/** HTTP connection-pool limits. */
export interface HttpConnectionPoolOptions {
  /**
   * Maximum requests queued while waiting for a connection.
   * @default - 2^32-1
   */
  readonly http1MaxPendingRequests?: number;

  /**
   * Maximum active requests to a destination.
   * @default - 2^32-1
   */
  readonly http2MaxRequests?: number;

  /**
   * Maximum requests per connection; 1 disables keep-alive.
   * @default - unlimited (0)
   */
  readonly maxRequestsPerConnection?: number;

  /**
   * Maximum outstanding retries to all hosts of the cluster.
   * @default - 2^32-1
   */
  readonly maxRetries?: number;

  /**
   * Time an upstream connection may stay without active requests before it is closed.
   * @default Duration.hours(1)
   */
  readonly idleTimeout?: Duration;

  /**
   * Upgrade HTTP/1.1 connections to HTTP/2.
   * @default H2UpgradePolicy.DEFAULT
   */
  readonly h2UpgradePolicy?: H2UpgradePolicy;

  /**
   * Use the protocol of the client's request upstream (cannot be combined with `UPGRADE`).
   * @default false
   */
  readonly useClientProtocol?: boolean;
}

/** Outlier detection: hosts that keep failing are ejected from the pool for a while. */
export interface OutlierDetectionOptions {
  /**
   * Consecutive 5xx responses (or local failures) before a host is ejected; 0 disables.
   * @default 5
   */
  readonly consecutive5xxErrors?: number;

  /**
   * Consecutive gateway errors (502, 503, 504) before a host is ejected; 0 disables.
   * @default - disabled
   */
  readonly consecutiveGatewayErrors?: number;

  /**
   * Time between ejection sweeps.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;

  /**
   * Minimum ejection time; it grows with each ejection of the same host.
   * @default Duration.seconds(30)
   */
  readonly baseEjectionTime?: Duration;

  /**
   * Maximum percentage (0..100) of hosts that can be ejected.
   * @default 10
   */
  readonly maxEjectionPercent?: number;

  /**
   * Outlier detection stops when fewer than this percentage (0..100) of hosts is healthy.
   * @default 0
   */
  readonly minHealthPercent?: number;

  /**
   * Count local-origin failures (timeouts, resets) apart from upstream errors.
   * @default false
   */
  readonly splitExternalLocalOriginErrors?: boolean;

  /**
   * Consecutive local-origin failures before ejection; needs `splitExternalLocalOriginErrors`.
   * @default 5
   */
  readonly consecutiveLocalOriginFailures?: number;
}

/**
 * Traffic policy of a DestinationRule or of one of its subsets: load balancing,
 * connection pool, outlier detection, client TLS, and their per-port overrides.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy
 */
export class TrafficPolicy {
  /** Same as `new TrafficPolicy(options)`. */
  public static of(options: TrafficPolicyOptions): TrafficPolicy {
    return new TrafficPolicy(options);
  }

  /**
   * Load balancing.
   * @default - none
   */
  public readonly loadBalancer?: LoadBalancer;
  /**
   * Connection pool.
   * @default - none
   */
  public readonly connectionPool?: ConnectionPoolOptions;
  /**
   * Outlier detection.
   * @default - none
   */
  public readonly outlierDetection?: OutlierDetectionOptions;
  /**
   * Client TLS.
   * @default - none
   */
  public readonly tls?: ClientTls;
  private readonly _portLevelSettings: PortTrafficPolicyOptions[];

  /** Checks every field at once; throws an IstioConfigError when one is wrong or none is set. */
  public constructor(options: TrafficPolicyOptions) {
    const ports = options.portLevelSettings ?? [];
    if (!hasPolicy(options) && ports.length === 0) {
      fail(
        WHAT,
        'trafficPolicy',
        options,
        'must set at least one of loadBalancer, connectionPool, outlierDetection, tls, portLevelSettings',
        'omit trafficPolicy instead',
      );
    }
    checkSettings(options, 'trafficPolicy');
    const seen = new Set<number>();
    ports.forEach((p, i) => {
      const field = `trafficPolicy.portLevelSettings[${i}]`;
      if (!isPort(p.port)) fail(WHAT, `${field}.port.number`, p.port, 'must be an integer between 1 and 65535');
      if (seen.has(p.port)) {
        fail(WHAT, `${field}.port.number`, p.port, 'is already configured by an earlier portLevelSettings entry', 'merge the two entries');
      }
      seen.add(p.port);
      if (!hasPolicy(p)) {
        fail(
          WHAT,
          field,
          { port: p.port },
          'must set at least one of loadBalancer, connectionPool, outlierDetection, tls',
          'remove the entry or add a setting',
        );
      }
      checkSettings(p, field);
    });
    this.loadBalancer = options.loadBalancer;
    this.connectionPool = options.connectionPool;
    this.outlierDetection = options.outlierDetection;
    this.tls = options.tls;
    this._portLevelSettings = [...ports];
  }

  /** The per-port settings (a copy). */
  public get portLevelSettings(): PortTrafficPolicyOptions[] {
    return [...this._portLevelSettings];
  }

  /** @internal */
  public _toKube(): any {
    return {
      ...renderSettings(this),
      portLevelSettings:
        this._portLevelSettings.length > 0
          ? this._portLevelSettings.map((p) => ({ port: { number: p.port }, ...renderSettings(p) }))
          : undefined,
    };
  }
}

/** Simple load-balancing algorithms. */
export enum LoadBalancerAlgorithm {
  /** Round robin over the healthy hosts. */
  ROUND_ROBIN = 'ROUND_ROBIN',
  /** Fewest active requests among two random hosts (Istio's default). */
  LEAST_REQUEST = 'LEAST_REQUEST',
  /** A random healthy host. */
  RANDOM = 'RANDOM',
  /** Send to the address the caller asked for, without load balancing. */
  PASSTHROUGH = 'PASSTHROUGH',
  /** Deprecated alias of LEAST_REQUEST. */
  LEAST_CONN = 'LEAST_CONN',
}

/** Load balancing: a simple algorithm, or consistent hashing (session affinity). */
export class LoadBalancer {
  /** A simple algorithm: round robin, least request, random, passthrough. */
  public static simple(algorithm: LoadBalancerAlgorithm): LoadBalancer {
    return new LoadBalancer({ simple: algorithm });
  }

  /** Sticky sessions keyed by an HTTP header (`x-user`). */
  public static consistentHashByHeader(headerName: string): LoadBalancer {
    if (!isHeaderToken(headerName)) {
      fail('LoadBalancer', 'loadBalancer.consistentHash.httpHeaderName', headerName, 'must be an HTTP header name (RFC 7230 token)');
    }
    return new LoadBalancer({ consistentHash: { httpHeaderName: headerName } });
  }

  /**
   * Sticky sessions keyed by an HTTP cookie. With `ttl`, the proxy creates the cookie when it
   * is missing; a zero `ttl` makes it a session cookie.
   */
  public static consistentHashByCookie(name: string, ttl?: Duration): LoadBalancer {
    if (name.length === 0) {
      fail('LoadBalancer', 'loadBalancer.consistentHash.httpCookie.name', name, 'must not be empty', 'name the cookie');
    }
    let rendered: string | undefined;
    if (ttl !== undefined) {
      const ms = ttl.toMilliseconds({ integral: false });
      rendered = ms === 0 ? '0s' : formatIstioDuration('LoadBalancer', 'loadBalancer.consistentHash.httpCookie.ttl', ttl);
    }
    return new LoadBalancer({ consistentHash: { httpCookie: { name, ttl: rendered } } });
  }

  /** Sticky sessions keyed by the client's source IP address. */
  public static consistentHashBySourceIp(): LoadBalancer {
    return new LoadBalancer({ consistentHash: { useSourceIp: true } });
  }

  /** Sticky sessions keyed by an HTTP query parameter (`?user=`). */
  public static consistentHashByQueryParameter(name: string): LoadBalancer {
    if (name.length === 0) {
      fail('LoadBalancer', 'loadBalancer.consistentHash.httpQueryParameterName', name, 'must not be empty', 'name the query parameter');
    }
    return new LoadBalancer({ consistentHash: { httpQueryParameterName: name } });
  }

  private constructor(private readonly spec: any) {}

  /** @internal */
  public _toKube(): any {
    return JSON.parse(JSON.stringify(this.spec));
  }
}

/** TLS mode a client sidecar uses towards the destination. */
export enum ClientTlsMode {
  /** Plain text. */
  DISABLE = 'DISABLE',
  /** Originate TLS, verifying the server. */
  SIMPLE = 'SIMPLE',
  /** Originate TLS with a client certificate. */
  MUTUAL = 'MUTUAL',
  /** Istio mutual TLS with the workload's own certificate. */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
}

/** Options of TLS originated by the client (SIMPLE). */
export interface ClientTlsOptions {
  /**
   * File path of the CA bundle used to verify the server (cannot be combined with `credentialName`).
   * @default - the system's trusted CAs
   */
  readonly caCertificates?: string;

  /**
   * Secret (in the client's namespace) holding the CA and, for mutual TLS, the client certificate and key.
   * @default - none
   */
  readonly credentialName?: string;

  /**
   * SNI sent in the TLS handshake.
   * @default - the destination host
   */
  readonly sni?: string;

  /**
   * Subject alternative names the server certificate must carry.
   * @default - any
   */
  readonly subjectAltNames?: string[];

  /**
   * Skip verifying the server certificate (cannot be combined with CA, credentialName or subjectAltNames).
   * @default false
   */
  readonly insecureSkipVerify?: boolean;
}

/** Options of mutual TLS originated by the client (MUTUAL). */
export interface ClientTlsMutualOptions extends ClientTlsOptions {
  /**
   * File path of the client certificate; required unless `credentialName` is set.
   * @default - none
   */
  readonly clientCertificate?: string;

  /**
   * File path of the client private key; required unless `credentialName` is set.
   * @default - none
   */
  readonly privateKey?: string;
}

/** Client-side TLS settings of a traffic policy. */
export class ClientTls {
  /** Istio mutual TLS with the workloads' certificates (Bookinfo's `destination-rule-all-mtls`). */
  public static istioMutual(): ClientTls {
    return new ClientTls(ClientTlsMode.ISTIO_MUTUAL, {});
  }

  /** Originate TLS to a server outside the mesh (HTTPS egress). */
  public static simple(options: ClientTlsOptions = {}): ClientTls {
    return new ClientTls(ClientTlsMode.SIMPLE, options);
  }

  /** Originate TLS with a client certificate, from `credentialName` or from files. */
  public static mutual(options: ClientTlsMutualOptions): ClientTls {
    return new ClientTls(ClientTlsMode.MUTUAL, options);
  }

  /** Plain text: no TLS towards the destination. */
  public static disable(): ClientTls {
    return new ClientTls(ClientTlsMode.DISABLE, {});
  }

  /** The TLS mode. */
  public readonly mode: ClientTlsMode;
  private readonly options: ClientTlsMutualOptions;

  private constructor(mode: ClientTlsMode, options: ClientTlsMutualOptions) {
    const what = 'ClientTls';
    if (options.credentialName !== undefined) {
      if (options.credentialName.length === 0) fail(what, 'tls.credentialName', '', 'must not be empty', 'name the Kubernetes secret');
      for (const f of ['clientCertificate', 'privateKey', 'caCertificates'] as const) {
        if (options[f] !== undefined) {
          fail(
            what,
            `tls.${f}`,
            options[f],
            'cannot be combined with credentialName',
            `drop ${f}; the secret '${options.credentialName}' provides it`,
          );
        }
      }
    }
    if (
      mode === ClientTlsMode.MUTUAL &&
      options.credentialName === undefined &&
      (options.clientCertificate === undefined || options.privateKey === undefined)
    ) {
      fail(
        what,
        'tls',
        { clientCertificate: options.clientCertificate, privateKey: options.privateKey },
        'MUTUAL needs clientCertificate and privateKey when credentialName is not set',
        'pass credentialName, or both files',
      );
    }
    if (options.insecureSkipVerify) {
      for (const f of ['caCertificates', 'credentialName', 'subjectAltNames'] as const) {
        if (options[f] !== undefined) {
          fail(what, `tls.${f}`, options[f], 'cannot be combined with insecureSkipVerify', `drop ${f} or insecureSkipVerify`);
        }
      }
    }
    this.mode = mode;
    this.options = { ...options, subjectAltNames: options.subjectAltNames ? [...options.subjectAltNames] : undefined };
  }

  /** @internal */
  public _toKube(): any {
    const o = this.options;
    return {
      mode: this.mode,
      clientCertificate: o.clientCertificate,
      privateKey: o.privateKey,
      caCertificates: o.caCertificates,
      credentialName: o.credentialName,
      subjectAltNames: o.subjectAltNames && o.subjectAltNames.length > 0 ? [...o.subjectAltNames] : undefined,
      sni: o.sni,
      insecureSkipVerify: o.insecureSkipVerify,
    };
  }
}

type Settings = Omit<PortTrafficPolicyOptions, 'port'>;

function hasPolicy(s: Settings): boolean {
  return s.loadBalancer !== undefined || s.connectionPool !== undefined || s.outlierDetection !== undefined || s.tls !== undefined;
}

function checkCount(value: number | undefined, field: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > MAX_COUNT)) {
    fail(WHAT, field, value, `must be an integer between 0 and ${MAX_COUNT}`);
  }
}

function checkPercent(value: number | undefined, field: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > 100)) {
    fail(WHAT, field, value, 'must be an integer between 0 and 100');
  }
}

function duration(value: Duration | undefined, field: string): string | undefined {
  return value === undefined ? undefined : formatIstioDuration(WHAT, field, value);
}

function checkSettings(s: Settings, at: string): void {
  const pool = s.connectionPool;
  if (pool) {
    const f = `${at}.connectionPool`;
    if (!pool.tcp && !pool.http) fail(WHAT, f, pool, 'must set tcp or http');
    if (pool.tcp) {
      const tcp = pool.tcp;
      if (Object.values(tcp).every((v) => v === undefined)) fail(WHAT, `${f}.tcp`, tcp, 'must set at least one limit', 'omit tcp instead');
      checkCount(tcp.maxConnections, `${f}.tcp.maxConnections`);
      duration(tcp.connectTimeout, `${f}.tcp.connectTimeout`);
      if (tcp.tcpKeepalive) {
        checkCount(tcp.tcpKeepalive.probes, `${f}.tcp.tcpKeepalive.probes`);
        duration(tcp.tcpKeepalive.time, `${f}.tcp.tcpKeepalive.time`);
        duration(tcp.tcpKeepalive.interval, `${f}.tcp.tcpKeepalive.interval`);
      }
    }
    if (pool.http) {
      const http = pool.http;
      if (Object.values(http).every((v) => v === undefined)) {
        fail(WHAT, `${f}.http`, http, 'must set at least one limit', 'omit http instead');
      }
      checkCount(http.http1MaxPendingRequests, `${f}.http.http1MaxPendingRequests`);
      checkCount(http.http2MaxRequests, `${f}.http.http2MaxRequests`);
      checkCount(http.maxRequestsPerConnection, `${f}.http.maxRequestsPerConnection`);
      checkCount(http.maxRetries, `${f}.http.maxRetries`);
      duration(http.idleTimeout, `${f}.http.idleTimeout`);
      if (http.useClientProtocol && http.h2UpgradePolicy === H2UpgradePolicy.UPGRADE) {
        fail(
          WHAT,
          `${f}.http.h2UpgradePolicy`,
          http.h2UpgradePolicy,
          'cannot be UPGRADE when useClientProtocol is true',
          'drop one of the two',
        );
      }
    }
  }
  const od = s.outlierDetection;
  if (od) {
    const f = `${at}.outlierDetection`;
    checkCount(od.consecutive5xxErrors, `${f}.consecutive5xxErrors`);
    checkCount(od.consecutiveGatewayErrors, `${f}.consecutiveGatewayErrors`);
    checkCount(od.consecutiveLocalOriginFailures, `${f}.consecutiveLocalOriginFailures`);
    duration(od.interval, `${f}.interval`);
    duration(od.baseEjectionTime, `${f}.baseEjectionTime`);
    checkPercent(od.maxEjectionPercent, `${f}.maxEjectionPercent`);
    checkPercent(od.minHealthPercent, `${f}.minHealthPercent`);
    if (od.consecutiveLocalOriginFailures !== undefined && !od.splitExternalLocalOriginErrors) {
      fail(
        WHAT,
        `${f}.consecutiveLocalOriginFailures`,
        od.consecutiveLocalOriginFailures,
        'only applies when splitExternalLocalOriginErrors is true',
        'set splitExternalLocalOriginErrors: true',
      );
    }
  }
}

function renderSettings(s: Settings): any {
  const pool = s.connectionPool;
  const od = s.outlierDetection;
  const keepalive = pool?.tcp?.tcpKeepalive;
  return {
    loadBalancer: s.loadBalancer?._toKube(),
    connectionPool: pool && {
      tcp: pool.tcp && {
        maxConnections: pool.tcp.maxConnections,
        connectTimeout: duration(pool.tcp.connectTimeout, ''),
        tcpKeepalive: keepalive && {
          probes: keepalive.probes,
          time: duration(keepalive.time, ''),
          interval: duration(keepalive.interval, ''),
        },
      },
      http: pool.http && {
        http1MaxPendingRequests: pool.http.http1MaxPendingRequests,
        http2MaxRequests: pool.http.http2MaxRequests,
        maxRequestsPerConnection: pool.http.maxRequestsPerConnection,
        maxRetries: pool.http.maxRetries,
        idleTimeout: duration(pool.http.idleTimeout, ''),
        h2UpgradePolicy: pool.http.h2UpgradePolicy,
        useClientProtocol: pool.http.useClientProtocol,
      },
    },
    outlierDetection: od && {
      consecutive5xxErrors: od.consecutive5xxErrors,
      consecutiveGatewayErrors: od.consecutiveGatewayErrors,
      interval: duration(od.interval, ''),
      baseEjectionTime: duration(od.baseEjectionTime, ''),
      maxEjectionPercent: od.maxEjectionPercent,
      minHealthPercent: od.minHealthPercent,
      splitExternalLocalOriginErrors: od.splitExternalLocalOriginErrors,
      consecutiveLocalOriginFailures: od.consecutiveLocalOriginFailures,
    },
    tls: s.tls?._toKube(),
  };
}
