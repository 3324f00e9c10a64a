import { arr, entries, obj, str } from '../kinds/common';
import { isIpOrCidr } from '../kinds/fields';

/** What a workload's proxy decides about a request. */
export enum AuthorizationOutcome {
  /** The request reaches the workload. */
  ALLOW = 'ALLOW',
  /** The proxy refuses it (403 for HTTP, or the connection for plain text under STRICT mTLS). */
  DENY = 'DENY',
  /** A CUSTOM policy hands it to an external authorizer, which decides (and then DENY and ALLOW policies apply). */
  CUSTOM = 'CUSTOM',
}

/** The workload a request is sent to. */
export interface AuthorizationTarget {
  /** Namespace of the workload. */
  readonly namespace: string;
  /** Pod labels of the workload. */
  readonly labels: { [key: string]: string };
  /**
   * The workload port the request arrives on.
   * @default - none: port conditions do not match
   */
  readonly port?: number;
}

/** A request, as the destination's proxy sees it. */
export interface AuthorizationRequest {
  /**
   * Peer identity from mutual TLS, `<trust domain>/ns/<namespace>/sa/<service account>`.
   * @default - none: the request arrives in plain text
   */
  readonly principal?: string;
  /**
   * HTTP method.
   * @default 'GET'
   */
  readonly method?: string;
  /**
   * Request path (the query string is ignored).
   * @default '/'
   */
  readonly path?: string;
  /**
   * Host (`:authority`).
   * @default - none: host conditions do not match
   */
  readonly host?: string;
  /**
   * Request headers (names in lower case).
   * @default - none
   */
  readonly headers?: { [name: string]: string };
  /**
   * Request identity from a validated JWT, `<iss>/<sub>`.
   * @default - none
   */
  readonly requestPrincipal?: string;
  /**
   * Source IP address.
   * @default - none: IP conditions do not match
   */
  readonly sourceIp?: string;
}

/** The decision about one request, with the policy that made it. */
export interface AuthorizationDecision {
  /** The outcome. */
  readonly outcome: AuthorizationOutcome;
  /** Why, in a sentence. */
  readonly reason: string;
  /**
   * The deciding object, `Kind namespace/name`.
   * @default - none: no policy decided (allowed by default)
   */
  readonly policy?: string;
}

/** Options of {@link AuthorizationEvaluator.fromObjects}. */
export interface AuthorizationEvaluatorOptions {
  /**
   * Istio's root namespace, where policies without selector apply to the whole mesh.
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
  /**
   * Namespace of objects that do not set one.
   * @default 'default'
   */
  readonly defaultNamespace?: string;
}

interface Policy {
  readonly id: string;
  readonly namespace: string;
  readonly spec: Record<string, any>;
}

/**
 * Evaluates Istio's AuthorizationPolicies and PeerAuthentications for one request to one
 * workload, as its sidecar proxy would: plain text refused under STRICT mTLS; then CUSTOM
 * policies, then DENY, then ALLOW (a workload without ALLOW policy allows what no DENY refuses;
 * one with ALLOW policies allows only what one of them matches). AUDIT and dry-run policies
 * decide nothing.
 *
 * Known limits: policies attached with `targetRef(s)` (waypoints, gateways) are not applied;
 * `when` keys that need connection data this model lacks (`remote.ip`, `destination.ip`,
 * `connection.sni`, `experimental.*`, `request.auth.audiences` / `presenter` / `claims`) never
 * match, so their `notValues` always match.
 *
 * @see https://istio.io/latest/docs/concepts/security/#authorization-policy-precedence
 */
export class AuthorizationEvaluator {
  /** An evaluator over Kubernetes objects as plain JSON (other kinds are ignored). */
  public static fromObjects(objects: any[], options: AuthorizationEvaluatorOptions = {}): AuthorizationEvaluator {
    return new AuthorizationEvaluator(objects, options.rootNamespace ?? 'istio-system', options.defaultNamespace ?? 'default');
  }

  private readonly _authz: Policy[] = [];
  private readonly _peer: Policy[] = [];

  private constructor(
    objects: readonly unknown[],
    private readonly _root: string,
    defaultNamespace: string,
  ) {
    for (const o of objects) {
      const object = obj(o);
      if (!object || !str(object.apiVersion)?.startsWith('security.istio.io/')) continue;
      const meta = obj(object.metadata) ?? {};
      const namespace = str(meta.namespace) || defaultNamespace;
      const policy = { id: `${object.kind} ${namespace}/${str(meta.name) ?? ''}`, namespace, spec: obj(object.spec) ?? {} };
      if (object.kind === 'AuthorizationPolicy') {
        const dryRun = str(obj(meta.annotations)?.['istio.io/dry-run']);
        if (dryRun === undefined || !['1', 't', 'T', 'TRUE', 'true', 'True'].includes(dryRun)) this._authz.push(policy);
      } else if (object.kind === 'PeerAuthentication') {
        this._peer.push(policy);
      }
    }
  }

  /** The mTLS mode in force for the target's port: workload (port, then workload), namespace, mesh; PERMISSIVE by default. */
  public mtlsMode(target: AuthorizationTarget): string {
    const selects = (p: Policy) => selectorMatches(p.spec, target.labels);
    const scoped = (p: Policy) => obj(p.spec.selector) === undefined || entries(obj(p.spec.selector)?.matchLabels).length === 0;
    const workload = this._peer.find((p) => p.namespace === target.namespace && !scoped(p) && selects(p));
    const modes = [
      target.port !== undefined ? str(obj(obj(workload?.spec.portLevelMtls)?.[String(target.port)])?.mode) : undefined,
      str(obj(workload?.spec.mtls)?.mode),
      str(obj(this._peer.find((p) => p.namespace === target.namespace && scoped(p))?.spec.mtls)?.mode),
      str(obj(this._peer.find((p) => p.namespace === this._root && scoped(p))?.spec.mtls)?.mode),
    ];
    return modes.find((m) => m !== undefined && m !== 'UNSET') ?? 'PERMISSIVE';
  }

  /**
   * False when ALLOW policies apply to the target and none of them has a rule (a default deny
   * with no exception): then every request to it is denied, whoever sends it.
   */
  public admitsAnyone(target: AuthorizationTarget): boolean {
    const allows = this.applicable(target).filter((p) => (str(p.spec.action) ?? 'ALLOW') === 'ALLOW');
    return allows.length === 0 || allows.some((p) => arr(p.spec.rules).length > 0);
  }

  /** The decision about `request` sent to `target`. */
  public evaluate(target: AuthorizationTarget, request: AuthorizationRequest): AuthorizationDecision {
    if (request.principal === undefined && this.mtlsMode(target) === 'STRICT') {
      return { outcome: AuthorizationOutcome.DENY, reason: 'plain text is refused: mTLS is STRICT for the workload' };
    }
    const applicable = this.applicable(target);
    const byAction = (action: string) => applicable.filter((p) => (str(p.spec.action) ?? 'ALLOW') === action);
    const matching = (p: Policy) => arr(p.spec.rules).some((rule) => ruleMatches(obj(rule) ?? {}, target, request));
    const custom = byAction('CUSTOM').find(matching);
    if (custom) {
      return {
        outcome: AuthorizationOutcome.CUSTOM,
        reason: `matched by a CUSTOM policy (provider ${str(obj(custom.spec.provider)?.name) ?? '?'})`,
        policy: custom.id,
      };
    }
    const deny = byAction('DENY').find(matching);
    if (deny) return { outcome: AuthorizationOutcome.DENY, reason: 'matched by a DENY policy', policy: deny.id };
    const allows = byAction('ALLOW');
    if (allows.length === 0) return { outcome: AuthorizationOutcome.ALLOW, reason: 'no ALLOW policy applies to the workload' };
    const allow = allows.find(matching);
    if (allow) return { outcome: AuthorizationOutcome.ALLOW, reason: 'matched by an ALLOW policy', policy: allow.id };
    return { outcome: AuthorizationOutcome.DENY, reason: `no ALLOW policy matches (${allows.map((p) => p.id).join(', ')} apply)` };
  }

  // Policies of the root namespace without selector, and of the target's namespace selecting it;
  // policies attached with targetRef(s) apply to waypoints and gateways, not sidecars.
  private applicable(target: AuthorizationTarget): Policy[] {
    return this._authz.filter((p) => {
      if (p.spec.targetRef || arr(p.spec.targetRefs).length > 0) return false;
      if (p.namespace === this._root && obj(p.spec.selector) === undefined) return true;
      return p.namespace === target.namespace && selectorMatches(p.spec, target.labels);
    });
  }
}

function selectorMatches(spec: Record<string, any>, labels: { [key: string]: string }): boolean {
  return entries(obj(spec.selector)?.matchLabels).every(([k, v]) => labels[k] === v);
}

/** A rule matches when every part given matches: any `from`, any `to`, every `when`. */
function ruleMatches(rule: Record<string, any>, target: AuthorizationTarget, request: AuthorizationRequest): boolean {
  const from = arr(rule.from);
  const to = arr(rule.to);
  if (from.length > 0 && !from.some((f) => sourceMatches(obj(obj(f)?.source) ?? {}, request))) return false;
  if (to.length > 0 && !to.some((t) => operationMatches(obj(obj(t)?.operation) ?? {}, target, request))) return false;
  return arr(rule.when).every((c) => conditionMatches(obj(c) ?? {}, target, request));
}

/** A field given as values must match one; given as notValues, none. */
function field(values: unknown, notValues: unknown, value: string | undefined, match: (pattern: string, v: string) => boolean): boolean {
  const yes = arr(values).filter((v): v is string => typeof v === 'string');
  const no = arr(notValues).filter((v): v is string => typeof v === 'string');
  if (yes.length > 0 && (value === undefined || !yes.some((p) => match(p, value)))) return false;
  if (no.length > 0 && value !== undefined && no.some((p) => match(p, value))) return false;
  return true;
}

/** Istio's string match: `*` any non-empty value, `*suffix`, `prefix*`, else exact. */
function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (p === '*') return v !== '';
  if (p.startsWith('*')) return v.endsWith(p.slice(1));
  if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  return p === v;
}

function namespaceOfPrincipal(principal: string | undefined): string | undefined {
  return principal?.match(/\/ns\/([^/]+)\//)?.[1];
}

function trustDomainOfPrincipal(principal: string | undefined): string | undefined {
  return principal?.includes('/') ? principal.slice(0, principal.indexOf('/')) : undefined;
}

function serviceAccountOfPrincipal(principal: string | undefined): string | undefined {
  const m = principal?.match(/\/ns\/([^/]+)\/sa\/([^/]+)$/);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

function ipMatches(block: string, ip: string): boolean {
  if (!isIpOrCidr(block) || !isIpOrCidr(ip) || block.includes(':') || ip.includes(':')) return block === ip;
  const [base, bits = '32'] = block.split('/');
  const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const mask = Number(bits) === 0 ? 0 : 2 ** 32 - 2 ** (32 - Number(bits));
  const and = (n: number) => Number(BigInt(n) & BigInt(mask));
  return and(toInt(base)) === and(toInt(ip));
}

function sourceMatches(src: Record<string, any>, request: AuthorizationRequest): boolean {
  const principal = request.principal;
  const sa = serviceAccountOfPrincipal(principal);
  return (
    field(src.principals, src.notPrincipals, principal, (p, v) => wildcard(p, v)) &&
    field(src.requestPrincipals, src.notRequestPrincipals, request.requestPrincipal, (p, v) => wildcard(p, v)) &&
    field(src.namespaces, src.notNamespaces, namespaceOfPrincipal(principal), (p, v) => wildcard(p, v)) &&
    field(src.trustDomains, src.notTrustDomains, trustDomainOfPrincipal(principal), (p, v) => wildcard(p, v)) &&
    field(src.serviceAccounts, src.notServiceAccounts, sa, (p, v) => (p.includes('/') ? p === v : v.endsWith(`/${p}`))) &&
    field(src.ipBlocks, src.notIpBlocks, request.sourceIp, ipMatches) &&
    field(src.remoteIpBlocks, src.notRemoteIpBlocks, request.sourceIp, ipMatches)
  );
}

function operationMatches(op: Record<string, any>, target: AuthorizationTarget, request: AuthorizationRequest): boolean {
  const path = (request.path ?? '/').split('?')[0];
  return (
    field(op.hosts, op.notHosts, request.host, (p, v) => wildcard(p, v, true)) &&
    field(op.ports, op.notPorts, target.port === undefined ? undefined : String(target.port), (p, v) => p === v) &&
    field(op.methods, op.notMethods, request.method ?? 'GET', (p, v) => wildcard(p, v)) &&
    field(op.paths, op.notPaths, path, pathMatches)
  );
}

/** Istio's path match, with the `{*}` (one segment) and `{**}` (the rest) templates. */
function pathMatches(pattern: string, path: string): boolean {
  if (!pattern.includes('{*}') && !pattern.includes('{**}')) return wildcard(pattern, path);
  const source = pattern
    .split('/')
    .map((segment) => (segment === '{*}' ? '[^/]+' : segment === '{**}' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`).test(path);
}

function conditionMatches(c: Record<string, any>, target: AuthorizationTarget, request: AuthorizationRequest): boolean {
  const key = str(c.key) ?? '';
  const header = key.match(/^request\.headers\[(.+)\]$/)?.[1]?.toLowerCase();
  let value: string | undefined;
  let match: (p: string, v: string) => boolean = (p, v) => wildcard(p, v);
  if (header !== undefined) {
    value = Object.entries(request.headers ?? {}).find(([k]) => k.toLowerCase() === header)?.[1];
  } else if (key === 'source.principal') value = request.principal;
  else if (key === 'source.namespace') value = namespaceOfPrincipal(request.principal);
  else if (key === 'source.trustDomain') value = trustDomainOfPrincipal(request.principal);
  else if (key === 'source.serviceAccount') {
    value = serviceAccountOfPrincipal(request.principal);
    match = (p, v) => (p.includes('/') ? p === v : v.endsWith(`/${p}`));
  } else if (key === 'request.auth.principal') value = request.requestPrincipal;
  else if (key === 'destination.port') {
    value = target.port === undefined ? undefined : String(target.port);
    match = (p, v) => p === v;
  } else if (key === 'source.ip') {
    value = request.sourceIp;
    match = ipMatches;
  }
  return field(c.values, c.notValues, value, match);
}
