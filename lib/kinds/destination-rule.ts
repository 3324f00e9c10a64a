import { isDns1123Label, isFqdn, isIpAddress, isPort, isWildcardDomain, parseDurationMs } from './fields';
import { arr, checkDuration, checkExportTo, checkLabels, checkPort, entries, has, namespaceOf, num, obj, str } from './common';
import { Problems } from './problem';

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
      if (!isDns1123Label(name)) {
        r.error(`${f}.name`, name, 'must be a DNS-1123 label (lower case alphanumerics and -, at most 63 characters)');
      }
      const first = names.get(name);
      if (first !== undefined) r.error(`${f}.name`, name, `duplicates spec.subsets[${first}].name; subset names must be unique`);
      else names.set(name, i);
    }
    checkLabels(r, `${f}.labels`, subset.labels);
    if (has(subset, 'trafficPolicy')) checkTrafficPolicy(r, `${f}.trafficPolicy`, obj(subset.trafficPolicy));
  });

  const selector = obj(spec.workloadSelector);
  if (selector) {
    if (entries(selector.matchLabels).length === 0) {
      r.warnAt('spec.workloadSelector', 'is empty and selects every workload in the namespace');
    }
    const exportTo = arr(spec.exportTo);
    const ns = namespaceOf(object);
    if (exportTo.length > 1 || (exportTo.length === 1 && exportTo[0] !== '.' && exportTo[0] !== ns)) {
      r.error('spec.exportTo', exportTo, "must be only the own namespace ('.') when workloadSelector is set");
    }
  }
  checkExportTo(r, 'spec.exportTo', spec.exportTo, namespaceOf(object), false);
  if (has(spec, 'trafficPolicy')) checkTrafficPolicy(r, 'spec.trafficPolicy', obj(spec.trafficPolicy));
}

function checkTrafficPolicy(r: Problems, f: string, policy: Record<string, any> | undefined): void {
  if (!policy) return;
  if (Object.values(policy).every((v) => v === null || v === undefined)) {
    r.errorAt(f, 'a trafficPolicy must set at least one field; remove it instead');
    return;
  }
  if (has(policy, 'tunnel') && has(policy, 'proxyProtocol')) r.errorAt(f, 'tunnel and proxyProtocol are mutually exclusive');
  checkOutlierDetection(r, `${f}.outlierDetection`, obj(policy.outlierDetection));
  checkConnectionPool(r, `${f}.connectionPool`, obj(policy.connectionPool));
  checkLoadBalancer(r, `${f}.loadBalancer`, obj(policy.loadBalancer), has(policy, 'outlierDetection'));
  checkClientTls(r, `${f}.tls`, obj(policy.tls));
  checkTunnel(r, `${f}.tunnel`, obj(policy.tunnel));
  arr(policy.portLevelSettings).forEach((p, i) => {
    const pl = obj(p);
    if (!pl) return;
    const g = `${f}.portLevelSettings[${i}]`;
    const port = obj(pl.port);
    if (!port || !has(port, 'number')) r.errorAt(`${g}.port`, 'a port-level setting needs port.number');
    else checkPort(r, `${g}.port.number`, port.number);
    if (!['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'].some((k) => has(pl, k))) {
      r.errorAt(g, 'a port-level setting needs at least one of outlierDetection, connectionPool, loadBalancer or tls');
    }
    checkOutlierDetection(r, `${g}.outlierDetection`, obj(pl.outlierDetection));
    checkConnectionPool(r, `${g}.connectionPool`, obj(pl.connectionPool));
    checkLoadBalancer(r, `${g}.loadBalancer`, obj(pl.loadBalancer), has(pl, 'outlierDetection') || has(policy, 'outlierDetection'));
    checkClientTls(r, `${g}.tls`, obj(pl.tls));
  });
}

function checkOutlierDetection(r: Problems, f: string, od: Record<string, any> | undefined): void {
  if (!od) return;
  if (has(od, 'consecutiveErrors')) {
    r.warnAt(`${f}.consecutiveErrors`, 'is deprecated; use consecutive5xxErrors or consecutiveGatewayErrors');
    const v = num(od.consecutiveErrors);
    if (v !== undefined && v < 0) r.error(`${f}.consecutiveErrors`, v, 'must be >= 0');
  }
  for (const key of ['maxEjectionPercent', 'minHealthPercent']) {
    const v = num(od[key]);
    if (v !== undefined && (v < 0 || v > 100)) r.error(`${f}.${key}`, v, 'must be between 0 and 100');
  }
  if (has(od, 'consecutiveLocalOriginFailures') && od.splitExternalLocalOriginErrors !== true) {
    r.errorAt(`${f}.consecutiveLocalOriginFailures`, 'only takes effect with splitExternalLocalOriginErrors: true; set it');
  }
  checkDuration(r, `${f}.interval`, od.interval, true);
  checkDuration(r, `${f}.baseEjectionTime`, od.baseEjectionTime, true);
}

function checkConnectionPool(r: Problems, f: string, pool: Record<string, any> | undefined): void {
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
    if (typeof tcp.idleTimeout === 'string' && parseDurationMs(tcp.idleTimeout) !== 0) {
      checkDuration(r, `${f}.tcp.idleTimeout`, tcp.idleTimeout, false);
    }
    const keepalive = obj(tcp.tcpKeepalive);
    if (keepalive) {
      checkDuration(r, `${f}.tcp.tcpKeepalive.time`, keepalive.time, true);
      checkDuration(r, `${f}.tcp.tcpKeepalive.interval`, keepalive.interval, true);
    }
  }
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let i = 2; i * i <= n; i++) if (n % i === 0) return false;
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
    if (has(hash, 'minimumRingSize')) {
      if (has(hash, 'ringHash') || has(hash, 'maglev')) {
        r.errorAt(`${g}.minimumRingSize`, 'may not be combined with ringHash or maglev; use ringHash.minimumRingSize');
      } else r.warnAt(`${g}.minimumRingSize`, 'is deprecated; use ringHash.minimumRingSize');
    }
  }
  const warmup = obj(lb.warmup);
  if (warmup) {
    const aggression = num(warmup.aggression);
    if (aggression !== undefined && aggression < 1) r.error(`${f}.warmup.aggression`, aggression, 'must be >= 1');
    checkDuration(r, `${f}.warmup.duration`, warmup.duration, true);
  }
  checkDuration(r, `${f}.warmupDurationSecs`, lb.warmupDurationSecs, true);
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
    for (const [to, weight] of entries(dd.to)) {
      if (!localityOk(to)) r.error(`${g}.to.${to}`, to, "is not a valid locality: 'region[/zone[/subzone]]', '*' only as the last part");
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
    if (!hasOutlierDetection) {
      r.warnAt(`${f}.failover`, 'has no effect without outlierDetection; add outlierDetection to the traffic policy');
    }
  }
}

function localityOk(locality: string): boolean {
  if (locality === '') return false;
  const parts = locality.split('/');
  if (parts.length > 3) return false;
  return parts.every((p, i) => p !== '' && (!p.includes('*') || (p === '*' && i === parts.length - 1)));
}

function localitiesOverlap(a: string, b: string): boolean {
  const prefix = (x: string) => (x.endsWith('*') ? x.slice(0, -1) : undefined);
  if (a === b) return true;
  const pa = prefix(a);
  const pb = prefix(b);
  return (pa !== undefined && b.startsWith(pa)) || (pb !== undefined && a.startsWith(pb));
}

function checkClientTls(r: Problems, f: string, tls: Record<string, any> | undefined): void {
  if (!tls) return;
  const mode = tls.mode;
  const set = (k: string) => typeof tls[k] === 'string' && tls[k] !== '';
  if (set('credentialName') && (mode === 'SIMPLE' || mode === 'MUTUAL')) {
    for (const k of ['clientCertificate', 'privateKey', 'caCertificates', 'caCrl']) {
      if (set(k)) r.errorAt(`${f}.${k}`, 'may not be set together with credentialName (the secret provides it)');
    }
  }
  if (mode === 'MUTUAL' && !set('credentialName')) {
    if (!set('clientCertificate')) r.errorAt(`${f}.clientCertificate`, 'is required for MUTUAL mode without credentialName');
    if (!set('privateKey')) r.errorAt(`${f}.privateKey`, 'is required for MUTUAL mode without credentialName');
  }
  if (tls.insecureSkipVerify === true) {
    for (const k of ['caCertificates', 'credentialName']) {
      if (set(k)) r.errorAt(`${f}.${k}`, 'may not be set with insecureSkipVerify: true');
    }
    if (arr(tls.subjectAltNames).length > 0) r.errorAt(`${f}.subjectAltNames`, 'may not be set with insecureSkipVerify: true');
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
