import { ApiObject, Chart } from 'cdk8s';
import { OutboundTrafficPolicyMode, Sidecar } from '../istio/sidecar';
import { Construct, IConstruct } from 'constructs';
import { describe, fail } from '../kinds/errors';
import { StringMatchType } from '../istio/match';
import { VirtualService } from '../istio/virtual-service';
import { AuthorizationPolicy } from '../security/authorization-policy';
import { MtlsMode, PeerAuthentication } from '../security/peer-authentication';
import { checkTrustDomain, INGRESS_GATEWAY_SERVICE_ACCOUNT } from '../security/trust-domain';
import { DEFAULT_TRUST_DOMAIN, IMeshWorkload, Principal, WorkloadSelector } from '../security/workload-identity';

/** One declared call: `caller` sends requests to `callee`. */
export interface ZeroTrustCallOptions {
  /** The calling workload. */
  readonly caller: IMeshWorkload;
  /** The called workload. */
  readonly callee: IMeshWorkload;
  /**
   * HTTP methods the caller uses.
   * @default - any method
   */
  readonly methods?: string[];
  /**
   * Paths the caller requests (exact, `/prefix*`, `*suffix`).
   * @default - any path
   */
  readonly paths?: string[];
}

/** Properties of a {@link ZeroTrust}. */
export interface ZeroTrustProps {
  /**
   * The workloads to protect, all in the construct's namespace. Each gets an ALLOW policy for
   * exactly its callers; one nobody calls is denied everything.
   */
  readonly workloads: IMeshWorkload[];

  /**
   * The declared calls between the workloads. More with `addCall()`.
   * @default - none (only the calls taken from the routes)
   */
  readonly calls?: ZeroTrustCallOptions[];

  /**
   * Take calls from the app's routes (VirtualServices defined before this construct): a route of
   * a VirtualService bound to a gateway makes the ingress gateway a caller of the workloads it
   * routes to, and a mesh route's match with `sourceLabels` makes the workloads carrying those
   * labels callers; for the URIs matched (exact and prefix; any path for no URI or a regex).
   * @default true
   */
  readonly callsFromRoutes?: boolean;

  /**
   * The identity of the ingress gateway.
   * @default - `<trustDomain>/ns/istio-system/sa/istio-ingressgateway-service-account` (a default Istio install)
   */
  readonly ingressGatewayPrincipal?: Principal;

  /**
   * The mesh's trust domain, in the principals written.
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;

  /**
   * External hosts (of ServiceEntries) the workloads may call. With `restrictEgress`, nothing
   * else outside the namespace is reachable.
   * @default - none
   */
  readonly externalHosts?: string[];

  /**
   * Limit egress to the registry: a namespace-wide Sidecar with `outboundTrafficPolicy:
   * REGISTRY_ONLY` whose egress hosts are the workloads, `externalHosts` and `istio-system`.
   * @default true
   */
  readonly restrictEgress?: boolean;
}

interface Edge {
  readonly principal: Principal;
  readonly methods?: readonly string[];
  readonly paths?: readonly string[];
}

/**
 * Zero trust for one namespace, derived from who calls whom: STRICT mTLS for the whole
 * namespace, a default deny, and for each workload an ALLOW policy for exactly the
 * service-account principals of its declared callers (and of the ingress gateway for what the
 * gateway routes to); egress limited to the registry and the declared external hosts.
 *
 * Writes, in the namespace: PeerAuthentication `default` (STRICT), AuthorizationPolicy
 * `deny-all` (empty spec), AuthorizationPolicy `<workload>-callers` per called workload, and
 * (with `restrictEgress`) Sidecar `default`.
 */
export class ZeroTrust extends Construct {
  /** How {@link ZeroTrust.calls} names the ingress gateway as a caller. */
  public static readonly INGRESS_CALLER = 'ingress';

  /** The namespace the policies are written to (the workloads'). */
  public readonly namespace: string;
  /** The namespace-wide STRICT PeerAuthentication. */
  public readonly peerAuthentication: PeerAuthentication;
  /** The default deny. */
  public readonly denyAll: AuthorizationPolicy;
  /** The ingress gateway's principal. */
  public readonly ingressGatewayPrincipal: Principal;
  /** The trust domain of the principals. */
  public readonly trustDomain: string;

  private readonly _workloads: IMeshWorkload[];
  private readonly _edges = new Map<IMeshWorkload, Edge[]>();
  private readonly _policies = new Map<IMeshWorkload, AuthorizationPolicy>();
  private readonly _calls: { caller: string; callee: string }[] = [];

  public constructor(scope: Construct, id: string, props: ZeroTrustProps) {
    super(scope, id);
    const self = describe('ZeroTrust', id);
    this.trustDomain = props.trustDomain ?? DEFAULT_TRUST_DOMAIN;
    try {
      checkTrustDomain(this.trustDomain);
    } catch {
      fail(self, 'trustDomain', this.trustDomain, "must be a DNS name such as 'cluster.local'");
    }
    if (props.workloads.length === 0) fail(self, 'workloads', [], 'must list at least one workload');
    this.namespace = Chart.of(this).namespace ?? 'default';
    for (const w of props.workloads) {
      const ns = ApiObject.of(w.serviceAccount).metadata.namespace ?? 'default';
      if (ns !== this.namespace) {
        fail(
          self,
          'workloads',
          w.name,
          `is in namespace '${ns}', not '${this.namespace}'`,
          'define the ZeroTrust in the chart (namespace) of its workloads',
        );
      }
    }
    this._workloads = [...props.workloads];
    this.ingressGatewayPrincipal =
      props.ingressGatewayPrincipal ??
      Principal.serviceAccount(INGRESS_GATEWAY_SERVICE_ACCOUNT.namespace, INGRESS_GATEWAY_SERVICE_ACCOUNT.name, {
        trustDomain: this.trustDomain,
      });

    this.peerAuthentication = new PeerAuthentication(this, 'PeerAuthentication', {
      metadata: { name: 'default' },
      mtlsMode: MtlsMode.STRICT,
    });
    this.denyAll = AuthorizationPolicy.denyAll(this, 'DenyAll', { metadata: { name: 'deny-all' } });
    if (props.restrictEgress ?? true) this.addSidecar(props.externalHosts ?? []);

    if (props.callsFromRoutes ?? true) this.addCallsFromRoutes(this.node.root);
    for (const call of props.calls ?? []) this.addCall(call);
  }

  /** Declares a call: the callee's ALLOW policy admits the caller's principal (for the given methods and paths). */
  public addCall(call: ZeroTrustCallOptions): void {
    const self = describe('ZeroTrust', this.node.id);
    for (const [field, w] of [
      ['caller', call.caller],
      ['callee', call.callee],
    ] as const) {
      if (!this._workloads.includes(w)) fail(self, `calls.${field}`, w.name, 'is not one of the workloads', 'add it to workloads');
    }
    this.allow(call.callee, {
      principal: Principal.ofWorkload(call.caller, { trustDomain: this.trustDomain }),
      methods: call.methods,
      paths: call.paths,
    });
    this._calls.push({ caller: call.caller.name, callee: call.callee.name });
  }

  /** The calls this pattern allows, `caller -> callee` (the ingress gateway is `ingress`), sorted. */
  public get calls(): string[] {
    return this._calls.map((c) => `${c.caller} -> ${c.callee}`).sort();
  }

  private allow(callee: IMeshWorkload, edge: Edge): void {
    let policy = this._policies.get(callee);
    if (!policy) {
      policy = new AuthorizationPolicy(this, `Allow-${callee.name}`, {
        metadata: { name: `${callee.name}-callers` },
        selector: WorkloadSelector.of(callee),
      });
      this._policies.set(callee, policy);
    }
    const known = this._edges.get(callee) ?? [];
    this._edges.set(callee, [...known, edge]);
    const ops =
      edge.methods || edge.paths
        ? [{ methods: edge.methods ? [...edge.methods] : undefined, paths: edge.paths ? [...edge.paths] : undefined }]
        : undefined;
    policy.addRule({ from: [{ principals: [edge.principal] }], to: ops });
  }

  private addCallsFromRoutes(root: IConstruct): void {
    const byHost = new Map<string, IMeshWorkload>();
    for (const w of this._workloads) {
      byHost.set(w.name, w);
      byHost.set(`${w.name}.${this.namespace}.svc.cluster.local`, w);
    }
    for (const c of root.node.findAll()) {
      if (!(c instanceof VirtualService)) continue;
      const viaGateway = c.gateways.some((g) => g !== 'mesh');
      const inMesh = c.gateways.length === 0 || c.gateways.includes('mesh');
      for (const route of c.httpRoutes) {
        const callees = route.destinations.map((d) => byHost.get(d.destination.host)).filter((w): w is IMeshWorkload => w !== undefined);
        for (const callee of new Set(callees)) {
          if (viaGateway) {
            this.allow(callee, { principal: this.ingressGatewayPrincipal, paths: routePaths(route.matches.map((m) => m.uri)) });
            this._calls.push({ caller: ZeroTrust.INGRESS_CALLER, callee: callee.name });
          }
          if (!inMesh) continue;
          // A mesh route with sourceLabels names its callers: the workloads whose pods carry those labels.
          for (const match of route.matches) {
            for (const caller of this._workloads.filter((w) => isSourceOf(w, match.sourceLabels))) {
              this.allow(callee, {
                principal: Principal.ofWorkload(caller, { trustDomain: this.trustDomain }),
                paths: routePaths([match.uri]),
              });
              this._calls.push({ caller: caller.name, callee: callee.name });
            }
          }
        }
      }
    }
  }

  private addSidecar(externalHosts: readonly string[]): void {
    const hosts = [
      ...this._workloads.map((w) => `./${w.name}.${this.namespace}.svc.cluster.local`),
      ...externalHosts.map((h) => `*/${h}`),
      'istio-system/*',
    ];
    new Sidecar(this, 'Sidecar', {
      metadata: { name: 'default' },
      outboundTrafficPolicy: OutboundTrafficPolicyMode.REGISTRY_ONLY,
      egress: [{ hosts }],
    });
  }
}

/** True when `sourceLabels` select (some of) the workload's pods: they include all its selector labels. */
function isSourceOf(w: IMeshWorkload, sourceLabels: { [key: string]: string } | undefined): boolean {
  if (!sourceLabels) return false;
  const selector = Object.entries(w.selectorLabels);
  return selector.length > 0 && selector.every(([k, v]) => sourceLabels[k] === v);
}

/** The authorization paths of a route's URI matches, or undefined (any path) when one cannot be expressed. */
function routePaths(uris: readonly ({ type: StringMatchType; value: string } | undefined)[]): string[] | undefined {
  if (uris.length === 0) return undefined;
  const paths: string[] = [];
  for (const uri of uris) {
    if (!uri) return undefined;
    if (uri.type === StringMatchType.EXACT) paths.push(uri.value);
    else if (uri.type === StringMatchType.PREFIX) paths.push(`${uri.value}*`);
    else return undefined;
  }
  return paths;
}
