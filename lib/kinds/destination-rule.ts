import { isFqdn, isIpAddress, isIstioDnsLabel, isPort, isWildcardDomain, parseDurationMs } from './fields';
import { arr, checkDuration, checkExportTo, checkLabels, entries, has, namespaceOf, num, obj, str } from './common';
import { Problems, errorsOnly } from './problem';

const MAGLEV_MAX_TABLE = 5000011;
/** Topology labels that `failoverPriority` may not use together with explicit `failover`. */
const TOPOLOGY_LABELS = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];
const COUNTS: [string, string][] = [
  ['http', 'http1MaxPendingRequests'],
  ['http', 'http2MaxRequests'],
  ['http', 'maxRequestsPerConnection'],
  ['http', 'maxRetries'],
  ['http', 'maxConcurrentStreams'],
  ['tcp', 'maxConnections'],
];

/**
 * Istio's admission rules for a DestinationRule spec that its CRD schema does not express.
 * @internal
 */
export function checkDestinationRule(r: Problems, object: any): void {
  const spec = obj(object.spec);
  if (!spec) return;
  const ns = namespaceOf(object);
  const host = str(spec.host);
  if (host !== undefined && !isWildcardDomain(host)) {
    r.error('spec.host', host, "is not a valid host: DNS labels, optionally with a wildcard first label ('*.example.com')");
  }
  const names = new Map<string, number>();
  arr(spec.subsets).forEach((s, i) => {
    const subset = obj(s);
    if (!subset) return;
    const f = `spec.subsets[${i}]`;
    const name = str(subset.name);
    if (name !== undefined) {
      if (!isIstioDnsLabel(name)) {
        r.error(`${f}.name`, name, 'must be a DNS-1123 label (alphanumerics and -, at most 63 characters)');
      }
      const first = names.get(name);
      if (first !== undefined) r.error(`${f}.name`, name, `duplicates spec.subsets[${first}].name; subset names must be unique`);
      else names.set(name, i);
    }
    checkLabels(r, `${f}.labels`, subset.labels);
    // Istio keeps only the errors of a subset's policy: its warnings are never shown.
    if (has(subset, 'trafficPolicy')) errorsOnly(r, (e) => checkTrafficPolicy(e, `${f}.trafficPolicy`, obj(subset.trafficPolicy), ns));
  });

  const selector = obj(spec.workloadSelector);
  if (selector) {
    if (entries(selector.matchLabels).length === 0) {
      r.warnAt('spec.workloadSelector', 'is empty and selects every workload in the namespace');
    }
    checkSelectorExportTo(r, spec.exportTo, ns);
  }
  checkExportTo(r, 'spec.exportTo', spec.exportTo, ns, false);
  if (has(spec, 'trafficPolicy')) checkTrafficPolicy(r, 'spec.trafficPolicy', obj(spec.trafficPolicy), ns);
}

/**
 * With a workloadSelector, the rule may only be exported to its own namespace. Like Istio, judges
 * the distinct valid entries (`.` standing for the own namespace); bad or repeated entries are
 * reported by checkExportTo.
 */
function checkSelectorExportTo(r: Problems, exportTo: unknown, ns: string): void {
  const list = arr(exportTo);
  const keys = new Set<string>();
  for (const e of list) {
    if (e === '.' || e === '*' || (typeof e === 'string' && isIstioDnsLabel(e))) keys.add(e === '.' ? ns : e);
  }
  if (keys.size === 0) return;
  if (!keys.has(ns)) {
    r.error('spec.exportTo', list, "must be only the own namespace ('.') when workloadSelector is set");
  } else if (keys.size > 1) {
    r.error('spec.exportTo', list, "must be only the own namespace ('.') when workloadSelector is set, not several namespaces");
  }
}

function checkTrafficPolicy(r: Problems, f: string, policy: Record<string, any> | undefined, ns: string): void {
  if (!policy) return;
  if (Object.values(policy).every((v) => v === null || v === undefined)) {
    r.errorAt(f, 'a trafficPolicy must set at least one field; remove it instead');
    return;
  }
  if (has(policy, 'tunnel') && has(policy, 'proxyProtocol')) r.errorAt(f, 'tunnel and proxyProtocol are mutually exclusive');
  checkOutlierDetection(r, `${f}.outlierDetection`, obj(policy.outlierDetection));
  checkConnectionPool(r, `${f}.connectionPool`, obj(policy.connectionPool));
  checkLoadBalancer(r, `${f}.loadBalancer`, obj(policy.loadBalancer), has(policy, 'outlierDetection'));
  checkClientTls(r, `${f}.tls`, obj(policy.tls), ns);
  checkTunnel(r, `${f}.tunnel`, obj(policy.tunnel));
  // Istio keeps only the errors of port-level settings: their warnings are never shown.
  errorsOnly(r, (e) => checkPortLevelSettings(e, f, arr(policy.portLevelSettings), ns));
}

function checkPortLevelSettings(r: Problems, f: string, settings: any[], ns: string): void {
  settings.forEach((p, i) => {
    const pl = obj(p);
    if (!pl) return;
    const g = `${f}.portLevelSettings[${i}]`;
    // Istio requires the port selector but not a particular number.
    if (!has(pl, 'port')) r.errorAt(`${g}.port`, 'is required: name the port the setting applies to');
    if (!['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'].some((k) => has(pl, k))) {
      r.errorAt(g, 'a port-level setting needs at least one of outlierDetection, connectionPool, loadBalancer or tls');
    }
    checkOutlierDetection(r, `${g}.outlierDetection`, obj(pl.outlierDetection));
    checkConnectionPool(r, `${g}.connectionPool`, obj(pl.connectionPool));
    checkLoadBalancer(r, `${g}.loadBalancer`, obj(pl.loadBalancer), has(pl, 'outlierDetection'));
    checkClientTls(r, `${g}.tls`, obj(pl.tls), ns);
  });
}

function checkOutlierDetection(r: Problems, f: string, od: Record<string, any> | undefined): void {
  if (!od) return;
  const consecutiveErrors = num(od.consecutiveErrors);
  if (consecutiveErrors !== undefined && consecutiveErrors !== 0) {
    r.warnAt(`${f}.consecutiveErrors`, 'is deprecated; use consecutive5xxErrors or consecutiveGatewayErrors');
  }
  for (const key of ['maxEjectionPercent', 'minHealthPercent']) {
    const v = num(od[key]);
    if (v !== undefined && (v < 0 || v > 100)) r.error(`${f}.${key}`, v, 'must be between 0 and 100');
  }
  const localOrigin = num(od.consecutiveLocalOriginFailures);
  if (localOrigin !== undefined && localOrigin > 0 && od.splitExternalLocalOriginErrors !== true) {
    r.error(`${f}.consecutiveLocalOriginFailures`, localOrigin, 'needs splitExternalLocalOriginErrors: true; set it');
  }
  checkDuration(r, `${f}.interval`, od.interval, true);
  checkDuration(r, `${f}.baseEjectionTime`, od.baseEjectionTime, true);
}

/** Istio's connection-pool rules (DestinationRule, Sidecar inbound pools). @internal */
export function checkConnectionPool(r: Problems, f: string, pool: Record<string, any> | undefined): void {
  if (!pool) return;
  const http = obj(pool.http);
  const tcp = obj(pool.tcp);
  if (!http && !tcp) {
    r.errorAt(f, 'a connectionPool needs http or tcp settings');
    return;
  }
  for (const [section, key] of COUNTS) {
    const v = num(obj(pool[section])?.[key]);
    if (v !== undefined && v < 0) r.error(`${f}.${section}.${key}`, v, 'must be >= 0');
  }
  if (http?.useClientProtocol === true && http.h2UpgradePolicy === 'UPGRADE') {
    r.errorAt(`${f}.http.h2UpgradePolicy`, 'UPGRADE may not be combined with useClientProtocol: true');
  }
  if (http) checkDuration(r, `${f}.http.idleTimeout`, http.idleTimeout, true);
  if (tcp) {
    checkDuration(r, `${f}.tcp.connectTimeout`, tcp.connectTimeout, true);
    checkDuration(r, `${f}.tcp.maxConnectionDuration`, tcp.maxConnectionDuration, true);
    // Istio skips idle timeouts under 1ms (whole milliseconds 0): they disable the timeout.
    const idleMs = typeof tcp.idleTimeout === 'string' ? parseDurationMs(tcp.idleTimeout) : undefined;
    if (idleMs === undefined || idleMs >= 1) checkDuration(r, `${f}.tcp.idleTimeout`, tcp.idleTimeout, false);
    const keepalive = obj(tcp.tcpKeepalive);
    if (keepalive) {
      checkDuration(r, `${f}.tcp.tcpKeepalive.time`, keepalive.time, true);
      checkDuration(r, `${f}.tcp.tcpKeepalive.interval`, keepalive.interval, true);
    }
  }
}

// Envoy's (and Istio's) primality test, which counts 1 as prime.
function isPrime(n: number): boolean {
  if (n > 0 && n < 4) return true;
  if (n % 2 === 0) return false;
  for (let i = 3; i * i <= n; i += 2) if (n % i === 0) return false;
  return true;
}

function checkLoadBalancer(r: Problems, f: string, lb: Record<string, any> | undefined, hasOutlierDetection: boolean): void {
  if (!lb) return;
  const hash = obj(lb.consistentHash);
  if (hash) {
    const g = `${f}.consistentHash`;
    const cookie = obj(hash.httpCookie);
    if (cookie) {
      if (cookie.name === '') r.errorAt(`${g}.httpCookie.name`, 'is required');
      const seen = new Set<string>();
      arr(cookie.attributes).forEach((a, i) => {
        const name = str(obj(a)?.name);
        if (name === undefined) return;
        if (name === '') r.errorAt(`${g}.httpCookie.attributes[${i}].name`, 'may not be empty');
        else if (seen.has(name)) r.error(`${g}.httpCookie.attributes[${i}].name`, name, 'is a duplicate cookie attribute');
        seen.add(name);
      });
    }
    const maglev = obj(hash.maglev);
    if (maglev) {
      const size = num(maglev.tableSize);
      if (size === undefined || size === 0) r.errorAt(`${g}.maglev.tableSize`, 'is required for maglev (a prime number, e.g. 65537)');
      else if (!isPrime(size)) r.error(`${g}.maglev.tableSize`, size, 'must be a prime number (e.g. 65537)');
      else if (size >= MAGLEV_MAX_TABLE) r.error(`${g}.maglev.tableSize`, size, `must be less than ${MAGLEV_MAX_TABLE}`);
    }
    const ringSize = num(hash.minimumRingSize);
    if (ringSize !== undefined && ringSize !== 0) {
      if (has(hash, 'ringHash') || has(hash, 'maglev')) {
        r.errorAt(`${g}.minimumRingSize`, 'may not be combined with ringHash or maglev; use ringHash.minimumRingSize');
      } else r.warnAt(`${g}.minimumRingSize`, 'is deprecated; use ringHash.minimumRingSize');
    }
  }
  const warmup = obj(lb.warmup);
  if (warmup) {
    const aggression = num(warmup.aggression);
    if (aggression !== undefined && aggression < 1) r.error(`${f}.warmup.aggression`, aggression, 'must be >= 1');
    const minimumPercent = num(warmup.minimumPercent);
    if (minimumPercent !== undefined && minimumPercent > 100) r.error(`${f}.warmup.minimumPercent`, minimumPercent, 'must be at most 100');
    checkDuration(r, `${f}.warmup.duration`, warmup.duration, true);
  }
  checkLocality(r, `${f}.localityLbSetting`, obj(lb.localityLbSetting), hasOutlierDetection);
}

function checkLocality(r: Problems, f: string, locality: Record<string, any> | undefined, hasOutlierDetection: boolean): void {
  if (!locality) return;
  const distribute = arr(locality.distribute);
  const failover = arr(locality.failover);
  if (distribute.length > 0 && failover.length > 0) {
    r.errorAt(f, 'distribute and failover are mutually exclusive');
    return;
  }
  const froms: [string, number][] = [];
  distribute.forEach((d, i) => {
    const dd = obj(d);
    if (!dd) return;
    const g = `${f}.distribute[${i}]`;
    const from = str(dd.from);
    if (from !== undefined) {
      if (!localityOk(from)) r.error(`${g}.from`, from, "is not a valid locality: 'region[/zone[/subzone]]', '*' only as the last part");
      for (const [other, j] of froms) {
        if (localitiesOverlap(from, other)) r.error(`${g}.from`, from, `overlaps ${f}.distribute[${j}].from ('${other}')`);
      }
      froms.push([from, i]);
    }
    let sum = 0;
    const tos: string[] = [];
    for (const [to, weight] of entries(dd.to)) {
      if (!localityOk(to)) r.error(`${g}.to.${to}`, to, "is not a valid locality: 'region[/zone[/subzone]]', '*' only as the last part");
      const other = tos.find((t) => localitiesOverlap(to, t));
      if (other !== undefined) r.error(`${g}.to.${to}`, to, `overlaps the destination '${other}' of the same distribute entry`);
      tos.push(to);
      if (typeof weight === 'number') {
        if (weight < 1 || weight > 100) r.error(`${g}.to.${to}`, weight, 'must be a weight between 1 and 100');
        sum += weight;
      }
    }
    if (sum !== 100) r.errorAt(`${g}.to`, `weights add up to ${sum}; they must add up to 100`);
  });
  failover.forEach((fo, i) => {
    const ff = obj(fo);
    if (!ff) return;
    const g = `${f}.failover[${i}]`;
    for (const key of ['from', 'to']) {
      const v = str(ff[key]);
      if (v === undefined) continue;
      if (v.includes('*')) r.error(`${g}.${key}`, v, 'may not contain a wildcard');
      else if (v.includes('/')) r.error(`${g}.${key}`, v, 'must be a region only (no zone or subzone)');
    }
    if (typeof ff.from === 'string' && ff.from === ff.to) r.error(`${g}.to`, ff.to, 'must differ from the failover source region');
  });
  if (failover.length > 0) {
    arr(locality.failoverPriority).forEach((label, i) => {
      if (typeof label === 'string' && TOPOLOGY_LABELS.includes(label)) {
        r.error(`${f}.failoverPriority[${i}]`, label, 'may not use topology labels together with explicit failover');
      }
    });
  }
  const priorities = arr(locality.failoverPriority);
  if ((failover.length > 0 || priorities.length > 0) && !hasOutlierDetection) {
    r.warnAt(
      `${f}.${failover.length > 0 ? 'failover' : 'failoverPriority'}`,
      'has no effect without outlierDetection; add outlierDetection to the traffic policy',
    );
  }
}

// Istio splits a locality into at most 3 parts (the subzone keeps any further '/'); none may be
// empty, and one '*' may end it.
function localityParts(locality: string): string[] {
  const parts = locality.split('/');
  return parts.length > 3 ? [parts[0], parts[1], parts.slice(2).join('/')] : parts;
}

function localityOk(locality: string): boolean {
  const stars = locality.split('*').length - 1;
  if (stars > 1 || (stars === 1 && !locality.endsWith('*'))) return false;
  return localityParts(locality).every((p) => p !== '');
}

/** Two localities overlap when one covers the other: a region covers its zones, `a/*` is `a`, `*` covers all. */
function localitiesOverlap(a: string, b: string): boolean {
  const scope = (x: string) => {
    const parts = localityParts(x);
    return parts[parts.length - 1] === '*' ? parts.slice(0, -1) : parts;
  };
  const pa = scope(a);
  const pb = scope(b);
  const n = Math.min(pa.length, pb.length);
  return pa.slice(0, n).every((p, i) => p === pb[i]);
}

const CONFIGMAP_CREDENTIAL = 'configmap://';

function checkClientTls(r: Problems, f: string, tls: Record<string, any> | undefined, ns: string): void {
  if (!tls) return;
  const mode = tls.mode;
  const set = (k: string) => typeof tls[k] === 'string' && tls[k] !== '';
  const credentialName = str(tls.credentialName);
  if (credentialName?.startsWith(CONFIGMAP_CREDENTIAL)) {
    const [configMapNs, name] = credentialName.slice(CONFIGMAP_CREDENTIAL.length).split('/');
    if (!configMapNs || !name) {
      r.error(`${f}.credentialName`, credentialName, "must be 'configmap://<namespace>/<name>'");
    } else if (configMapNs !== ns) {
      r.error(`${f}.credentialName`, credentialName, `must name a ConfigMap in the rule's own namespace '${ns}'`);
    }
  }
  if (tls.insecureSkipVerify === true) {
    // SIMPLE verifies with caCertificates or credentialName; MUTUAL's credentialName also holds the client certificate.
    const verification = mode === 'SIMPLE' ? ['caCertificates', 'credentialName'] : mode === 'MUTUAL' ? ['caCertificates'] : [];
    for (const k of verification) {
      if (set(k)) r.errorAt(`${f}.${k}`, `may not be set with insecureSkipVerify: true in ${mode} mode`);
    }
    if ((mode === 'SIMPLE' || mode === 'MUTUAL') && Array.isArray(tls.subjectAltNames) && tls.subjectAltNames.length > 0) {
      r.errorAt(`${f}.subjectAltNames`, `may not be set with insecureSkipVerify: true in ${mode} mode`);
    }
  }
  if (set('credentialName') && (mode === 'SIMPLE' || mode === 'MUTUAL')) {
    for (const k of ['clientCertificate', 'privateKey', 'caCertificates', 'caCrl']) {
      if (set(k)) r.errorAt(`${f}.${k}`, 'may not be set together with credentialName (the secret provides it)');
    }
  } else if (mode === 'MUTUAL') {
    if (!set('clientCertificate')) r.errorAt(`${f}.clientCertificate`, 'is required for MUTUAL mode without credentialName');
    if (!set('privateKey')) r.errorAt(`${f}.privateKey`, 'is required for MUTUAL mode without credentialName');
  }
}

function checkTunnel(r: Problems, f: string, tunnel: Record<string, any> | undefined): void {
  if (!tunnel) return;
  if (typeof tunnel.protocol === 'string' && tunnel.protocol !== '' && tunnel.protocol !== 'CONNECT' && tunnel.protocol !== 'POST') {
    r.error(`${f}.protocol`, tunnel.protocol, "must be 'CONNECT' or 'POST'");
  }
  const host = str(tunnel.targetHost);
  if (host !== undefined && !isFqdn(host) && !isIpAddress(host)) r.error(`${f}.targetHost`, host, 'must be a host name or an IP address');
  const port = num(tunnel.targetPort);
  if (port !== undefined && Number.isInteger(port) && port <= 4294967295 && !isPort(port)) {
    r.error(`${f}.targetPort`, port, 'must be a port number between 1 and 65535');
  }
}
