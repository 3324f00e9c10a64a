import { Duration } from 'cdk8s';
import type {
  DestinationRuleSpecTrafficPolicy,
  DestinationRuleSpecTrafficPolicyConnectionPool,
  DestinationRuleSpecTrafficPolicyConnectionPoolHttp,
  DestinationRuleSpecTrafficPolicyLoadBalancer,
  DestinationRuleSpecTrafficPolicyLoadBalancerConsistentHash,
  DestinationRuleSpecTrafficPolicyLoadBalancerLocalityLbSetting,
  DestinationRuleSpecTrafficPolicyOutlierDetection,
  DestinationRuleSpecTrafficPolicyPortLevelSettings,
  DestinationRuleSpecTrafficPolicyTls,
} from '../../imports/istio-types';
import { isHeaderToken, isPort } from '../kinds/fields';
import { renderIstioDuration } from './field-checks';
import { FieldPath } from './field-path';

// Istio's connection-pool and outlier counters are int32/uint32 protobuf fields; the construct
// keeps them within int32.
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
   *
   * Stricter than Istio: each port must be a number from 1 to 65535 and appear once.
   * @default - none
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy-PortTrafficPolicy
   */
  readonly portLevelSettings?: PortTrafficPolicyOptions[];

  /**
   * Tunnel the connections through an HTTP proxy (CONNECT or POST); excludes `proxyProtocol`.
   * @default - no tunnel
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy-TunnelSettings
   */
  readonly tunnel?: TunnelOptions;

  /**
   * Send a PROXY protocol header of this version on upstream connections; excludes `tunnel`.
   * @default - no PROXY protocol header
   */
  readonly proxyProtocol?: ProxyProtocolVersion;

  /**
   * Caps retries to a share of the active requests (instead of the fixed `maxRetries`).
   * @default - no retry budget
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy-RetryBudget
   */
  readonly retryBudget?: RetryBudgetOptions;
}

/** Protocol of an HTTP tunnel. */
export enum TunnelProtocol {
  /** HTTP CONNECT (the default). */
  CONNECT = 'CONNECT',
  /** HTTP POST. */
  POST = 'POST',
}

/** An HTTP tunnel the client proxy opens to reach the destination through a proxy. */
export interface TunnelOptions {
  /** Host (FQDN or IP) the tunnel is opened to. */
  readonly targetHost: string;

  /** Port (1..65535) the tunnel is opened to. */
  readonly targetPort: number;

  /**
   * Tunnel protocol.
   * @default TunnelProtocol.CONNECT
   */
  readonly protocol?: TunnelProtocol;
}

/** Versions of the PROXY protocol. */
export enum ProxyProtocolVersion {
  /** Version 1 (text). */
  V1 = 'V1',
  /** Version 2 (binary). */
  V2 = 'V2',
}

/** A retry budget: retries allowed as a share of the active requests. */
export interface RetryBudgetOptions {
  /**
   * Share (0..100) of the active requests that may be retries.
   * @default 20
   */
  readonly percent?: number;

  /**
   * Retries always allowed, whatever the percentage.
   * @default 3
   */
  readonly minRetryConcurrency?: number;
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
   * Limits common to HTTP and TCP connections. An empty block keeps Istio's defaults (as in
   * Istio); the pool needs `tcp` or `http`.
   * @default - none
   */
  readonly tcp?: TcpConnectionPoolOptions;

  /**
   * Limits on HTTP requests. An empty block keeps Istio's defaults (as in Istio).
   * @default - none
   */
  readonly http?: HttpConnectionPoolOptions;
}

/**
 * TCP connection-pool limits. Stricter than Istio: counts are whole numbers up to 2147483647.
 */
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

  /**
   * Time a connection may stay without traffic before it is closed; `Duration.millis(0)` disables it.
   * @default Duration.hours(1)
   */
  readonly idleTimeout?: Duration;

  /**
   * Maximum lifetime of a connection.
   * @default - unlimited
   */
  readonly maxConnectionDuration?: Duration;
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

/**
 * HTTP connection-pool limits. Stricter than Istio: counts are whole numbers up to 2147483647.
 */
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

  /**
   * Maximum concurrent streams per HTTP/2 connection.
   * @default - 2^31-1
   */
  readonly maxConcurrentStreams?: number;
}

/**
 * Outlier detection: hosts that keep failing are ejected from the pool for a while.
 * Stricter than Istio: counts and percentages are whole numbers (counts up to 2147483647).
 */
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
 * It is checked where it is used: the owning DestinationRule reports every problem at once,
 * naming itself and the full field path.
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
  /**
   * HTTP tunnel.
   * @default - none
   */
  public readonly tunnel?: TunnelOptions;
  /**
   * PROXY protocol version.
   * @default - none
   */
  public readonly proxyProtocol?: ProxyProtocolVersion;
  /**
   * Retry budget.
   * @default - none
   */
  public readonly retryBudget?: RetryBudgetOptions;
  private readonly _portLevelSettings: PortTrafficPolicyOptions[];

  /**
   * Keeps the options; the DestinationRule (or subset) that uses the policy checks them, and
   * throws an IstioConfigError naming itself when one is wrong or none is set.
   */
  public constructor(options: TrafficPolicyOptions) {
    this.loadBalancer = options.loadBalancer;
    this.connectionPool = options.connectionPool;
    this.outlierDetection = options.outlierDetection;
    this.tls = options.tls;
    this.tunnel = options.tunnel;
    this.proxyProtocol = options.proxyProtocol;
    this.retryBudget = options.retryBudget;
    this._portLevelSettings = [...(options.portLevelSettings ?? [])];
  }

  /** The per-port settings (a copy). */
  public get portLevelSettings(): PortTrafficPolicyOptions[] {
    return [...this._portLevelSettings];
  }

  /** @internal */
  public _toKube(at: FieldPath): DestinationRuleSpecTrafficPolicy {
    const ports = this._portLevelSettings;
    const seen = new Map<number, number>();
    const list = at.at('portLevelSettings');
    return {
      ...renderSettings(this, at),
      portLevelSettings: ports.length > 0 ? ports.map((p, i) => renderPort(p, list.item(i), i, seen)) : undefined,
      tunnel: this.tunnel && { targetHost: this.tunnel.targetHost, targetPort: this.tunnel.targetPort, protocol: this.tunnel.protocol },
      proxyProtocol: this.proxyProtocol && { version: this.proxyProtocol },
      retryBudget: this.retryBudget && { percent: this.retryBudget.percent, minRetryConcurrency: this.retryBudget.minRetryConcurrency },
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

const SIMPLE: Record<LoadBalancerAlgorithm, NonNullable<DestinationRuleSpecTrafficPolicyLoadBalancer['simple']>> = {
  [LoadBalancerAlgorithm.ROUND_ROBIN]: 'ROUND_ROBIN',
  [LoadBalancerAlgorithm.LEAST_REQUEST]: 'LEAST_REQUEST',
  [LoadBalancerAlgorithm.RANDOM]: 'RANDOM',
  [LoadBalancerAlgorithm.PASSTHROUGH]: 'PASSTHROUGH',
  [LoadBalancerAlgorithm.LEAST_CONN]: 'LEAST_CONN',
};

/** What a LoadBalancer balances on. */
type Balancing =
  | { readonly simple: LoadBalancerAlgorithm }
  | { readonly header: string }
  | { readonly cookie: HttpCookieOptions }
  | { readonly sourceIp: true }
  | { readonly queryParameter: string }
  | { readonly localityOnly: true };

/** What a LoadBalancer adds to its algorithm. */
interface LoadBalancerExtras {
  readonly locality?: LocalityLbSettingOptions;
  readonly warmup?: WarmupOptions;
  readonly ringHash?: { readonly minimumRingSize?: number };
  readonly maglev?: { readonly tableSize: number };
}

/** One attribute of a cookie the proxy creates (`SameSite=Strict`, `Secure`). */
export interface CookieAttribute {
  /** Attribute name. */
  readonly name: string;

  /**
   * Attribute value.
   * @default - a flag attribute without value
   */
  readonly value?: string;
}

/** The cookie of cookie-based consistent hashing. */
export interface HttpCookieOptions {
  /** Cookie name. */
  readonly name: string;

  /**
   * Lifetime of the cookie the proxy creates when it is missing; zero makes it a session cookie.
   * @default - the proxy does not create the cookie
   */
  readonly ttl?: Duration;

  /**
   * Path of the cookie the proxy creates.
   * @default - none
   */
  readonly path?: string;

  /**
   * Further attributes of the cookie the proxy creates; each name once.
   * @default - none
   */
  readonly attributes?: CookieAttribute[];
}

/** Traffic shares from one locality to others. */
export interface LocalityDistributeOptions {
  /** Source locality: `region/zone/subzone`, `*` allowed as the last part. */
  readonly from: string;

  /** Destination localities and their weights (1..100, adding up to 100). */
  readonly to: { [locality: string]: number };
}

/** A failover from one region to another. */
export interface LocalityFailoverOptions {
  /** Source region. */
  readonly from: string;

  /** Region that takes the traffic when the source region's endpoints are unhealthy. */
  readonly to: string;
}

/**
 * Locality-aware load balancing: weighted distribution or failover (not both).
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#LocalityLoadBalancerSetting
 */
export interface LocalityLbSettingOptions {
  /**
   * Turn locality load balancing on or off for this destination.
   * @default - the mesh setting
   */
  readonly enabled?: boolean;

  /**
   * Weighted distribution between localities; excludes `failover`.
   * @default - none
   */
  readonly distribute?: LocalityDistributeOptions[];

  /**
   * Region failovers; excludes `distribute`, and takes effect only with outlier detection.
   * @default - none
   */
  readonly failover?: LocalityFailoverOptions[];

  /**
   * Ordered labels that rank endpoints for failover (`topology.kubernetes.io/region`, ...).
   * @default - none
   */
  readonly failoverPriority?: string[];
}

/** Slow start: new endpoints get a growing share of traffic. */
export interface WarmupOptions {
  /** How long a new endpoint warms up. */
  readonly duration: Duration;

  /**
   * Share (0..100) of its traffic a new endpoint gets at first.
   * @default 10
   */
  readonly minimumPercent?: number;

  /**
   * How fast the share grows (>= 1; 1 is linear).
   * @default 1
   */
  readonly aggression?: number;
}

/**
 * Load balancing: a simple algorithm, or consistent hashing (session affinity), optionally
 * with locality settings and warm-up. It is checked where it is used, by the owning
 * DestinationRule.
 */
export class LoadBalancer {
  /** A simple algorithm: round robin, least request, random, passthrough. */
  public static simple(algorithm: LoadBalancerAlgorithm): LoadBalancer {
    return new LoadBalancer({ simple: algorithm }, {});
  }

  /**
   * Sticky sessions keyed by an HTTP header (`x-user`). Stricter than Istio: the name must be
   * an HTTP header name (RFC 7230 token).
   */
  public static consistentHashByHeader(headerName: string): LoadBalancer {
    return new LoadBalancer({ header: headerName }, {});
  }

  /**
   * Sticky sessions keyed by an HTTP cookie. With `ttl`, the proxy creates the cookie when it
   * is missing; a zero `ttl` makes it a session cookie.
   */
  public static consistentHashByCookie(name: string, ttl?: Duration): LoadBalancer {
    return new LoadBalancer({ cookie: { name, ttl } }, {});
  }

  /** Sticky sessions keyed by an HTTP cookie, with the path and attributes of the cookie the proxy creates. */
  public static consistentHashByHttpCookie(cookie: HttpCookieOptions): LoadBalancer {
    return new LoadBalancer({ cookie: { ...cookie, attributes: cookie.attributes?.map((a) => ({ ...a })) } }, {});
  }

  /** Sticky sessions keyed by the client's source IP address. */
  public static consistentHashBySourceIp(): LoadBalancer {
    return new LoadBalancer({ sourceIp: true }, {});
  }

  /** Sticky sessions keyed by an HTTP query parameter (`?user=`). Stricter than Istio: the name may not be empty. */
  public static consistentHashByQueryParameter(name: string): LoadBalancer {
    return new LoadBalancer({ queryParameter: name }, {});
  }

  /** Locality settings alone, with Istio's default algorithm (Istio's locality failover task). */
  public static byLocality(locality: LocalityLbSettingOptions): LoadBalancer {
    return new LoadBalancer({ localityOnly: true }, { locality });
  }

  private constructor(
    private readonly _balancing: Balancing,
    private readonly _extras: LoadBalancerExtras,
  ) {}

  /** A copy with locality-aware load balancing. */
  public withLocality(locality: LocalityLbSettingOptions): LoadBalancer {
    return new LoadBalancer(this._balancing, { ...this._extras, locality });
  }

  /** A copy with slow start for new endpoints. */
  public withWarmup(warmup: WarmupOptions): LoadBalancer {
    return new LoadBalancer(this._balancing, { ...this._extras, warmup });
  }

  /**
   * A copy whose consistent hash uses a ring hash (consistent hashing only; excludes maglev).
   * @param minimumRingSize minimum number of virtual nodes on the ring. Default: 1024
   */
  public withRingHash(minimumRingSize?: number): LoadBalancer {
    return new LoadBalancer(this._balancing, { ...this._extras, ringHash: { minimumRingSize }, maglev: undefined });
  }

  /**
   * A copy whose consistent hash uses Maglev (consistent hashing only; excludes ring hash).
   * @param tableSize lookup table size: a prime number below 5000011 (e.g. 65537)
   */
  public withMaglev(tableSize: number): LoadBalancer {
    return new LoadBalancer(this._balancing, { ...this._extras, maglev: { tableSize }, ringHash: undefined });
  }

  /** @internal */
  public _toKube(at: FieldPath): DestinationRuleSpecTrafficPolicyLoadBalancer {
    const b = this._balancing;
    const x = this._extras;
    const hashed = !('simple' in b) && !('localityOnly' in b);
    // Stricter by construction: the hash algorithm belongs to consistent hashing.
    if (!hashed && (x.ringHash || x.maglev)) {
      at.at(x.ringHash ? 'ringHash' : 'maglev').fail(
        x.ringHash ?? x.maglev,
        'applies to consistent hashing only',
        'start from a LoadBalancer.consistentHashBy*() method',
      );
    }
    const extras = {
      localityLbSetting: x.locality && renderLocality(x.locality),
      warmup: x.warmup && {
        duration: renderIstioDuration(x.warmup.duration),
        minimumPercent: x.warmup.minimumPercent,
        aggression: x.warmup.aggression,
      },
    };
    if ('simple' in b) return { simple: SIMPLE[b.simple], ...extras };
    if ('localityOnly' in b) return extras;
    const algorithm = { ringHash: x.ringHash && { ...x.ringHash }, maglev: x.maglev && { ...x.maglev } };
    return { consistentHash: { ...this.renderHashKey(b, at.at('consistentHash')), ...algorithm }, ...extras };
  }

  private renderHashKey(b: Balancing, hash: FieldPath): DestinationRuleSpecTrafficPolicyLoadBalancerConsistentHash {
    if ('header' in b) {
      if (!isHeaderToken(b.header)) hash.at('httpHeaderName').fail(b.header, 'must be an HTTP header name (RFC 7230 token)');
      return { httpHeaderName: b.header };
    }
    if ('cookie' in b) {
      const c = b.cookie;
      const attributes = c.attributes && c.attributes.length > 0 ? c.attributes.map((a) => ({ name: a.name, value: a.value })) : undefined;
      return { httpCookie: { name: c.name, ttl: c.ttl === undefined ? undefined : renderIstioDuration(c.ttl), path: c.path, attributes } };
    }
    if ('sourceIp' in b) return { useSourceIp: true };
    if ('queryParameter' in b) {
      if (b.queryParameter.length === 0) {
        hash.at('httpQueryParameterName').fail(b.queryParameter, 'must not be empty', 'name the query parameter');
      }
      return { httpQueryParameterName: b.queryParameter };
    }
    return {};
  }
}

function renderLocality(l: LocalityLbSettingOptions): DestinationRuleSpecTrafficPolicyLoadBalancerLocalityLbSetting {
  return {
    enabled: l.enabled,
    distribute: l.distribute && l.distribute.length > 0 ? l.distribute.map((d) => ({ from: d.from, to: { ...d.to } })) : undefined,
    failover: l.failover && l.failover.length > 0 ? l.failover.map((f) => ({ from: f.from, to: f.to })) : undefined,
    failoverPriority: l.failoverPriority && l.failoverPriority.length > 0 ? [...l.failoverPriority] : undefined,
  };
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

const TLS_MODE: Record<ClientTlsMode, NonNullable<DestinationRuleSpecTrafficPolicyTls['mode']>> = {
  [ClientTlsMode.DISABLE]: 'DISABLE',
  [ClientTlsMode.SIMPLE]: 'SIMPLE',
  [ClientTlsMode.MUTUAL]: 'MUTUAL',
  [ClientTlsMode.ISTIO_MUTUAL]: 'ISTIO_MUTUAL',
};

/** Options of TLS originated by the client (SIMPLE). */
export interface ClientTlsOptions {
  /**
   * File path of the CA bundle used to verify the server (cannot be combined with `credentialName`).
   * @default - the system's trusted CAs
   */
  readonly caCertificates?: string;

  /**
   * Secret (in the client's namespace) holding the CA and, for mutual TLS, the client certificate and key.
   * Stricter than Istio: it may not be empty (Istio reads an empty name as none).
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
   * Skip verifying the server certificate. Cannot be combined with `caCertificates` or
   * `subjectAltNames`, nor (in SIMPLE mode) with `credentialName`.
   * @default false
   */
  readonly insecureSkipVerify?: boolean;

  /**
   * File path of the certificate revocation list used to check the server certificate (cannot
   * be combined with `credentialName`).
   * @default - no revocation check
   */
  readonly caCrl?: string;
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

/**
 * Client-side TLS settings of a traffic policy. They are checked where they are used, by the
 * owning DestinationRule.
 */
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
    this.mode = mode;
    this.options = { ...options, subjectAltNames: options.subjectAltNames ? [...options.subjectAltNames] : undefined };
  }

  /** @internal */
  public _toKube(at: FieldPath): DestinationRuleSpecTrafficPolicyTls {
    const o = this.options;
    if (o.credentialName === '') at.at('credentialName').fail('', 'must not be empty', 'name the Kubernetes secret');
    return {
      mode: TLS_MODE[this.mode],
      clientCertificate: o.clientCertificate,
      privateKey: o.privateKey,
      caCertificates: o.caCertificates,
      caCrl: o.caCrl,
      credentialName: o.credentialName,
      subjectAltNames: o.subjectAltNames && o.subjectAltNames.length > 0 ? [...o.subjectAltNames] : undefined,
      sni: o.sni,
      insecureSkipVerify: o.insecureSkipVerify,
    };
  }
}

const H2_UPGRADE: Record<H2UpgradePolicy, NonNullable<DestinationRuleSpecTrafficPolicyConnectionPoolHttp['h2UpgradePolicy']>> = {
  [H2UpgradePolicy.DEFAULT]: 'DEFAULT',
  [H2UpgradePolicy.DO_NOT_UPGRADE]: 'DO_NOT_UPGRADE',
  [H2UpgradePolicy.UPGRADE]: 'UPGRADE',
};

type Settings = Omit<PortTrafficPolicyOptions, 'port'>;
type RenderedSettings = Pick<DestinationRuleSpecTrafficPolicy, 'loadBalancer' | 'connectionPool' | 'outlierDetection' | 'tls'>;

// Construct-only checks, stricter than Istio: they raise their error through the FieldPath.

/**
 * A count is a whole number up to MAX_COUNT. Negative whole numbers are left to the rule book
 * where Istio rejects them (`signChecked`); elsewhere the construct refuses them too.
 */
function count(at: FieldPath, value: number | undefined, signChecked: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value > MAX_COUNT || (!signChecked && value < 0)) {
    at.fail(value, `must be an integer between 0 and ${MAX_COUNT}`);
  }
  return value;
}

/** A percentage is a whole number; the rule book judges the range 0..100. */
function percent(at: FieldPath, value: number | undefined): number | undefined {
  if (value !== undefined && !Number.isInteger(value)) at.fail(value, 'must be a whole number (a percentage from 0 to 100)');
  return value;
}

function duration(value: Duration | undefined): string | undefined {
  return value === undefined ? undefined : renderIstioDuration(value);
}

function renderPort(
  p: PortTrafficPolicyOptions,
  at: FieldPath,
  index: number,
  seen: Map<number, number>,
): DestinationRuleSpecTrafficPolicyPortLevelSettings {
  const number = at.at('port').at('number');
  if (!isPort(p.port)) number.fail(p.port, 'must be an integer between 1 and 65535');
  const earlier = seen.get(p.port);
  if (earlier !== undefined) {
    number.fail(p.port, `is already configured by portLevelSettings[${earlier}]`, 'merge the two entries');
  }
  seen.set(p.port, index);
  return { port: { number: p.port }, ...renderSettings(p, at) };
}

function renderSettings(s: Settings, at: FieldPath): RenderedSettings {
  return {
    loadBalancer: s.loadBalancer?._toKube(at.at('loadBalancer')),
    connectionPool: s.connectionPool && renderPool(s.connectionPool, at.at('connectionPool')),
    outlierDetection: s.outlierDetection && renderOutlierDetection(s.outlierDetection, at.at('outlierDetection')),
    tls: s.tls?._toKube(at.at('tls')),
  };
}

function renderPool(pool: ConnectionPoolOptions, at: FieldPath): DestinationRuleSpecTrafficPolicyConnectionPool {
  const { tcp, http } = pool;
  const tcpAt = at.at('tcp');
  const httpAt = at.at('http');
  // An empty tcp or http block is accepted as Istio accepts it (it keeps the defaults); the
  // rule book refuses a pool with neither.
  const keepalive = tcp?.tcpKeepalive;
  const keepaliveAt = tcpAt.at('tcpKeepalive');
  return {
    tcp: tcp && {
      maxConnections: count(tcpAt.at('maxConnections'), tcp.maxConnections, true),
      connectTimeout: duration(tcp.connectTimeout),
      tcpKeepalive: keepalive && {
        probes: count(keepaliveAt.at('probes'), keepalive.probes, false),
        time: duration(keepalive.time),
        interval: duration(keepalive.interval),
      },
      idleTimeout: duration(tcp.idleTimeout),
      maxConnectionDuration: duration(tcp.maxConnectionDuration),
    },
    http: http && {
      http1MaxPendingRequests: count(httpAt.at('http1MaxPendingRequests'), http.http1MaxPendingRequests, true),
      http2MaxRequests: count(httpAt.at('http2MaxRequests'), http.http2MaxRequests, true),
      maxRequestsPerConnection: count(httpAt.at('maxRequestsPerConnection'), http.maxRequestsPerConnection, true),
      maxRetries: count(httpAt.at('maxRetries'), http.maxRetries, true),
      idleTimeout: duration(http.idleTimeout),
      h2UpgradePolicy: http.h2UpgradePolicy === undefined ? undefined : H2_UPGRADE[http.h2UpgradePolicy],
      useClientProtocol: http.useClientProtocol,
      maxConcurrentStreams: count(httpAt.at('maxConcurrentStreams'), http.maxConcurrentStreams, true),
    },
  };
}

function renderOutlierDetection(od: OutlierDetectionOptions, at: FieldPath): DestinationRuleSpecTrafficPolicyOutlierDetection {
  return {
    consecutive5xxErrors: count(at.at('consecutive5xxErrors'), od.consecutive5xxErrors, false),
    consecutiveGatewayErrors: count(at.at('consecutiveGatewayErrors'), od.consecutiveGatewayErrors, false),
    interval: duration(od.interval),
    baseEjectionTime: duration(od.baseEjectionTime),
    maxEjectionPercent: percent(at.at('maxEjectionPercent'), od.maxEjectionPercent),
    minHealthPercent: percent(at.at('minHealthPercent'), od.minHealthPercent),
    splitExternalLocalOriginErrors: od.splitExternalLocalOriginErrors,
    consecutiveLocalOriginFailures: count(at.at('consecutiveLocalOriginFailures'), od.consecutiveLocalOriginFailures, false),
  };
}
