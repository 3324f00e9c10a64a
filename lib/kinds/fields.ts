/**
 * Pure predicates for the value rules Istio and Kubernetes apply to single fields.
 *
 * Shared by the L2 constructs (which throw at construction) and the mesh analysis
 * (which reports findings on any manifest), so that both enforce one definition.
 * @internal
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// Istio's host labels are case-insensitive, unlike Kubernetes object names.
const HOST_LABEL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
const PSEUDO_HEADERS = new Set([':method', ':scheme', ':authority', ':path', ':status']);
const JWT_CLAIM = /^@request\.auth\.claims(\.|\[)/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
const DURATION = /^(\d+(?:\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const NS_PER_UNIT: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Kubernetes DNS-1123 label: lower case alphanumerics and '-', at most 63 characters. */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** A Kubernetes DNS-1123 subdomain (object names): labels joined by '.', at most 253 characters. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** A TCP/UDP port number, 1..65535. */
export function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

/**
 * A host as Istio accepts it in `hosts` and `destination.host`: an optional wildcard first
 * label (`*`, `*.foo.com`, `*foo.com`), DNS labels after it, a non-numeric top-level label.
 */
export function isWildcardDomain(host: string): boolean {
  if (host.length === 0 || host.length > 255) return false;
  const trimmed = host.endsWith('.') ? host.slice(0, -1) : host;
  if (trimmed === '*') return true;
  const labels = trimmed.split('.');
  let first = labels[0];
  if (first.startsWith('*')) {
    first = first.slice(1);
    if (first.startsWith('-')) first = first.slice(1);
    if (first.length > 0 && !isHostLabel(first)) return false;
  } else if (!isHostLabel(first)) {
    return false;
  }
  const rest = labels.slice(1);
  if (!rest.every(isHostLabel)) return false;
  if (rest.length > 0 && /^[0-9]+$/.test(rest[rest.length - 1])) return false;
  return true;
}

/** A fully qualified domain name or short name without any wildcard. */
export function isFqdn(host: string): boolean {
  return !host.includes('*') && isWildcardDomain(host);
}

function isHostLabel(label: string): boolean {
  return label.length <= 63 && HOST_LABEL.test(label);
}

/** An IPv4 or IPv6 address (no CIDR suffix). */
export function isIpAddress(value: string): boolean {
  const v4 = value.split('.');
  if (v4.length === 4 && v4.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return true;
  return value.includes(':') && /^[0-9a-fA-F:.]+$/.test(value) && (value.match(/::/g) ?? []).length <= 1;
}

/** An IP address or a CIDR block (`10.0.0.0/8`, `2001:db8::/32`). */
export function isIpOrCidr(value: string): boolean {
  const [ip, bits, extra] = value.split('/');
  if (extra !== undefined || !isIpAddress(ip)) return false;
  if (bits === undefined) return true;
  const max = ip.includes(':') ? 128 : 32;
  return /^\d+$/.test(bits) && Number(bits) <= max;
}

/** An HTTP header name usable in a match: an RFC 7230 token, a pseudo-header, or a JWT claim key. */
export function isHeaderMatchName(name: string): boolean {
  return HEADER_TOKEN.test(name) || PSEUDO_HEADERS.has(name) || JWT_CLAIM.test(name);
}

/** An RFC 7230 header token (header names in CORS lists and header operations). */
export function isHeaderToken(name: string): boolean {
  return HEADER_TOKEN.test(name);
}

/** True when the header key routes on a JWT claim (`@request.auth.claims.*`). */
export function isJwtClaimHeader(name: string): boolean {
  return JWT_CLAIM.test(name);
}

/**
 * A DNS-1123 label as Istio checks it (`labels.IsDNS1123Label`: exportTo namespaces, subset, port and
 * gateway names): unlike Kubernetes, upper case letters are allowed; at most 63 characters.
 */
export function isIstioDnsLabel(value: string): boolean {
  return value.length <= 63 && HOST_LABEL.test(value);
}

/**
 * A label key as Istio checks it in specs (workloadSelector, subsets, sourceLabels, endpoint labels):
 * `[prefix/]name` with a name of at most 63 characters and a prefix of dot-separated DNS labels
 * (upper case allowed) of at most 253 characters.
 */
export function isIstioLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length > 253 || !prefix.split('.').every((l) => HOST_LABEL.test(l))) return false;
  }
  return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
}

/** A label value as Istio checks it in specs: empty, or alphanumerics with '-', '_', '.' inside; no length limit. */
export function isIstioLabelValue(value: string): boolean {
  return LABEL_VALUE.test(value);
}

/** A Kubernetes label key: `[prefix/]name`, name at most 63 characters, prefix a DNS subdomain. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0 && !isDns1123Subdomain(key.slice(0, slash))) return false;
  return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
}

/** A Kubernetes label value: empty, or at most 63 alphanumerics with '-', '_', '.' inside. */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/**
 * Parses a Go/protobuf duration string (`1.5s`, `100ms`, `1h30m`) into milliseconds,
 * or returns undefined when it is not one.
 */
export function parseDurationMs(value: string): number | undefined {
  if (!DURATION.test(value)) return undefined;
  let ns = 0;
  for (const m of value.matchAll(DURATION_PART)) ns += Number(m[1]) * NS_PER_UNIT[m[2]];
  return ns / 1e6;
}

/** Istio's rule for durations: at least 1 ms, in whole milliseconds. */
export function isIstioDuration(value: string): boolean {
  const ms = parseDurationMs(value);
  return ms !== undefined && ms >= 1 && Number.isInteger(ms);
}

/** Formats a list for an error message: `v1, v2, v3` (or `none`). */
export function formatList(values: readonly string[]): string {
  return values.length > 0 ? values.join(', ') : 'none';
}

/**
 * True when two hosts can name the same service: equal, or one wildcard (`*.foo.com`, `*`)
 * covers the other (Istio's `host.Name.Matches`, which is symmetric).
 */
export function hostsOverlap(a: string, b: string): boolean {
  const aWild = a.startsWith('*');
  const bWild = b.startsWith('*');
  if (aWild && bWild) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aWild) return b.endsWith(a.slice(1));
  if (bWild) return a.endsWith(b.slice(1));
  return a === b;
}

/**
 * True when `host` is covered by `pattern` (a host or wildcard host): `a.foo.com` by `*.foo.com`
 * or `*`; a wildcard by a wider wildcard.
 */
export function hostCoveredBy(host: string, pattern: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith('*')) return false;
  const suffix = pattern.slice(1);
  return host.startsWith('*') ? host.slice(1).endsWith(suffix) : host.endsWith(suffix);
}

/** A partial wildcard (`*foo.com`, `foo.*`): a `*` anywhere but as the whole host or a leading `*.` label. */
export function isPartialWildcard(host: string): boolean {
  return host.includes('*') && host !== '*' && !(host.startsWith('*.') && !host.slice(1).includes('*'));
}

/**
 * Why an Envoy header value template is malformed (control characters, a lone `%`, an unterminated
 * `%VAR%` / `%VAR(args)%`), or undefined when it is fine. `%%` is a literal percent sign.
 */
export function headerValueProblem(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) return 'contains control characters';
  let i = 0;
  while (i < value.length) {
    if (value[i] !== '%') {
      i++;
      continue;
    }
    if (value[i + 1] === '%') {
      i += 2;
      continue;
    }
    if (i + 1 >= value.length) return "ends with a lone '%'; write '%%' for a literal percent sign";
    const end = variableEnd(value, i + 1);
    if (end === undefined) return `has an unterminated variable at offset ${i}; write '%%' for a literal percent sign`;
    i = end + 1;
  }
  return undefined;
}

// Scans `%VAR%` or `%VAR(args)%` from just after the opening '%'; returns the index of the closing '%'.
function variableEnd(value: string, start: number): number | undefined {
  for (let i = start; i < value.length; i++) {
    if (value[i] === '%') return i;
    if (value[i] === '(') {
      const close = argsEnd(value, i + 1);
      if (close === undefined) return undefined;
      let j = close + 1;
      while (value[j] === ' ') j++;
      return value[j] === '%' ? j : undefined;
    }
  }
  return undefined;
}

// Finds the ')' closing a variable's arguments: a bare string, or a JSON-like array of strings.
function argsEnd(value: string, start: number): number | undefined {
  let i = start;
  while (value[i] === ' ') i++;
  if (value[i] !== '[') {
    for (; i < value.length; i++) {
      if (value[i] === '\\') i++;
      else if (value[i] === ')') return i;
    }
    return undefined;
  }
  i++;
  for (;;) {
    while (value[i] === ' ') i++;
    if (value[i] !== '"') return undefined;
    for (i++; i < value.length && value[i] !== '"'; i++) {
      if (value[i] === '\\') i++;
      if (value[i] === ')') return i;
    }
    if (i >= value.length) return undefined;
    i++;
    while (value[i] === ' ') i++;
    if (value[i] === ',') {
      i++;
      continue;
    }
    if (value[i] !== ']') return undefined;
    i++;
    while (value[i] === ' ') i++;
    return value[i] === ')' ? i : undefined;
  }
}
