import { arr, entries, isObject } from '../kinds/common';
import { CompiledStringMatch, compileStringMatch, describeStringMatch, mismatch, stringMatches } from './string-match';

/**
 * HTTP match conditions (`HTTPMatchRequest`) compiled once and evaluated per request, with the
 * reasons a request does not match. Conditions within one match are ANDed; the matches of a
 * route are ORed; the first route with a matching condition wins.
 * @internal
 */

/** The request as the proxy sees it. @internal */
export interface RequestContext {
  readonly authority: string;
  /** Path without query string. */
  readonly path: string;
  readonly query: ReadonlyMap<string, string>;
  readonly method: string;
  readonly scheme: string;
  /** Header names lowercased. */
  readonly headers: ReadonlyMap<string, string>;
  readonly port: number;
  readonly sourceNamespace: string;
  readonly sourceLabels: { readonly [key: string]: string };
  /** `mesh` for a sidecar, `namespace/name` for a gateway. */
  readonly gatewayName: string;
  readonly sni: string;
}

/** One `HTTPMatchRequest`. @internal */
export interface CompiledHttpMatch {
  readonly raw: any;
  readonly uri?: CompiledStringMatch;
  readonly ignoreUriCase: boolean;
  readonly scheme?: CompiledStringMatch;
  readonly method?: CompiledStringMatch;
  readonly authority?: CompiledStringMatch;
  readonly headers: readonly (readonly [string, CompiledStringMatch])[];
  readonly withoutHeaders: readonly (readonly [string, CompiledStringMatch])[];
  readonly queryParams: readonly (readonly [string, CompiledStringMatch])[];
  readonly port?: number;
  readonly gateways: readonly string[];
  readonly sourceLabels: readonly (readonly [string, string])[];
  readonly sourceNamespace?: string;
}

/** `ns/name` of a gateway reference as Istio resolves it in the namespace of the VirtualService. @internal */
export function resolveGatewayName(gateway: string, namespace: string): string {
  if (gateway === 'mesh') return gateway;
  if (gateway.includes('/')) return gateway;
  const dot = gateway.indexOf('.');
  if (dot < 0) return `${namespace}/${gateway}`;
  // `name.namespace[.svc.cluster.local]`
  const parts = gateway.split('.');
  return `${parts[1]}/${parts[0]}`;
}

function compileMap(value: unknown, lowerNames: boolean): [string, CompiledStringMatch][] {
  return entries(value)
    .map(([k, v]): [string, CompiledStringMatch] => [lowerNames ? k.toLowerCase() : k, compileStringMatch(v ?? {})!])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Compiles one `HTTPMatchRequest` of a VirtualService in `namespace`. @internal */
export function compileHttpMatch(raw: any, namespace: string): CompiledHttpMatch {
  const m = isObject(raw) ? raw : {};
  return {
    raw: m,
    uri: compileStringMatch(m.uri),
    ignoreUriCase: m.ignoreUriCase === true,
    scheme: compileStringMatch(m.scheme),
    method: compileStringMatch(m.method),
    authority: compileStringMatch(m.authority),
    headers: compileMap(m.headers, true),
    withoutHeaders: compileMap(m.withoutHeaders, true),
    queryParams: compileMap(m.queryParams, false),
    port: typeof m.port === 'number' && m.port > 0 ? m.port : undefined,
    gateways: arr(m.gateways)
      .filter((g) => typeof g === 'string')
      .map((g) => resolveGatewayName(g, namespace)),
    sourceLabels: entries(m.sourceLabels).map(([k, v]) => [k, String(v)] as const),
    sourceNamespace: typeof m.sourceNamespace === 'string' && m.sourceNamespace !== '' ? m.sourceNamespace : undefined,
  };
}

/**
 * Conditions Istio applies when it builds the proxy's configuration (the route is left out of it):
 * port, match-level `gateways`, and, only when no `gateways` are given, `sourceLabels` and
 * `sourceNamespace`. Returns the reason the match is left out, or undefined.
 * @internal
 */
export function sourceMismatch(
  m: {
    readonly port?: number;
    readonly gateways: readonly string[];
    readonly sourceLabels: readonly (readonly [string, string])[];
    readonly sourceNamespace?: string;
  },
  ctx: RequestContext,
): string | undefined {
  if (m.port !== undefined && m.port !== ctx.port) return `port ${ctx.port} is not ${m.port}`;
  if (m.gateways.length > 0) {
    return m.gateways.includes(ctx.gatewayName) ? undefined : `applies to gateways ${m.gateways.join(', ')}, not ${ctx.gatewayName}`;
  }
  for (const [k, v] of m.sourceLabels) {
    if (ctx.sourceLabels[k] !== v) {
      return `sourceLabels want ${k}=${v}; the caller has ${ctx.sourceLabels[k] === undefined ? `no label ${k}` : `${k}=${ctx.sourceLabels[k]}`}`;
    }
  }
  if (m.sourceNamespace !== undefined && m.sourceNamespace !== ctx.sourceNamespace) {
    return `sourceNamespace is ${m.sourceNamespace}, the caller is in ${ctx.sourceNamespace}`;
  }
  return undefined;
}

/** True when the match applies; pushes every failed condition to `reasons` when given. @internal */
export function evaluateHttpMatch(m: CompiledHttpMatch, ctx: RequestContext, reasons?: string[]): boolean {
  if (reasons) return explainHttpMatch(m, ctx, reasons);
  // The fast path: no allocation, first failure wins.
  if (sourceMismatch(m, ctx) !== undefined) return false;
  if (m.uri && !stringMatches(m.uri, ctx.path, m.ignoreUriCase)) return false;
  if (m.scheme && !stringMatches(m.scheme, ctx.scheme)) return false;
  if (m.method && !stringMatches(m.method, ctx.method)) return false;
  if (m.authority && !stringMatches(m.authority, ctx.authority)) return false;
  for (let i = 0; i < m.headers.length; i++) {
    const value = ctx.headers.get(m.headers[i][0]);
    if (value === undefined || !stringMatches(m.headers[i][1], value)) return false;
  }
  for (let i = 0; i < m.withoutHeaders.length; i++) {
    if (withoutHeaderHit(m.withoutHeaders[i][1], ctx.headers.get(m.withoutHeaders[i][0]))) return false;
  }
  for (let i = 0; i < m.queryParams.length; i++) {
    const value = ctx.query.get(m.queryParams[i][0]);
    if (value === undefined || !stringMatches(m.queryParams[i][1], value)) return false;
  }
  return true;
}

// Envoy inverts the matcher and, except for presence, takes a missing header as empty.
function withoutHeaderHit(sm: CompiledStringMatch, value: string | undefined): boolean {
  return sm.kind === 'present' ? value !== undefined : stringMatches(sm, value ?? '');
}

function explainHttpMatch(m: CompiledHttpMatch, ctx: RequestContext, reasons: string[]): boolean {
  const before = reasons.length;
  const source = sourceMismatch(m, ctx);
  if (source !== undefined) {
    reasons.push(source);
    return false;
  }
  if (m.uri && !stringMatches(m.uri, ctx.path, m.ignoreUriCase)) reasons.push(mismatch('uri', m.uri, ctx.path, m.ignoreUriCase));
  if (m.scheme && !stringMatches(m.scheme, ctx.scheme)) reasons.push(mismatch('scheme', m.scheme, ctx.scheme));
  if (m.method && !stringMatches(m.method, ctx.method)) reasons.push(mismatch('method', m.method, ctx.method));
  if (m.authority && !stringMatches(m.authority, ctx.authority)) reasons.push(mismatch('authority', m.authority, ctx.authority));
  for (const [name, sm] of m.headers) {
    const value = ctx.headers.get(name);
    if (value === undefined || !stringMatches(sm, value)) {
      // Istio matches these against the request's JWT claims, which the simulator does not model.
      const jwt = name.startsWith('@request.auth.claims') ? ' (JWT claim matches are not simulated: give the claim as this header)' : '';
      reasons.push(`${mismatch(`header ${name}`, sm, value)}${jwt}`);
    }
  }
  for (const [name, sm] of m.withoutHeaders) {
    const value = ctx.headers.get(name);
    if (withoutHeaderHit(sm, value)) {
      reasons.push(
        `withoutHeaders: header ${name} ${value === undefined ? '(absent, taken as "")' : JSON.stringify(value)} ${describeStringMatch(sm)}`,
      );
    }
  }
  for (const [name, sm] of m.queryParams) {
    const value = ctx.query.get(name);
    if (value === undefined || !stringMatches(sm, value)) reasons.push(mismatch(`query parameter ${name}`, sm, value));
  }
  return reasons.length === before;
}

/** One-line summary of a match's conditions, for explanations. @internal */
export function describeHttpMatch(m: CompiledHttpMatch): string {
  const parts: string[] = [];
  if (m.uri) parts.push(`uri ${describeStringMatch(m.uri)}${m.ignoreUriCase ? ' (ignoring case)' : ''}`);
  if (m.scheme) parts.push(`scheme ${describeStringMatch(m.scheme)}`);
  if (m.method) parts.push(`method ${describeStringMatch(m.method)}`);
  if (m.authority) parts.push(`authority ${describeStringMatch(m.authority)}`);
  for (const [n, sm] of m.headers) parts.push(`header ${n} ${describeStringMatch(sm)}`);
  for (const [n, sm] of m.withoutHeaders) parts.push(`no header ${n} that ${describeStringMatch(sm)}`);
  for (const [n, sm] of m.queryParams) parts.push(`query ${n} ${describeStringMatch(sm)}`);
  if (m.port !== undefined) parts.push(`port ${m.port}`);
  if (m.gateways.length > 0) parts.push(`gateways ${m.gateways.join(', ')}`);
  for (const [k, v] of m.sourceLabels) parts.push(`source label ${k}=${v}`);
  if (m.sourceNamespace) parts.push(`source namespace ${m.sourceNamespace}`);
  return parts.length === 0 ? 'any request' : parts.join(' and ');
}

// ---- Delegates: Istio merges each delegate route's matches into the root route's ----------------

function smConflict(root: any, leaf: any): boolean {
  if (!isObject(root) || !isObject(leaf)) return false;
  const re = (o: any) => (typeof o.regex === 'string' ? o.regex : '');
  const pre = (o: any) => (typeof o.prefix === 'string' ? o.prefix : '');
  const ex = (o: any) => (typeof o.exact === 'string' ? o.exact : '');
  if (re(root) !== '' && (re(leaf) !== '' || pre(leaf) !== '' || ex(leaf) !== '')) return true;
  if (re(leaf) !== '' && (re(root) !== '' || pre(root) !== '' || ex(root) !== '')) return true;
  if (ex(root) !== '') return pre(leaf) !== '' || ex(leaf) !== ex(root);
  if (pre(root) !== '') {
    if (pre(leaf) !== '') return !pre(leaf).startsWith(pre(root));
    if (ex(leaf) !== '') return !ex(leaf).startsWith(pre(root));
  }
  return true;
}

function mapOf(value: unknown): Record<string, any> {
  return isObject(value) ? value : {};
}

/** Istio's conflict test between a root match and a delegate match. @internal */
export function matchConflict(root: any, leaf: any): boolean {
  for (const k of ['uri', 'scheme', 'method', 'authority']) if (smConflict(root[k], leaf[k])) return true;
  for (const field of ['headers', 'withoutHeaders', 'queryParams']) {
    const r = mapOf(root[field]);
    for (const [k, v] of Object.entries(mapOf(leaf[field]))) if (smConflict(r[k], v)) return true;
  }
  if ((root.ignoreUriCase === true) !== (leaf.ignoreUriCase === true)) return true;
  if (root.port > 0 && leaf.port > 0 && root.port !== leaf.port) return true;
  if (root.sourceNamespace && leaf.sourceNamespace !== root.sourceNamespace) return true;
  const rl = mapOf(root.sourceLabels);
  for (const [k, v] of Object.entries(mapOf(leaf.sourceLabels))) if (k in rl && rl[k] !== v) return true;
  const rg = arr(root.gateways);
  const lg = arr(leaf.gateways);
  if (rg.length > 0 && lg.length > 0 && (rg.length < lg.length || lg.some((g) => !rg.includes(g)))) return true;
  return false;
}

function mergeMatch(root: any, leaf: any): any {
  const out: any = { ...leaf };
  out.name = !leaf.name ? root.name : root.name ? `${root.name}-${leaf.name}` : leaf.name;
  for (const k of ['uri', 'scheme', 'method', 'authority']) if (out[k] === undefined || out[k] === null) out[k] = root[k];
  for (const k of ['headers', 'withoutHeaders', 'queryParams', 'sourceLabels']) {
    if (isObject(root[k]) || isObject(leaf[k])) out[k] = { ...mapOf(root[k]), ...mapOf(leaf[k]) };
  }
  if (!out.port) out.port = root.port;
  if (!out.sourceNamespace) out.sourceNamespace = root.sourceNamespace;
  if (arr(out.gateways).length === 0) out.gateways = root.gateways;
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** The merged matches of a delegate route, or undefined when they conflict with the root's (Istio drops the route). @internal */
export function mergeDelegateMatches(root: readonly any[], leaf: readonly any[]): any[] | undefined {
  if (root.length === 0) return [...leaf];
  if (leaf.length === 0) return [...root];
  const out: any[] = [];
  for (const sub of leaf) {
    let found = false;
    for (const r of root) {
      if (matchConflict(mapOf(r), mapOf(sub))) continue;
      out.push(mergeMatch(mapOf(r), mapOf(sub)));
      found = true;
    }
    if (!found) return undefined;
  }
  return out.length === 0 ? undefined : out;
}

/** Fields a delegate route inherits from the root route when it does not set them. @internal */
export const INHERITED_ROUTE_FIELDS = [
  'rewrite',
  'directResponse',
  'timeout',
  'retries',
  'fault',
  'mirror',
  'mirrorPercent',
  'mirrorPercentage',
  'corsPolicy',
  'mirrors',
  'headers',
] as const;
