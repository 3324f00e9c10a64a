import { isDns1123Label, isFqdn, isIpAddress, isPartialWildcard, isWildcardDomain } from './fields';
import { arr, checkPort, entries, has, obj, str } from './common';
import { checkConnectionPool } from './destination-rule';
import { checkServerTls, parseProtocol } from './gateway';
import { Problems } from './problem';

const UNIX = 'unix://';
const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'HTTP_PROXY', 'GRPC', 'GRPC-WEB']);
const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);
const LOOPBACK_OR_ANY = new Set(['127.0.0.1', '0.0.0.0', '::1', '::']);
const UNSUPPORTED_INGRESS_TLS: [string, string][] = [
  ['subjectAltNames', 'is not supported in Sidecar ingress TLS'],
  ['credentialName', 'is not supported in Sidecar ingress TLS; use serverCertificate and privateKey files'],
  ['credentialNames', 'is not supported in Sidecar ingress TLS; use serverCertificate and privateKey files'],
  ['tlsCertificates', 'is not supported in Sidecar ingress TLS; use serverCertificate and privateKey files'],
];

/**
 * Istio's admission rules for a Sidecar spec that its CRD schema does not express.
 * @internal
 */
export function checkSidecar(r: Problems, object: any): void {
  const spec = obj(object.spec);
  const selector = obj(spec?.workloadSelector);
  if (selector && checkSelector(r, selector)) return; // Istio stops at a bad selector
  if (!spec || !['egress', 'ingress', 'outboundTrafficPolicy', 'inboundConnectionPool'].some((k) => setList(spec, k))) {
    r.errorAt('spec', 'a Sidecar needs at least one of egress, ingress, outboundTrafficPolicy or inboundConnectionPool');
    return;
  }
  checkIngress(r, arr(spec.ingress));
  checkConnectionPool(r, 'spec.inboundConnectionPool', obj(spec.inboundConnectionPool));
  checkEgress(r, arr(spec.egress), str(obj(object.metadata)?.namespace) ?? '');
  checkOutboundTrafficPolicy(r, obj(spec.outboundTrafficPolicy));
}

function setList(spec: Record<string, any>, key: string): boolean {
  return Array.isArray(spec[key]) ? spec[key].length > 0 : has(spec, key);
}

/** Returns true when the selector is invalid (Istio then reports nothing else). */
function checkSelector(r: Problems, selector: Record<string, any>): boolean {
  const labels = entries(selector.labels);
  let bad = false;
  for (const [k, v] of labels) {
    if (k === '') {
      r.errorAt('spec.workloadSelector.labels', 'label keys may not be empty');
      bad = true;
    } else if (k.includes('*')) {
      r.error(`spec.workloadSelector.labels.${k}`, k, 'may not contain a wildcard');
      bad = true;
    } else if (typeof v === 'string' && v.includes('*')) {
      bad = true; // the CRD's CEL rule reports a wildcard value
    }
  }
  if (!bad && labels.length === 0) {
    r.warnAt('spec.workloadSelector', 'has no labels, so the Sidecar applies to every workload in the namespace');
  }
  return bad;
}

/** Port name (optional, DNS-1123 label), protocol (known or empty), and the old targetPort. */
function checkListenerPort(r: Problems, f: string, port: Record<string, any>): string | undefined {
  const name = str(port.name);
  if (name !== undefined && name !== '' && !isDns1123Label(name)) r.error(`${f}.name`, name, 'must be a DNS-1123 label');
  const protocol = parseProtocol(port.protocol);
  if (typeof port.protocol === 'string' && port.protocol !== '' && !protocol) {
    r.error(`${f}.protocol`, port.protocol, 'is not a known protocol (HTTP, HTTPS, HTTP2, GRPC, TCP, TLS, ...)');
  }
  if (typeof port.targetPort === 'number' && port.targetPort > 0) r.errorAt(`${f}.targetPort`, 'has no effect on Sidecars; remove it');
  return protocol;
}

function checkIngress(r: Problems, ingress: any[]): void {
  const ports = new Set<number>();
  ingress.forEach((item, i) => {
    const f = `spec.ingress[${i}]`;
    const listener = obj(item);
    if (!listener) {
      if (item === null) r.errorAt(f, 'an ingress listener may not be null');
      return;
    }
    const port = obj(listener.port);
    if (!port) return; // required by the schema
    const protocol = checkListenerPort(r, `${f}.port`, port);
    checkPort(r, `${f}.port.number`, port.number === undefined ? 0 : port.number);
    const bind = str(listener.bind);
    if (bind !== undefined && bind !== '' && !isIpAddress(bind)) r.error(`${f}.bind`, bind, 'must be an IP address');
    if (typeof port.number === 'number') {
      if (ports.has(port.number)) {
        r.error(`${f}.port.number`, port.number, 'is already used by another ingress listener; ports must be unique');
      }
      ports.add(port.number);
    }
    checkDefaultEndpoint(r, `${f}.defaultEndpoint`, str(listener.defaultEndpoint));
    const tls = obj(listener.tls);
    if (tls) checkIngressTls(r, `${f}.tls`, tls, protocol);
    const pool = obj(listener.connectionPool);
    checkConnectionPool(r, `${f}.connectionPool`, pool);
    if (pool && obj(pool.http) && !(protocol && HTTP_PROTOCOLS.has(protocol))) {
      r.warnAt(
        `${f}.connectionPool.http`,
        `applies only to HTTP ports; port ${port.number} is ${port.protocol ?? 'without protocol'}, so only tcp settings apply`,
      );
    }
  });
}

function checkDefaultEndpoint(r: Problems, f: string, endpoint: string | undefined): void {
  if (endpoint === undefined || endpoint === '') return;
  if (endpoint.startsWith(UNIX)) {
    checkUnixAddress(r, f, endpoint);
    return;
  }
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):([^:]*)$/.exec(endpoint);
  const host = m ? (m[1] ?? m[2]) : undefined;
  const port = m ? m[3] : undefined;
  if (!m || (host !== '' && !LOOPBACK_OR_ANY.has(host!))) {
    r.error(f, endpoint, "must be '127.0.0.1:<port>', '0.0.0.0:<port>', '[::1]:<port>', '[::]:<port>', ':<port>' or 'unix://<path>'");
    return;
  }
  if (!/^\d+$/.test(port!) || Number(port) < 1 || Number(port) > 65535) {
    r.error(f, endpoint, 'must end with a port number between 1 and 65535');
  }
}

function checkUnixAddress(r: Problems, f: string, value: string): void {
  const path = value.slice(UNIX.length);
  if (path === '') r.error(f, value, 'must name a unix socket path');
  else if (path.startsWith('@')) {
    return;
  } // an abstract socket
  else if (!path.startsWith('/') || path.endsWith('/')) {
    r.error(f, value, "must be an absolute path to a socket file ('unix:///path') or an abstract socket ('unix://@name')");
  }
}

function checkIngressTls(r: Problems, f: string, tls: Record<string, any>, protocol: string | undefined): void {
  for (const [key, rule] of UNSUPPORTED_INGRESS_TLS) {
    const value = tls[key];
    if (Array.isArray(value) ? value.length > 0 : typeof value === 'string' && value !== '') r.errorAt(`${f}.${key}`, rule);
  }
  if (tls.httpsRedirect === true) r.errorAt(`${f}.httpsRedirect`, 'is not supported on Sidecar ingress listeners');
  if (tls.mode === 'ISTIO_MUTUAL' || tls.mode === 'AUTO_PASSTHROUGH') {
    r.error(`${f}.mode`, tls.mode, 'is not allowed in Sidecar ingress TLS; use SIMPLE or MUTUAL');
  }
  if (!protocol || !TLS_PROTOCOLS.has(protocol)) r.errorAt(f, 'TLS settings need an HTTPS or TLS port');
  checkServerTls(r, f, tls);
}

function checkEgress(r: Problems, egress: any[], namespace: string): void {
  const ports = new Set<number>();
  const sockets = new Set<string>();
  let catchAll = false;
  egress.forEach((item, i) => {
    const f = `spec.egress[${i}]`;
    const listener = obj(item);
    if (!listener) {
      if (item === null) r.errorAt(f, 'an egress listener may not be null');
      return;
    }
    const port = obj(listener.port);
    if (!port) {
      if (catchAll) r.errorAt(`${f}.port`, 'a Sidecar may have only one egress listener without port');
      else if (i !== egress.length - 1) r.errorAt(`${f}.port`, 'the egress listener without port must be the last one');
      else catchAll = true;
    } else {
      checkEgressPort(r, f, listener, port);
      const bind = str(listener.bind) ?? '';
      if (port.number === 0 || port.number === undefined) {
        if (sockets.has(bind)) r.error(`${f}.bind`, bind, 'is already used by another egress listener; unix sockets must be unique');
        sockets.add(bind);
      } else if (typeof port.number === 'number') {
        if (ports.has(port.number)) {
          r.error(`${f}.port.number`, port.number, 'is already used by another egress listener; ports must be unique');
        }
        ports.add(port.number);
      }
    }
    checkEgressHosts(r, `${f}.hosts`, arr(listener.hosts), namespace);
  });
}

function checkEgressPort(r: Problems, f: string, listener: Record<string, any>, port: Record<string, any>): void {
  checkListenerPort(r, `${f}.port`, port);
  const bind = str(listener.bind) ?? '';
  if (port.number === 0 || port.number === undefined) {
    if (!bind.startsWith(UNIX)) r.errorAt(`${f}.bind`, "a listener on port 0 needs a unix socket bind address ('unix:///path')");
    else checkUnixAddress(r, `${f}.bind`, bind);
    const mode = listener.captureMode;
    if (mode !== undefined && mode !== 'DEFAULT' && mode !== 'NONE') {
      r.error(`${f}.captureMode`, mode, 'must be DEFAULT or NONE for a unix socket listener');
    }
    return;
  }
  checkPort(r, `${f}.port.number`, port.number);
  if (bind !== '' && !isIpAddress(bind)) r.error(`${f}.bind`, bind, 'must be an IP address');
}

/** Egress hosts: `<namespace>/<dnsName>`, namespace `*`, `.`, `~` or a name; duplicates warn. */
function checkEgressHosts(r: Problems, f: string, hosts: any[], namespace: string): void {
  if (hosts.length === 0) {
    r.errorAt(f, "an egress listener needs at least one host ('./*', 'istio-system/*', ...)");
    return;
  }
  const seen = new Map<string, Set<string>>();
  hosts.forEach((h, i) => {
    if (typeof h !== 'string') return;
    const g = `${f}[${i}]`;
    const slash = h.indexOf('/');
    if (slash < 0) {
      r.error(g, h, "must be '<namespace>/<host>' ('./*', 'istio-system/*', '*/api.example.com')");
      return;
    }
    const ns = h.slice(0, slash);
    const host = h.slice(slash + 1);
    if (ns === '' || host === '') {
      r.error(g, h, 'needs both a namespace and a host');
    } else {
      if (ns !== '*' && ns !== '.' && ns !== '~' && !isDns1123Label(ns)) {
        r.error(g, h, `has an invalid namespace '${ns}'; use '*', '.', '~' or a namespace name`);
      }
      checkEgressHostName(r, g, h, host);
    }
    const key = ns === '.' ? namespace : ns;
    const names = seen.get(key) ?? new Set<string>();
    if (host === '*' ? names.size > 0 : names.has(host) || names.has('*')) r.warn(g, h, 'duplicates another egress host of this listener');
    names.add(host);
    seen.set(key, names);
  });
  if (seen.get('*')?.has('*') && seen.size > 1) {
    r.warnAt(f, "'*/*' already selects every host; the other hosts add nothing");
  }
}

function checkEgressHostName(r: Problems, g: string, value: string, host: string): void {
  if (host !== '*' && !host.includes('.')) {
    r.error(g, value, "uses a short name; egress hosts are fully qualified ('reviews.shop.svc.cluster.local') or '*'");
  } else if (!isWildcardDomain(host)) {
    r.error(g, value, "is not a valid host: DNS labels, optionally with a wildcard first label ('*.example.com')");
  } else if (isPartialWildcard(host)) r.error(g, value, "uses a partial wildcard; only '*' or a leading '*.' label is allowed");
}

function checkOutboundTrafficPolicy(r: Problems, policy: Record<string, any> | undefined): void {
  const proxy = obj(policy?.egressProxy);
  if (!policy || !proxy) return;
  const f = 'spec.outboundTrafficPolicy.egressProxy';
  if (policy.mode !== 'ALLOW_ANY') {
    r.errorAt(f, 'may only be set with mode ALLOW_ANY');
    return;
  }
  const host = str(proxy.host);
  if (host !== undefined && !isFqdn(host)) r.error(`${f}.host`, host, 'must be a fully qualified host name');
  const port = obj(proxy.port);
  if (!port) {
    r.errorAt(`${f}.port`, 'is required');
    return;
  }
  if (host === '*') r.error(`${f}.host`, host, 'may not be a wildcard');
  const subset = str(proxy.subset);
  if (subset !== undefined && subset !== '' && !isDns1123Label(subset)) r.error(`${f}.subset`, subset, 'must be a DNS-1123 label');
  if (has(port, 'number')) checkPort(r, `${f}.port.number`, port.number);
}
