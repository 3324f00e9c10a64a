import { Construct } from 'constructs';
import type {
  AuthorizationPolicySpec,
  AuthorizationPolicySpecRules,
  AuthorizationPolicySpecRulesFromSource,
  AuthorizationPolicySpecRulesToOperation,
} from '../../imports/istio-types';
import { IstioResource, IstioResourceProps } from '../istio/istio-resource';
import { Principal, WorkloadSelector } from './workload-identity';

/**
 * What an AuthorizationPolicy does with the requests its rules match.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#AuthorizationPolicy-Action
 */
export enum AuthorizationAction {
  /** Allow matching requests; once a workload has an ALLOW policy, requests no ALLOW policy matches are denied. */
  ALLOW = 'ALLOW',
  /** Deny matching requests (evaluated before ALLOW). */
  DENY = 'DENY',
  /** Audit matching requests (needs an audit plugin); decides nothing. */
  AUDIT = 'AUDIT',
  /** Delegate matching requests to an external authorizer (`provider`); evaluated first. */
  CUSTOM = 'CUSTOM',
}

/** Properties of an {@link AuthorizationPolicy}. */
export interface AuthorizationPolicyProps extends IstioResourceProps {
  /**
   * The workloads (of the object's namespace) the policy applies to.
   * @default - every workload of the namespace; of the mesh in the root namespace
   */
  readonly selector?: WorkloadSelector;

  /**
   * What the policy does with matching requests.
   * @default AuthorizationAction.ALLOW
   */
  readonly action?: AuthorizationAction;

  /**
   * Name of the external authorization provider (from the mesh config) of a CUSTOM policy.
   * @default - none (required with CUSTOM)
   */
  readonly provider?: string;

  /**
   * The rules; a request matches the policy when it matches any rule. More with `addRule()`.
   * An ALLOW policy without rules matches nothing: it denies every request to its workloads.
   * @default - none
   */
  readonly rules?: AuthorizationRuleOptions[];
}

/**
 * One rule: a request matches it when it matches every field given (any `from`, any `to`, all `when`).
 * A rule without fields (`{}`) matches every request.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Rule
 */
export interface AuthorizationRuleOptions {
  /**
   * Who sends the request (any of them).
   * @default - any source
   */
  readonly from?: AuthorizationSourceOptions[];
  /**
   * What the request does (any of them).
   * @default - any operation
   */
  readonly to?: AuthorizationOperationOptions[];
  /**
   * Further conditions (all of them).
   * @default - none
   */
  readonly when?: AuthorizationConditionOptions[];
}

/**
 * A source: a request comes from it when it matches every field given.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
 */
export interface AuthorizationSourceOptions {
  /** Peer identities (mTLS). @default - any */
  readonly principals?: Principal[];
  /** Peer identities excluded. @default - none */
  readonly notPrincipals?: Principal[];
  /** Request identities (`<iss>/<sub>` of a JWT). @default - any */
  readonly requestPrincipals?: string[];
  /** Request identities excluded. @default - none */
  readonly notRequestPrincipals?: string[];
  /** Namespaces of the peer (mTLS). @default - any */
  readonly namespaces?: string[];
  /** Namespaces excluded. @default - none */
  readonly notNamespaces?: string[];
  /** Service accounts of the peer (`sa` or `ns/sa`); not with principals or namespaces. @default - any */
  readonly serviceAccounts?: string[];
  /** Service accounts excluded. @default - none */
  readonly notServiceAccounts?: string[];
  /** Trust domains of the peer. @default - any */
  readonly trustDomains?: string[];
  /** Trust domains excluded. @default - none */
  readonly notTrustDomains?: string[];
  /** Source IPs or CIDR blocks (of the connection). @default - any */
  readonly ipBlocks?: string[];
  /** Source IPs excluded. @default - none */
  readonly notIpBlocks?: string[];
  /** Client IPs (from X-Forwarded-For or proxy protocol). @default - any */
  readonly remoteIpBlocks?: string[];
  /** Client IPs excluded. @default - none */
  readonly notRemoteIpBlocks?: string[];
}

/**
 * An operation: a request performs it when it matches every field given.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Operation
 */
export interface AuthorizationOperationOptions {
  /** Hosts (Host / :authority). @default - any */
  readonly hosts?: string[];
  /** Hosts excluded. @default - none */
  readonly notHosts?: string[];
  /** Destination ports of the workload. @default - any */
  readonly ports?: number[];
  /** Ports excluded. @default - none */
  readonly notPorts?: number[];
  /** HTTP methods (`GET`, ...). @default - any */
  readonly methods?: string[];
  /** Methods excluded. @default - none */
  readonly notMethods?: string[];
  /** Paths: exact, `/prefix*`, `*suffix`, or templates with `{*}` / `{**}`. @default - any */
  readonly paths?: string[];
  /** Paths excluded. @default - none */
  readonly notPaths?: string[];
}

/**
 * A condition on a request attribute (`request.headers[x-team]`, `request.auth.claims[group]`, `source.ip` ...).
 * @see https://istio.io/latest/docs/reference/config/security/conditions/
 */
export interface AuthorizationConditionOptions {
  /** The attribute. */
  readonly key: string;
  /** Values it may have (any of them). @default - any */
  readonly values?: string[];
  /** Values it may not have. @default - none */
  readonly notValues?: string[];
}

/**
 * An Istio `AuthorizationPolicy`: which requests the selected workloads accept (ALLOW), refuse
 * (DENY), audit (AUDIT) or hand to an external authorizer (CUSTOM).
 *
 * `AuthorizationPolicy.denyAll()` writes the empty-spec policy that denies every request to its
 * scope. Principals are typed: `Principal.ofWorkload(productpage)` is the identity of a
 * `VersionedService`'s ServiceAccount.
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
export class AuthorizationPolicy extends IstioResource {
  /**
   * The policy that denies every request in its scope (the whole namespace unless `selector`):
   * an ALLOW policy without rules, written as `spec: {}`.
   */
  public static denyAll(scope: Construct, id: string, props: AuthorizationDenyAllProps = {}): AuthorizationPolicy {
    return new AuthorizationPolicy(scope, id, { metadata: props.metadata, selector: props.selector });
  }

  /**
   * The selector, when the policy applies to some workloads.
   * @default - the whole namespace
   */
  public readonly selector?: WorkloadSelector;
  /** The action. */
  public readonly action: AuthorizationAction;
  /**
   * The external authorizer of a CUSTOM policy.
   * @default - none
   */
  public readonly provider?: string;
  private readonly _action?: AuthorizationAction;
  private readonly _rules: AuthorizationRuleOptions[] = [];

  public constructor(scope: Construct, id: string, props: AuthorizationPolicyProps = {}) {
    super(scope, id, 'AuthorizationPolicy', props);
    this.selector = props.selector;
    this._action = props.action;
    this.action = props.action ?? AuthorizationAction.ALLOW;
    this.provider = props.provider;
    for (const rule of props.rules ?? []) this.addRule(rule);
    this._constructed();
  }

  /** Adds a rule. Throws, and adds nothing, when the policy with it is invalid. */
  public addRule(rule: AuthorizationRuleOptions): void {
    this._rules.push(rule);
    this._changedOrUndo(() => this._rules.pop());
  }

  /** The number of rules. */
  public get ruleCount(): number {
    return this._rules.length;
  }

  /** @internal */
  protected _toSpec(): AuthorizationPolicySpec {
    return {
      selector: this.selector?._toKube(),
      action: this._action,
      provider: this.provider !== undefined ? { name: this.provider } : undefined,
      rules: this._rules.length > 0 ? this._rules.map(renderRule) : undefined,
    };
  }
}

/** Properties of {@link AuthorizationPolicy.denyAll}. */
export interface AuthorizationDenyAllProps extends IstioResourceProps {
  /**
   * The workloads to deny every request to.
   * @default - the whole namespace
   */
  readonly selector?: WorkloadSelector;
}

function list<T>(values: readonly T[] | undefined, render: (v: T) => string = String): string[] | undefined {
  return values && values.length > 0 ? values.map(render) : undefined;
}

function renderRule(rule: AuthorizationRuleOptions): AuthorizationPolicySpecRules {
  return {
    from: rule.from?.map((s) => ({ source: renderSource(s) })),
    to: rule.to?.map((o) => ({ operation: renderOperation(o) })),
    when: rule.when?.map((c) => ({ key: c.key, values: list(c.values), notValues: list(c.notValues) })),
  };
}

function renderSource(s: AuthorizationSourceOptions): AuthorizationPolicySpecRulesFromSource {
  return {
    principals: list(s.principals, (p) => p.value),
    notPrincipals: list(s.notPrincipals, (p) => p.value),
    requestPrincipals: list(s.requestPrincipals),
    notRequestPrincipals: list(s.notRequestPrincipals),
    namespaces: list(s.namespaces),
    notNamespaces: list(s.notNamespaces),
    serviceAccounts: list(s.serviceAccounts),
    notServiceAccounts: list(s.notServiceAccounts),
    trustDomains: list(s.trustDomains),
    notTrustDomains: list(s.notTrustDomains),
    ipBlocks: list(s.ipBlocks),
    notIpBlocks: list(s.notIpBlocks),
    remoteIpBlocks: list(s.remoteIpBlocks),
    notRemoteIpBlocks: list(s.notRemoteIpBlocks),
  };
}

function renderOperation(o: AuthorizationOperationOptions): AuthorizationPolicySpecRulesToOperation {
  return {
    hosts: list(o.hosts),
    notHosts: list(o.notHosts),
    ports: list(o.ports),
    notPorts: list(o.notPorts),
    methods: list(o.methods),
    notMethods: list(o.notMethods),
    paths: list(o.paths),
    notPaths: list(o.notPaths),
  };
}
