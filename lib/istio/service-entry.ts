import { Construct } from 'constructs';
import { fail } from '../kinds/errors';
import { checkExportTo, checkLabels, checkSelector } from './field-checks';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { IDestinationHost } from './route-destination';
import { formatList, isDns1123Label, isFqdn, isIpAddress, isIpOrCidr, isPort, isWildcardDomain } from '../kinds/fields';

const ENDPOINT_PORT_NAME = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const MAX_WEIGHT = 4294967295;

/** Properties of a {@link ServiceEntry}. */
export interface ServiceEntryProps extends IstioResourceProps {
  /**
   * Hosts of the service (1..256): FQDNs (`api.example.com`) or wildcards (`*.example.com`), never `*`.
   * @see https://istio.io/latest/docs/reference/config/networking/service-entry/#ServiceEntry
   */
  readonly hosts: string[];

  /**
   * Ports of the service. More can be added with `addPort()`; at least one is required before synth.
   * @default - none
   */
  readonly ports?: ServiceEntryPortOptions[];

  /**
   * Whether the service is outside the mesh or part of it.
   * @default ServiceEntryLocation.MESH_EXTERNAL
   */
  readonly location?: ServiceEntryLocation;

  /**
   * How the proxy finds the service's endpoints.
   * @default - ServiceEntryResolution.DNS when no host has a wildcard, otherwise ServiceEntryResolution.NONE
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
   * excludes `endpoints`).
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
  /** DNS resolution of wildcard hosts at request time. */
  DYNAMIC_DNS = 'DYNAMIC_DNS',
}

/** A port of a ServiceEntry. */
export interface ServiceEntryPortOptions {
  /** Port number (1..65535), unique within the entry. */
  readonly number: number;

  /** Port name, a DNS-1123 label unique within the entry (`http`, `https`). */
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
  /** Whether the service is inside or outside the mesh. */
  public readonly location: ServiceEntryLocation;
  /** How endpoints are resolved. */
  public readonly resolution: ServiceEntryResolution;
  private readonly _hosts: string[];
  private readonly _addresses: string[];
  private readonly _exportTo: string[];
  private readonly _workloadSelector?: { [key: string]: string };
  private readonly _ports: ServiceEntryPortOptions[] = [];
  private readonly _endpoints: ServiceEntryEndpointOptions[] = [];

  public constructor(scope: Construct, id: string, props: ServiceEntryProps) {
    super(scope, id, 'ServiceEntry', props);
    this._hosts = this.checkHosts(props.hosts);
    const wildcard = this._hosts.some((h) => h.includes('*'));
    this.location = props.location ?? ServiceEntryLocation.MESH_EXTERNAL;
    this.resolution = props.resolution ?? (wildcard ? ServiceEntryResolution.NONE : ServiceEntryResolution.DNS);
    this._exportTo = checkExportTo(this._describe, props.exportTo, this.namespace, true);
    this._addresses = this.checkAddresses(props.addresses ?? []);
    if (this.resolution === ServiceEntryResolution.DYNAMIC_DNS) {
      this._hosts.forEach((h, i) => {
        if (!h.startsWith('*')) {
          fail(
            this._describe,
            `spec.hosts[${i}]`,
            h,
            'must be a wildcard host with resolution DYNAMIC_DNS',
            'use a host like "*.example.com"',
          );
        }
      });
    }
    if (props.workloadSelector !== undefined) {
      if (props.endpoints && props.endpoints.length > 0) {
        fail(
          this._describe,
          'spec.workloadSelector',
          props.workloadSelector,
          'cannot be combined with endpoints',
          'use either workloadSelector or endpoints',
        );
      }
      this._workloadSelector = checkSelector(this._describe, 'spec.workloadSelector.labels', props.workloadSelector);
    }
    for (const port of props.ports ?? []) this.addPort(port);
    for (const endpoint of props.endpoints ?? []) this.addEndpoint(endpoint);
    this.node.addValidation({ validate: () => this.validateLater() });
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

  /** Adds a port and returns it; throws when its number or name is invalid or taken. */
  public addPort(options: ServiceEntryPortOptions): ServiceEntryPortOptions {
    const field = `spec.ports[${this._ports.length}]`;
    if (!isPort(options.number)) fail(this._describe, `${field}.number`, options.number, 'must be an integer between 1 and 65535');
    if (options.targetPort !== undefined && !isPort(options.targetPort)) {
      fail(this._describe, `${field}.targetPort`, options.targetPort, 'must be an integer between 1 and 65535');
    }
    if (!isDns1123Label(options.name)) {
      fail(
        this._describe,
        `${field}.name`,
        options.name,
        'must be a DNS-1123 label (lower case alphanumerics and "-")',
        'use a name like "http" or "https-443"',
      );
    }
    if (this._ports.some((p) => p.name === options.name)) {
      fail(
        this._describe,
        `${field}.name`,
        options.name,
        'is already used by another port of this ServiceEntry; port names must be unique',
        'choose another name',
      );
    }
    if (this._ports.some((p) => p.number === options.number)) {
      fail(
        this._describe,
        `${field}.number`,
        options.number,
        'is already used by another port of this ServiceEntry; port numbers must be unique',
      );
    }
    if (this.resolution === ServiceEntryResolution.DYNAMIC_DNS && !isHttpOrTls(options.protocol)) {
      fail(this._describe, `${field}.protocol`, options.protocol, 'must be HTTP, HTTP2, GRPC, HTTPS or TLS with resolution DYNAMIC_DNS');
    }
    if (this.resolution !== ServiceEntryResolution.NONE && this._hosts.length > 1 && !isHttpOrTls(options.protocol)) {
      fail(
        this._describe,
        `${field}.protocol`,
        options.protocol,
        `must be HTTP, HTTP2, GRPC, HTTPS or TLS: with resolution ${this.resolution} and several hosts, the proxy can only tell the hosts apart by HTTP Host header or TLS SNI`,
        'use one ServiceEntry per host, or resolution NONE',
      );
    }
    const port: ServiceEntryPortOptions = {
      number: options.number,
      name: options.name,
      protocol: options.protocol,
      targetPort: options.targetPort,
    };
    this._ports.push(port);
    return { ...port };
  }

  /** Adds an endpoint and returns it; throws when the resolution does not allow it or it is invalid. */
  public addEndpoint(options: ServiceEntryEndpointOptions): ServiceEntryEndpointOptions {
    const field = `spec.endpoints[${this._endpoints.length}]`;
    if (this._workloadSelector) {
      fail(this._describe, field, options.address, 'cannot be combined with workloadSelector', 'use either workloadSelector or endpoints');
    }
    if (this.resolution === ServiceEntryResolution.NONE || this.resolution === ServiceEntryResolution.DYNAMIC_DNS) {
      fail(
        this._describe,
        field,
        options.address,
        `is not allowed with resolution ${this.resolution}`,
        'use resolution STATIC or DNS, or drop the endpoints',
      );
    }
    if (this.resolution === ServiceEntryResolution.DNS_ROUND_ROBIN && this._endpoints.length >= 1) {
      fail(
        this._describe,
        field,
        options.address,
        'is one endpoint too many: resolution DNS_ROUND_ROBIN allows at most one',
        'use resolution DNS for several endpoints',
      );
    }
    const address = options.address;
    if (address.startsWith('unix://')) {
      const path = address.slice('unix://'.length);
      if (!(path.startsWith('/') || path.startsWith('@')) || path.endsWith('/')) {
        fail(
          this._describe,
          `${field}.address`,
          address,
          'must be an absolute socket path or abstract socket (unix:///path or unix://@name), not a directory',
        );
      }
      if (this.resolution !== ServiceEntryResolution.STATIC) {
        fail(this._describe, `${field}.address`, address, 'is a unix socket, which only resolution STATIC allows');
      }
      if (options.ports && Object.keys(options.ports).length > 0) {
        fail(this._describe, `${field}.ports`, options.ports, 'must not be set on a unix socket endpoint');
      }
    } else if (this.resolution === ServiceEntryResolution.STATIC && !isIpAddress(address)) {
      fail(
        this._describe,
        `${field}.address`,
        address,
        'must be an IP address or a unix:// socket with resolution STATIC',
        'use resolution DNS for host names',
      );
    } else if (this.resolution !== ServiceEntryResolution.STATIC && !isIpAddress(address) && !isFqdn(address)) {
      fail(
        this._describe,
        `${field}.address`,
        address,
        `must be an IP address or a host name (FQDN, no wildcard) with resolution ${this.resolution}`,
      );
    }
    for (const [name, number] of Object.entries(options.ports ?? {})) {
      if (name.length >= 63 || !ENDPOINT_PORT_NAME.test(name)) fail(this._describe, `${field}.ports`, name, 'is not a valid port name');
      if (!isPort(number)) fail(this._describe, `${field}.ports.${name}`, number, 'must be an integer between 1 and 65535');
    }
    checkLabels(this._describe, `${field}.labels`, options.labels ?? {});
    if (options.weight !== undefined && (!Number.isInteger(options.weight) || options.weight < 0 || options.weight > MAX_WEIGHT)) {
      fail(this._describe, `${field}.weight`, options.weight, `must be an integer between 0 and ${MAX_WEIGHT}`);
    }
    const endpoint = copyEndpoint(options);
    this._endpoints.push(endpoint);
    return copyEndpoint(endpoint);
  }

  /** @internal */
  protected _toSpec(): any {
    return {
      hosts: [...this._hosts],
      addresses: this._addresses.length > 0 ? [...this._addresses] : undefined,
      ports:
        this._ports.length > 0
          ? this._ports.map((p) => ({ number: p.number, name: p.name, protocol: p.protocol, targetPort: p.targetPort }))
          : undefined,
      location: this.location,
      resolution: this.resolution,
      endpoints:
        this._endpoints.length > 0
          ? this._endpoints.map((e) => ({
              address: e.address,
              ports: e.ports && Object.keys(e.ports).length > 0 ? { ...e.ports } : undefined,
              labels: e.labels && Object.keys(e.labels).length > 0 ? { ...e.labels } : undefined,
              network: e.network,
              locality: e.locality,
              weight: e.weight,
            }))
          : undefined,
      workloadSelector: this._workloadSelector ? { labels: { ...this._workloadSelector } } : undefined,
      exportTo: this._exportTo.length > 0 ? [...this._exportTo] : undefined,
    };
  }

  private checkHosts(hosts: string[]): string[] {
    if (hosts.length === 0 || hosts.length > 256) {
      fail(this._describe, 'spec.hosts', hosts, 'must list between 1 and 256 hosts');
    }
    hosts.forEach((h, i) => {
      if (h === '*') {
        fail(this._describe, `spec.hosts[${i}]`, h, 'cannot be "*"', 'name the external hosts, e.g. "*.example.com" or "api.example.com"');
      }
      if (!isWildcardDomain(h)) fail(this._describe, `spec.hosts[${i}]`, h, 'must be an FQDN or a wildcard domain like "*.example.com"');
    });
    return [...hosts];
  }

  private checkAddresses(addresses: string[]): string[] {
    const cidrAllowed = this.resolution === ServiceEntryResolution.NONE || this.resolution === ServiceEntryResolution.STATIC;
    addresses.forEach((a, i) => {
      const field = `spec.addresses[${i}]`;
      if (!isIpOrCidr(a)) fail(this._describe, field, a, 'must be an IP address or a CIDR block');
      if (a.includes('/') && !cidrAllowed) {
        fail(
          this._describe,
          field,
          a,
          `is a CIDR block, which only resolution NONE or STATIC allows (not ${this.resolution})`,
          'use single IP addresses',
        );
      }
    });
    if (addresses.length > 0 && this.resolution === ServiceEntryResolution.DYNAMIC_DNS) {
      fail(this._describe, 'spec.addresses', addresses, 'are not allowed with resolution DYNAMIC_DNS');
    }
    return [...addresses];
  }

  private validateLater(): string[] {
    const errors: string[] = [];
    if (this._ports.length === 0) {
      errors.push(`${this._describe}: spec.ports is empty; a ServiceEntry needs at least one port (call addPort())`);
    }
    const dns = this.resolution === ServiceEntryResolution.DNS || this.resolution === ServiceEntryResolution.DNS_ROUND_ROBIN;
    if (dns && this._endpoints.length === 0) {
      this._hosts.forEach((h, i) => {
        if (!isFqdn(h)) {
          errors.push(
            `${this._describe}: spec.hosts[${i}] ('${h}') must not be a wildcard with resolution ${this.resolution} and no endpoints; add endpoints with addEndpoint() or use resolution NONE or DYNAMIC_DNS`,
          );
        }
      });
    }
    const declared = this._ports.map((p) => p.name);
    this._endpoints.forEach((e, i) => {
      for (const name of Object.keys(e.ports ?? {})) {
        if (!declared.includes(name)) {
          errors.push(
            `${this._describe}: spec.endpoints[${i}].ports ('${name}') is not a port of this ServiceEntry (ports: ${formatList(declared)}); call addPort() or rename it`,
          );
        }
      }
      if (e.address.startsWith('unix://') && this._ports.length !== 1) {
        errors.push(
          `${this._describe}: spec.endpoints[${i}].address ('${e.address}') is a unix socket, which needs exactly one service port (has ${this._ports.length})`,
        );
      }
    });
    return errors;
  }
}

function isHttpOrTls(protocol: ServicePortProtocol | undefined): boolean {
  return (
    protocol === ServicePortProtocol.HTTP ||
    protocol === ServicePortProtocol.HTTP2 ||
    protocol === ServicePortProtocol.GRPC ||
    protocol === ServicePortProtocol.HTTPS ||
    protocol === ServicePortProtocol.TLS
  );
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
