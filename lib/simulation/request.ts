/** The protocol a simulated request is routed by: which section of a VirtualService applies. */
export enum RequestProtocol {
  /** HTTP/1.1, HTTP/2, gRPC: the `http` routes. */
  HTTP = 'HTTP',
  /** TLS passed through with SNI: the `tls` routes. */
  TLS = 'TLS',
  /** Opaque TCP: the `tcp` routes. */
  TCP = 'TCP',
}

/** What a sidecar does with a request for a host it knows nothing about (`meshConfig.outboundTrafficPolicy.mode`). */
export enum OutboundTrafficPolicy {
  /** The request leaves the mesh unchanged (Istio's default). */
  ALLOW_ANY = 'ALLOW_ANY',
  /** The request is dropped. */
  REGISTRY_ONLY = 'REGISTRY_ONLY',
}

/** Options of a {@link MeshSimulator}. */
export interface MeshSimulatorOptions {
  /**
   * Namespace of the objects that set none, and of callers that name none.
   * @default 'default'
   */
  readonly defaultNamespace?: string;
  /**
   * What sidecars do with requests for hosts outside the service registry.
   * @default OutboundTrafficPolicy.ALLOW_ANY
   */
  readonly outboundTrafficPolicy?: OutboundTrafficPolicy;
}

/**
 * A request to simulate: who sends it (a workload by namespace and labels, or a gateway) and what it
 * asks for (authority, port, method, URI, headers, query parameters, or SNI for TLS).
 */
export interface SimulatedRequest {
  /**
   * The host the caller asks for: the `:authority` (`Host`) of an HTTP request, the host a TCP
   * client connects to, the default SNI of a TLS one. Short names (`reviews`) resolve in the
   * caller's namespace as Kubernetes DNS does; may carry a port (`reviews:9080`).
   */
  readonly host: string;
  /**
   * Destination port.
   * @default - the port in `host`, else the Service's first port, else 80 (443 for TLS); for a
   * gateway, its only server port, else 80
   */
  readonly port?: number;
  /**
   * Protocol of the request.
   * @default RequestProtocol.HTTP
   */
  readonly protocol?: RequestProtocol;
  /**
   * `:scheme` of an HTTP request.
   * @default 'http'
   */
  readonly scheme?: string;
  /**
   * HTTP method.
   * @default 'GET'
   */
  readonly method?: string;
  /**
   * Path, with an optional query string (`/api?debug=1`).
   * @default '/'
   */
  readonly uri?: string;
  /**
   * Request headers; names are case-insensitive (HTTP/2 lowercases them), values case-sensitive.
   * @default - none
   */
  readonly headers?: { [name: string]: string };
  /**
   * Query parameters, in addition to those in `uri`.
   * @default - those of `uri`
   */
  readonly queryParams?: { [name: string]: string };
  /**
   * SNI of a TLS request.
   * @default - the host without port
   */
  readonly sni?: string;
  /**
   * Namespace of the calling workload (its sidecar).
   * @default - the simulator's default namespace
   */
  readonly sourceNamespace?: string;
  /**
   * Pod labels of the calling workload, for `sourceLabels` matches.
   * @default - none
   */
  readonly sourceLabels?: { [key: string]: string };
  /**
   * The request enters through this Gateway (`namespace/name`, or `name` in the default namespace)
   * instead of a sidecar.
   * @default - the caller is a sidecar (the `mesh` gateway)
   */
  readonly gateway?: string;
}
