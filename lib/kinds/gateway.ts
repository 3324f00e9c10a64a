import { isDns1123Label, isDns1123Subdomain, isIpAddress, isIstioDnsLabel, isPartialWildcard, isWildcardDomain } from './fields';
import { arr, checkPort, has, obj, str } from './common';
import { Problems } from './problem';

/** Protocols Istio parses for ports (case-insensitive). */
const PROTOCOLS = new Set(['HTTP', 'HTTPS', 'HTTP2', 'HTTP_PROXY', 'GRPC', 'GRPC-WEB', 'TCP', 'TLS', 'UDP', 'MONGO', 'REDIS', 'MYSQL']);
const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'HTTP_PROXY', 'GRPC', 'GRPC-WEB']);
const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);
/**
 * Cipher suite names Istio knows (BoringSSL names). Entries starting with neither a letter nor a digit
 * (`-X`, `+X`, `!X`, `[A|B]`) are operators Istio passes on unchecked, and so is `ALL`; other names
 * are ignored with a warning.
 */
const CIPHER_SUITES = new Set([
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'ECDHE-ECDSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA',
  'AES128-GCM-SHA256',
  'AES256-GCM-SHA384',
  'AES128-SHA',
  'AES256-SHA',
  'DES-CBC3-SHA',
]);

/** The annotation (value `gateway`) that marks a Gateway converted from a Kubernetes Gateway API object. */
const GATEWAY_SEMANTICS = 'internal.istio.io/gateway-semantics';

function isKnownCipherSuite(cs: string): boolean {
  return cs === '' || cs === 'ALL' || !/^[\p{L}\p{N}]/u.test(cs) || CIPHER_SUITES.has(cs);
}

/** The protocol Istio parses from a port's `protocol`, upper-cased, or undefined when unknown. @internal */
export function parseProtocol(protocol: unknown): string | undefined {
  if (typeof protocol !== 'string') return undefined;
  const upper = protocol.toUpperCase();
  return PROTOCOLS.has(upper) ? upper : undefined;
}

/**
 * Istio's admission rules for a Gateway that its CRD schema does not express.
 * @internal
 */
export function checkGateway(r: Problems, object: any): void {
  const name = str(obj(object.metadata)?.name);
  // Gateways converted from the Gateway API keep their own names and may bind no namespace ('~/host').
  const gatewaySemantics = obj(obj(object.metadata)?.annotations)?.[GATEWAY_SEMANTICS] === 'gateway';
  if (name !== undefined && !gatewaySemantics && isDns1123Subdomain(name) && !isDns1123Label(name)) {
    r.error('metadata.name', name, "must be a DNS-1123 label for a Gateway (lower case alphanumerics and '-', no dots); rename it");
  }
  const spec = obj(object.spec);
  const servers = arr(spec?.servers);
  if (servers.length === 0) {
    r.errorAt('spec.servers', 'a Gateway needs at least one server');
    return;
  }
  const portNames = new Map<string, number>();
  servers.forEach((s, i) => {
    const f = `spec.servers[${i}]`;
    if (s === null) {
      r.errorAt(f, 'a server may not be null');
      return;
    }
    const server = obj(s);
    if (!server) return;
    const port = obj(server.port);
    const portName = str(port?.name);
    if (portName !== undefined) {
      const first = portNames.get(portName);
      if (first !== undefined) {
        r.error(`${f}.port.name`, portName, `duplicates spec.servers[${first}].port.name; port names must be unique in a Gateway`);
      } else portNames.set(portName, i);
    }
    checkServer(r, f, server, gatewaySemantics);
  });
}

function checkServer(r: Problems, f: string, server: Record<string, any>, gatewaySemantics: boolean): void {
  const port = obj(server.port);
  const bind = str(server.bind);
  const uds = bind !== undefined && bind.startsWith('unix://');
  let protocol: string | undefined;
  if (port) {
    if (port.name === '') r.errorAt(`${f}.port.name`, 'is required');
    protocol = parseProtocol(port.protocol);
    if (typeof port.protocol === 'string' && !protocol) {
      r.error(`${f}.port.protocol`, port.protocol, `is not a known protocol; use one of ${[...PROTOCOLS].join(', ')}`);
    }
    // A unix socket listener has port 0; any other number is still checked.
    if (!uds || (typeof port.number === 'number' && port.number > 0)) checkPort(r, `${f}.port.number`, port.number);
    if (has(port, 'targetPort') && port.targetPort !== 0) {
      r.errorAt(`${f}.port.targetPort`, 'is not supported on Gateway servers; remove it');
    }
  }
  const hosts = arr(server.hosts);
  if (hosts.length === 0) r.errorAt(`${f}.hosts`, 'a server needs at least one host');
  hosts.forEach((h, i) => {
    if (typeof h === 'string') checkServerHost(r, `${f}.hosts[${i}]`, h, gatewaySemantics);
  });
  if (bind !== undefined && bind !== '') {
    if (uds) {
      const path = bind.slice('unix://'.length);
      // '@name' is an abstract socket; a path must be absolute and name a file, not a directory.
      if (!path.startsWith('@') && (!path.startsWith('/') || path.endsWith('/'))) {
        r.error(`${f}.bind`, bind, "must be an absolute unix socket path ('unix:///path') or an abstract socket ('unix://@name')");
      }
      if (port && port.number !== 0) r.error(`${f}.port.number`, port.number, 'must be 0 when binding to a unix domain socket');
    } else if (!isIpAddress(bind)) {
      r.error(`${f}.bind`, bind, "must be an IP address or a unix domain socket ('unix:///path')");
    }
  }
  const tls = obj(server.tls);
  if (protocol && TLS_PROTOCOLS.has(protocol) && !tls) {
    r.errorAt(`${f}.tls`, `is required for ${protocol} servers`);
  } else if (protocol && !TLS_PROTOCOLS.has(protocol) && tls) {
    if (HTTP_PROTOCOLS.has(protocol)) {
      const passthrough = tls.mode === undefined || tls.mode === null || tls.mode === 'PASSTHROUGH' || tls.mode === 'AUTO_PASSTHROUGH';
      const certs = ['caCertificates', 'privateKey', 'serverCertificate'].some((k) => typeof tls[k] === 'string' && tls[k] !== '');
      if (!passthrough || certs) {
        r.errorAt(`${f}.tls`, 'plain-text HTTP servers may only use tls for httpsRedirect; move the certificates to an HTTPS server');
      }
    } else {
      r.errorAt(`${f}.tls`, `is not allowed on ${protocol} servers; use protocol HTTPS or TLS`);
    }
  }
  if (port && tls?.httpsRedirect === true && !(protocol && HTTP_PROTOCOLS.has(protocol))) {
    r.warnAt(`${f}.tls.httpsRedirect`, 'only has an effect on HTTP servers');
  }
  if (tls) checkServerTls(r, `${f}.tls`, tls);
}

function checkServerHost(r: Problems, f: string, value: string, gatewaySemantics: boolean): void {
  const parts = value.split('/');
  if (parts.length > 2) {
    r.error(f, value, "must be '<host>' or '<namespace>/<host>'");
    return;
  }
  let host = value;
  if (parts.length === 2) {
    const ns = parts[0];
    host = parts[1];
    if (ns === '' || host === '') {
      r.error(f, value, "has an empty namespace or host; write '<namespace>/<host>'");
      return;
    }
    if (ns !== '*' && ns !== '.' && !(ns === '~' && gatewaySemantics) && !isIstioDnsLabel(ns)) {
      r.error(f, value, `has an invalid namespace '${ns}'; use '*', '.' or a namespace name`);
    }
  }
  if (host !== '*' && !host.includes('.')) {
    r.error(f, value, "is a short name; Gateway hosts must be fully qualified ('bookinfo.example.com') or '*'");
  } else if (!isWildcardDomain(host) && !isIpAddress(host)) {
    r.error(f, value, "is not a valid host: DNS labels, optionally with a wildcard first label ('*.example.com')");
  } else if (isPartialWildcard(host)) {
    r.error(f, value, "uses a partial wildcard; only '*' or a leading '*.' label is allowed");
  }
}

/** Istio's server TLS rules (Gateway servers, Sidecar ingress listeners). @internal */
export function checkServerTls(r: Problems, f: string, tls: Record<string, any>): void {
  const set = (k: string, o: Record<string, any> = tls) =>
    Array.isArray(o[k]) ? o[k].length > 0 : typeof o[k] === 'string' && o[k] !== '';
  const mode = tls.mode ?? 'PASSTHROUGH';
  checkCipherSuites(r, f, tls);
  if (mode === 'ISTIO_MUTUAL') {
    for (const k of ['serverCertificate', 'privateKey', 'caCertificates', 'tlsCertificates', 'credentialName', 'credentialNames']) {
      if (set(k)) r.errorAt(`${f}.${k}`, 'may not be set with mode ISTIO_MUTUAL (the mesh certificates are used)');
    }
    return;
  }
  if (mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH') {
    const certs = ['caCrl', 'serverCertificate', 'privateKey', 'caCertificates', 'tlsCertificates', 'credentialName', 'credentialNames'];
    if (certs.some((k) => set(k))) r.warnAt(f, `certificates are ignored in ${mode} mode`);
  }
  // A certificate source is a secret, a list of secrets, a key pair (both files) or a list of key pairs.
  const sources = [
    set('credentialName') ? 'credentialName' : undefined,
    set('credentialNames') ? 'credentialNames' : undefined,
    set('serverCertificate') && set('privateKey') ? 'serverCertificate/privateKey' : undefined,
    set('tlsCertificates') ? 'tlsCertificates' : undefined,
  ].filter((s): s is string => s !== undefined);
  // credentialNames + tlsCertificates and credentialName + credentialNames are already CEL rules of the CRD.
  const celCovered =
    sources.length === 2 &&
    sources.includes('credentialNames') &&
    (sources.includes('credentialName') || sources.includes('tlsCertificates'));
  if (sources.length > 1 && !celCovered) r.errorAt(f, `only one certificate source may be set (found ${sources.join(', ')})`);

  const terminating = mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL';
  // With a secret, the proxy fetches everything (CA and CRL included) from it: nothing else is checked.
  if (terminating && (set('credentialName') || set('credentialNames'))) return;
  if (terminating) {
    if (mode !== 'SIMPLE' && !set('caCertificates')) {
      r.errorAt(`${f}.caCertificates`, `is required in ${mode} mode without credentialName (to verify client certificates)`);
    }
    const pairs = arr(tls.tlsCertificates);
    if (pairs.length > 2) r.warnAt(`${f}.tlsCertificates`, 'more than 2 certificates (one RSA, one ECDSA) are not used');
    if (pairs.length > 0) {
      pairs.forEach((p, i) => {
        const pair = obj(p) ?? {};
        if (!set('serverCertificate', pair)) r.errorAt(`${f}.tlsCertificates[${i}].serverCertificate`, `is required in ${mode} mode`);
        if (!set('privateKey', pair)) r.errorAt(`${f}.tlsCertificates[${i}].privateKey`, `is required in ${mode} mode`);
      });
    } else {
      if (!set('serverCertificate')) r.errorAt(`${f}.serverCertificate`, `is required in ${mode} mode without credentialName`);
      if (!set('privateKey')) r.errorAt(`${f}.privateKey`, `is required in ${mode} mode without credentialName`);
    }
  }
  if (set('caCrl')) {
    if (set('credentialName')) r.errorAt(`${f}.caCrl`, 'may not be combined with credentialName (put the CRL in the secret)');
    if (mode === 'SIMPLE') r.errorAt(`${f}.caCrl`, 'is not supported in SIMPLE mode (no client certificates to check)');
  }
}

function checkCipherSuites(r: Problems, f: string, tls: Record<string, any>): void {
  const ciphers = arr(tls.cipherSuites);
  if ((tls.minProtocolVersion === 'TLSV1_0' || tls.minProtocolVersion === 'TLSV1_1') && ciphers.length === 0) {
    r.warn(
      `${f}.minProtocolVersion`,
      tls.minProtocolVersion,
      'without cipherSuites uses only TLS 1.2 ciphers; set cipherSuites for older clients',
    );
  }
  const seen = new Set<string>();
  ciphers.forEach((c, i) => {
    if (typeof c !== 'string') return;
    if (!isKnownCipherSuite(c)) r.warn(`${f}.cipherSuites[${i}]`, c, 'is not a cipher suite Envoy supports; it is ignored');
    else if (seen.has(c)) r.warn(`${f}.cipherSuites[${i}]`, c, 'is listed twice; the duplicate is ignored');
    seen.add(c);
  });
}
