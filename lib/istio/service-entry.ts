import { Construct } from 'constructs';
import { ServiceEntrySpec, ServiceEntrySpecEndpoints, ServiceEntrySpecPorts } from '../../imports/istio-types';
import { isLabelKey, isLabelValue } from '../kinds/fields';
import { Problem } from '../kinds/problem';
import { FieldPath } from './field-path';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { IDestinationHost } from './route-destination';

// The CRD schema (bounds, CEL rules, unique list keys) and Istio's admission rules (the rule book,
// lib/kinds/service-entry.ts) are checked at construction and after every add*() call. The only
// checks below are where this construct is deliberately stricter than Istio (said so where the
// prop is documented).

/** Properties of a {@link ServiceEntry}. */
export interface ServiceEntryProps extends IstioResourceProps {
  /**
   * Hosts of the service (1..256): FQDNs (`api.example.com`) or wildcards (`*.example.com`), never `*`.
   * With resolution DYNAMIC_DNS, wildcards only.
   * @see https://istio.io/latest/docs/reference/config/networking/service-entry/#ServiceEntry
   */
  readonly hosts: string[];

  /**
   * Ports of the service. More can be added with `addPort()`. At least one is required before
   * synth: stricter than Istio, which accepts a ServiceEntry without ports.
   * @default - none
   */
  readonly ports?: ServiceEntryPortOptions[];

  /**
   * Whether the service is outside the mesh or part of it. Written only when set.
   * @default - not written: Istio reads it as ServiceEntryLocation.MESH_EXTERNAL
   */
  readonly location?: ServiceEntryLocation;

  /**
   * How the proxy finds the service's endpoints. Written only when set.
   * @default - not written: Istio reads it as ServiceEntryResolution.NONE (connections go to the
   * address the caller used; no endpoints)
   */
  readonly resolution?: ServiceEntryResolution;

  /**
   * Virtual IP addresses or CIDR blocks of the service (CIDRs only with NONE or STATIC resolution).
   * @default - none
   */
  readonly addresses?: string[];

  /**
   * Endpoints of the service. More can be added with `addEndpoint()`.
   * @default - none: the hosts themselves are resolved
   */
  readonly endpoints?: ServiceEntryEndpointOptions[];

  /**
   * Namespaces that see this entry: `.`, `*`, `~` (none) or namespace names.
   * @default - all namespaces (or the mesh's default export policy)
   */
  readonly exportTo?: string[];

  /**
   * Labels of in-mesh workloads (pods, WorkloadEntries) that are the endpoints (MESH_INTERNAL only;
   * excludes `endpoints`). Stricter than Istio: at least one label (Istio only warns that an empty
   * selector selects every workload), and every key and value a valid Kubernetes label (Istio only
   * rejects empty keys and `*`).
   * @default - none
   */
  readonly workloadSelector?: { [key: string]: string };
}

/** Protocol of a ServiceEntry port. */
export enum ServicePortProtocol {
  /** HTTP/1.1. */
  HTTP = 'HTTP',
  /** HTTP over TLS. */
  HTTPS = 'HTTPS',
  /** HTTP/2. */
  HTTP2 = 'HTTP2',
  /** gRPC. */
  GRPC = 'GRPC',
  /** Opaque TCP. */
  TCP = 'TCP',
  /** TLS, routed by SNI. */
  TLS = 'TLS',
  /** MongoDB wire protocol. */
  MONGO = 'MONGO',
  /** Redis protocol. */
  REDIS = 'REDIS',
  /** MySQL protocol. */
  MYSQL = 'MYSQL',
}

/** Where the service runs relative to the mesh. */
export enum ServiceEntryLocation {
  /** Outside the mesh (an external API); mTLS is not used towards it. */
  MESH_EXTERNAL = 'MESH_EXTERNAL',
  /** Part of the mesh (VMs, services not in Kubernetes). */
  MESH_INTERNAL = 'MESH_INTERNAL',
}

/** How the proxy resolves the service's endpoints. */
export enum ServiceEntryResolution {
  /** No resolution: connections go to the address the caller used. */
  NONE = 'NONE',
  /** The listed endpoint IP addresses. */
  STATIC = 'STATIC',
  /** DNS, using every address returned (the endpoints, or the hosts when there are none). */
  DNS = 'DNS',
  /** DNS, using only the first address returned. */
  DNS_ROUND_ROBIN = 'DNS_ROUND_ROBIN',
  /** DNS resolution of wildcard hosts at request time; HTTP, HTTP2, GRPC and TLS ports only. */
  DYNAMIC_DNS = 'DYNAMIC_DNS',
}

/** A port of a ServiceEntry. */
export interface ServiceEntryPortOptions {
  /** Port number (1..65535), unique within the entry. */
  readonly number: number;

  /** Port name, a DNS-1123 label (alphanumerics and `-`) unique within the entry (`http`, `https`). */
  readonly name: string;

  /**
   * Protocol on the port.
   * @default - detected by the proxy (protocol sniffing)
   */
  readonly protocol?: ServicePortProtocol;

  /**
   * Port on the endpoints that receives the traffic.
   * @default - the same as `number`
   */
  readonly targetPort?: number;
}

/** An endpoint of a ServiceEntry. */
export interface ServiceEntryEndpointOptions {
  /** IP address, host name (DNS resolution), or `unix:///path` socket (STATIC resolution). */
  readonly address: string;

  /**
   * Port on this endpoint for each service port name (`{ http: 8080 }`).
   * @default - the service ports' numbers (or targetPorts)
   */
  readonly ports?: { [name: string]: number };

  /**
   * Labels of the endpoint, used by subsets.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Network the endpoint is in (multi-network meshes).
   * @default - the proxy's network
   */
  readonly network?: string;

  /**
   * Locality (`region/zone/subzone`) of the endpoint, for locality load balancing.
   * @default - none
   */
  readonly locality?: string;

  /**
   * Load-balancing weight relative to the other endpoints.
   * @default - equal weights
   */
  readonly weight?: number;
}

/**
 * An Istio `ServiceEntry`: adds a service that Kubernetes does not know (an external API,
 * a VM) to the mesh's service registry, e.g. for egress.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
 */
export class ServiceEntry extends IstioResource implements IDestinationHost {
  /** Whether the service is inside or outside the mesh (as Istio reads it: MESH_EXTERNAL when not set). */
  public readonly location: ServiceEntryLocation;
  /** How endpoints are resolved (as Istio reads it: NONE when not set). */
  public readonly resolution: ServiceEntryResolution;
  private readonly _location?: ServiceEntryLocation;
  private readonly _resolution?: ServiceEntryResolution;
  private readonly _hosts: string[];
  private readonly _addresses: string[];
  private readonly _exportTo: string[];
  private readonly _workloadSelector?: { [key: string]: string };
  private readonly _ports: ServiceEntryPortOptions[] = [];
  private readonly _endpoints: ServiceEntryEndpointOptions[] = [];

  public constructor(scope: Construct, id: string, props: ServiceEntryProps) {
    super(scope, id, 'ServiceEntry', props);
    const spec = this._specPath;
    this._hosts = [...props.hosts];
    this._location = props.location;
    this._resolution = props.resolution;
    this.location = props.location ?? ServiceEntryLocation.MESH_EXTERNAL;
    this.resolution = props.resolution ?? ServiceEntryResolution.NONE;
    this._exportTo = [...(props.exportTo ?? [])];
    this._addresses = [...(props.addresses ?? [])];
    if (props.workloadSelector !== undefined) {
      this._workloadSelector = checkSelectorLabels(spec.at('workloadSelector').at('labels'), props.workloadSelector);
    }
    for (const port of props.ports ?? []) this.addPort(port);
    for (const endpoint of props.endpoints ?? []) this.addEndpoint(endpoint);
    this.node.addValidation({
      validate: () =>
        this._ports.length === 0
          ? [`${this._describe}: spec.ports: a ServiceEntry needs at least one port (stricter than Istio); call addPort()`]
          : [],
    });
    this._constructed();
  }

  /** The first host: what a route's `destination.host` names. */
  public get host(): string {
    return this._hosts[0];
  }

  /** All hosts (a copy). */
  public get hosts(): string[] {
    return [...this._hosts];
  }

  /** The ports added so far (a copy). */
  public get ports(): ServiceEntryPortOptions[] {
    return this._ports.map((p) => ({ ...p }));
  }

  /** The endpoints added so far (a copy). */
  public get endpoints(): ServiceEntryEndpointOptions[] {
    return this._endpoints.map(copyEndpoint);
  }

  /** Adds a port and returns it. Throws (and adds nothing) when the port breaks a rule of the schema or the rule book. */
  public addPort(options: ServiceEntryPortOptions): ServiceEntryPortOptions {
    const port: ServiceEntryPortOptions = {
      number: options.number,
      name: options.name,
      protocol: options.protocol,
      targetPort: options.targetPort,
    };
    this._addChecked(this._ports, port);
    return { ...port };
  }

  /** Adds an endpoint and returns it. Throws (and adds nothing) when the endpoint breaks a rule of the schema or the rule book. */
  public addEndpoint(options: ServiceEntryEndpointOptions): ServiceEntryEndpointOptions {
    const endpoint = copyEndpoint(options);
    this._addChecked(this._endpoints, endpoint);
    return copyEndpoint(endpoint);
  }

  /** @internal */
  protected _toSpec(): ServiceEntrySpec {
    return {
      hosts: [...this._hosts],
      addresses: this._addresses.length > 0 ? [...this._addresses] : undefined,
      ports: this._ports.length > 0 ? this._ports.map(renderPort) : undefined,
      location: this._location === undefined ? undefined : LOCATIONS[this._location],
      resolution: this._resolution === undefined ? undefined : RESOLUTIONS[this._resolution],
      endpoints: this._endpoints.length > 0 ? this._endpoints.map(renderEndpoint) : undefined,
      workloadSelector: this._workloadSelector ? { labels: { ...this._workloadSelector } } : undefined,
      exportTo: this._exportTo.length > 0 ? [...this._exportTo] : undefined,
    };
  }

  /**
   * Rule-book errors a later add*() call can fix, reported at synth: a wildcard host that DNS
   * resolution cannot resolve until an endpoint is added, an endpoint port not declared yet,
   * a unix socket endpoint before the one port is added.
   * @internal
   */
  protected override _isCompletable(problem: Problem): boolean {
    if (/^spec\.hosts\[\d+\]$/.test(problem.path)) return problem.rule.includes('without endpoints');
    if (/^spec\.endpoints\[\d+\]\.ports\./.test(problem.path)) return problem.rule.startsWith('is not a port of this ServiceEntry');
    if (/^spec\.endpoints\[\d+\]\.address$/.test(problem.path)) {
      return problem.rule.includes('exactly one port') && this._ports.length === 0;
    }
    return false;
  }
}

const LOCATIONS: Record<ServiceEntryLocation, NonNullable<ServiceEntrySpec['location']>> = {
  [ServiceEntryLocation.MESH_EXTERNAL]: 'MESH_EXTERNAL',
  [ServiceEntryLocation.MESH_INTERNAL]: 'MESH_INTERNAL',
};

const RESOLUTIONS: Record<ServiceEntryResolution, NonNullable<ServiceEntrySpec['resolution']>> = {
  [ServiceEntryResolution.NONE]: 'NONE',
  [ServiceEntryResolution.STATIC]: 'STATIC',
  [ServiceEntryResolution.DNS]: 'DNS',
  [ServiceEntryResolution.DNS_ROUND_ROBIN]: 'DNS_ROUND_ROBIN',
  [ServiceEntryResolution.DYNAMIC_DNS]: 'DYNAMIC_DNS',
};

// Stricter than Istio (see ServiceEntryProps.workloadSelector). Keys Istio itself rejects
// (empty, or with '*') are left to the rule book.
function checkSelectorLabels(at: FieldPath, labels: { [key: string]: string }): { [key: string]: string } {
  if (Object.keys(labels).length === 0) {
    at.fail(labels, 'must have at least one label', "select workloads with a label such as { app: 'vm' }");
  }
  for (const [key, value] of Object.entries(labels)) {
    if (key !== '' && !key.includes('*') && !isLabelKey(key)) {
      at.at(key).fail(key, "is not a valid label key: '[prefix/]name', name at most 63 alphanumerics, '-', '_' or '.'");
    }
    if (!isLabelValue(value)) {
      at.at(key).fail(value, "is not a valid label value: at most 63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric");
    }
  }
  return { ...labels };
}

function renderPort(p: ServiceEntryPortOptions): ServiceEntrySpecPorts {
  return { number: p.number, name: p.name, protocol: p.protocol, targetPort: p.targetPort };
}

function renderEndpoint(e: ServiceEntryEndpointOptions): ServiceEntrySpecEndpoints {
  return {
    address: e.address,
    ports: e.ports && Object.keys(e.ports).length > 0 ? { ...e.ports } : undefined,
    labels: e.labels && Object.keys(e.labels).length > 0 ? { ...e.labels } : undefined,
    network: e.network,
    locality: e.locality,
    weight: e.weight,
  };
}

function copyEndpoint(e: ServiceEntryEndpointOptions): ServiceEntryEndpointOptions {
  return {
    address: e.address,
    ports: e.ports ? { ...e.ports } : undefined,
    labels: e.labels ? { ...e.labels } : undefined,
    network: e.network,
    locality: e.locality,
    weight: e.weight,
  };
}
