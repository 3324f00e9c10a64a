import { isFqdn, isIpAddress, isIpOrCidr, isIstioDnsLabel, isPartialWildcard, isWildcardDomain } from './fields';
import { parseProtocol } from './gateway';
import { arr, checkExportTo, checkLabels, entries, namespaceOf, obj, str } from './common';
import { Problems } from './problem';

const HTTP_FAMILY = new Set(['HTTP', 'HTTP2', 'HTTP_PROXY', 'GRPC', 'GRPC-WEB']);
const TLS_FAMILY = new Set(['HTTPS', 'TLS']);
const DYNAMIC_DNS_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'GRPC', 'TLS']);
/** Protocols Istio carries over TCP without telling hosts apart by Host header (its `IsTCP`). */
const TCP_CARRIED = new Set(['TCP', 'HTTPS', 'TLS', 'MONGO', 'REDIS', 'MYSQL']);

/**
 * Istio's admission rules for a ServiceEntry that its CRD schema (and CEL rules) do not express.
 * Assumes Istio's default `PILOT_ENABLE_IP_AUTOALLOCATE=true`.
 * @internal
 */
export function checkServiceEntry(r: Problems, object: any): void {
  const spec = obj(object.spec);
  if (!spec) return;
  const resolution = str(spec.resolution) ?? 'NONE';
  const hosts = arr(spec.hosts);
  const ports = arr(spec.ports)
    .map(obj)
    .filter((p): p is Record<string, any> => p !== undefined);
  const portNames = new Set(ports.map((p) => p.name).filter((n) => typeof n === 'string'));
  const endpoints = arr(spec.endpoints);
  const addresses = arr(spec.addresses);

  hosts.forEach((host, i) => {
    if (typeof host !== 'string' || host === '*') return; // '*' is a CEL rule of the CRD
    const f = `spec.hosts[${i}]`;
    if (!isWildcardDomain(host)) {
      r.error(f, host, "is not a valid host: DNS labels, optionally with a wildcard first label ('*.example.com')");
    } else if (isPartialWildcard(host) && resolution !== 'DYNAMIC_DNS') {
      r.warn(f, host, "is a partial wildcard; only a leading '*.' label matches reliably");
    }
  });

  const selector = obj(spec.workloadSelector);
  if (selector) {
    const labels = entries(selector.labels);
    if (labels.length === 0) r.warnAt('spec.workloadSelector.labels', 'is empty and selects every workload in the namespace');
    for (const [key] of labels) {
      if (key === '') r.errorAt('spec.workloadSelector.labels', 'label keys may not be empty');
      else if (key.includes('*')) r.error(`spec.workloadSelector.labels.${key}`, key, 'may not contain a wildcard');
    }
    if (resolution === 'NONE') r.warnAt('spec.workloadSelector', 'is not used with resolution NONE');
  }

  addresses.forEach((a, i) => {
    if (typeof a === 'string' && !isIpOrCidr(a)) r.error(`spec.addresses[${i}]`, a, 'must be an IP address or CIDR block');
  });

  const seenNames = new Map<string, number>();
  ports.forEach((p, i) => {
    const f = `spec.ports[${i}]`;
    if (typeof p.name === 'string') {
      const first = seenNames.get(p.name);
      if (first !== undefined) r.error(`${f}.name`, p.name, `duplicates spec.ports[${first}].name; port names must be unique`);
      else seenNames.set(p.name, i);
    }
    if (typeof p.name === 'string' && !isIstioDnsLabel(p.name)) {
      r.error(`${f}.name`, p.name, "must be a DNS-1123 label (alphanumerics and '-', at most 63 characters)");
    }
    if (typeof p.protocol === 'string' && p.protocol !== '' && !parseProtocol(p.protocol)) {
      r.error(
        `${f}.protocol`,
        p.protocol,
        'is not a known protocol (HTTP, HTTPS, HTTP2, GRPC, TCP, TLS, ...); leave it empty for sniffing',
      );
    }
  });

  const optOut = str(obj(obj(object.metadata)?.labels)?.['networking.istio.io/enable-autoallocate-ip']);
  const autoAllocate = resolution !== 'NONE' && optOut?.toLowerCase() !== 'false';
  if (addresses.length === 0 && !autoAllocate) {
    ports.forEach((p, i) => {
      // Istio compares the protocol as written here, not as parsed.
      if (p.protocol === undefined || p.protocol === null || p.protocol === '' || p.protocol === 'TCP') {
        r.warnAt(`spec.ports[${i}]`, 'a TCP (or unset) protocol port without spec.addresses can only be matched by port; add addresses');
      }
    });
  }

  endpoints.forEach((e, i) => {
    const ep = obj(e);
    if (!ep) return;
    const f = `spec.endpoints[${i}]`;
    checkLabels(r, `${f}.labels`, ep.labels);
    for (const [name] of entries(ep.ports)) {
      if (!portNames.has(name)) {
        r.error(`${f}.ports.${name}`, name, `is not a port of this ServiceEntry (${[...portNames].join(', ') || 'none'})`);
      }
    }
    const address = str(ep.address) ?? '';
    if (address === '' && (resolution === 'STATIC' || resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN')) {
      const network = str(ep.network) ?? '';
      // A STATIC endpoint on another network may leave its address to the network's gateway; DNS needs a name.
      if (resolution === 'STATIC' && network !== '') {
        r.warnAt(`${f}.address`, `is unset with network '${network}'; traffic goes through that network's gateway`);
      } else r.errorAt(`${f}.address`, `is required with resolution ${resolution}`);
      return;
    }
    if (resolution === 'STATIC') {
      if (address.startsWith('unix://')) {
        if (ports.length !== 1) r.error(`${f}.address`, address, 'is a unix socket; the ServiceEntry must then declare exactly one port');
      } else if (!isIpAddress(address)) {
        r.error(`${f}.address`, address, "must be an IP address (or 'unix://' path) with resolution STATIC");
      }
    } else if ((resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') && !isIpAddress(address) && !isFqdn(address)) {
      r.error(`${f}.address`, address, 'must be an IP address or a host name with DNS resolution');
    }
  });

  if ((resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') && endpoints.length === 0) {
    hosts.forEach((host, i) => {
      if (typeof host === 'string' && host.includes('*')) {
        r.error(
          `spec.hosts[${i}]`,
          host,
          `is a wildcard, which ${resolution} resolution cannot resolve without endpoints; list endpoints or use resolution NONE`,
        );
      }
    });
  }
  if ((resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') && addresses.length > 0 && hosts.length > 1) {
    if (ports.some((p) => TCP_CARRIED.has(parseProtocol(p.protocol) ?? ''))) {
      r.warnAt(
        'spec.addresses',
        'with several hosts and a TCP-carried port (TCP, HTTPS, TLS, ...), traffic to the addresses cannot be told apart by host',
      );
    }
  }

  if (resolution === 'DYNAMIC_DNS') checkDynamicDns(r, object, spec, hosts, ports, addresses, endpoints);

  if (resolution !== 'NONE' && hosts.length > 1) {
    ports.forEach((p, i) => {
      const proto = parseProtocol(p.protocol);
      if (!proto || (!HTTP_FAMILY.has(proto) && !TLS_FAMILY.has(proto))) {
        r.errorAt(
          `spec.ports[${i}].protocol`,
          `several hosts with resolution ${resolution} need HTTP or TLS ports to tell the hosts apart; split the ServiceEntry per host`,
        );
      }
    });
  }
  checkExportTo(r, 'spec.exportTo', spec.exportTo, namespaceOf(object), true);
}

function checkDynamicDns(
  r: Problems,
  object: any,
  spec: Record<string, any>,
  hosts: any[],
  ports: Record<string, any>[],
  addresses: any[],
  endpoints: any[],
): void {
  hosts.forEach((host, i) => {
    if (typeof host === 'string' && !host.startsWith('*')) {
      r.error(`spec.hosts[${i}]`, host, 'must be a wildcard host with resolution DYNAMIC_DNS');
    }
  });
  if (addresses.length > 0) r.errorAt('spec.addresses', 'may not be set with resolution DYNAMIC_DNS');
  if (endpoints.length > 0) r.errorAt('spec.endpoints', 'may not be set with resolution DYNAMIC_DNS');
  ports.forEach((p, i) => {
    const proto = parseProtocol(p.protocol);
    if (!proto || !DYNAMIC_DNS_PROTOCOLS.has(proto)) {
      r.error(`spec.ports[${i}].protocol`, p.protocol ?? '', 'must be HTTP, HTTP2, GRPC or TLS with resolution DYNAMIC_DNS');
    }
  });
  const location = spec.location ?? 'MESH_EXTERNAL';
  const waypointLabel = str(obj(obj(object.metadata)?.labels)?.['istio.io/use-waypoint']);
  const waypoint = waypointLabel !== undefined && waypointLabel !== '' && waypointLabel.toLowerCase() !== 'none';
  if (location === 'MESH_INTERNAL' && waypoint) {
    r.errorAt('spec.location', 'MESH_INTERNAL with resolution DYNAMIC_DNS may not use a waypoint (istio.io/use-waypoint)');
  }
}
