import { AuthorizationEvaluator, AuthorizationTarget } from '../security/evaluate';
import { INGRESS_GATEWAY_SERVICE_ACCOUNT, ISTIO_DEFAULT_TRUST_DOMAIN as DEFAULT_TRUST_DOMAIN } from '../security/trust-domain';
import { arr, entries, isObject, obj, str } from '../kinds/common';
import { MeshModel, ObjectRef, selectorOf, Workload } from './model';

/**
 * What the security analyzers share: workloads' identities, the workloads behind a Service, and
 * one AuthorizationEvaluator per model. Principals are in the default trust domain
 * (`cluster.local`): the manifests do not say which one the mesh uses.
 * @internal
 */

/** The identity of Istio's default ingress gateway. @internal */
export const DEFAULT_INGRESS_PRINCIPAL = `${DEFAULT_TRUST_DOMAIN}/ns/${INGRESS_GATEWAY_SERVICE_ACCOUNT.namespace}/sa/${INGRESS_GATEWAY_SERVICE_ACCOUNT.name}`;

const EVALUATORS = new WeakMap<MeshModel, AuthorizationEvaluator>();

/** The evaluator of the model's AuthorizationPolicies and PeerAuthentications. @internal */
export function evaluatorOf(model: MeshModel): AuthorizationEvaluator {
  let evaluator = EVALUATORS.get(model);
  if (!evaluator) {
    const objects = [...model.authorizationPolicies, ...model.peerAuthentications].map((r) => ({
      ...r.object,
      metadata: { ...r.object.metadata, namespace: r.namespace },
    }));
    evaluator = AuthorizationEvaluator.fromObjects(objects);
    EVALUATORS.set(model, evaluator);
  }
  return evaluator;
}

/** The pod spec of a workload (Pod, pod template, CronJob's job template), or undefined. */
function podSpecOf(w: Workload): Record<string, any> | undefined {
  const o = w.ref.object;
  if (w.ref.kind === 'Pod') return obj(o.spec);
  if (w.ref.kind === 'CronJob') return obj(o.spec?.jobTemplate?.spec?.template?.spec);
  return obj(o.spec?.template?.spec);
}

/** The service account a workload runs as (`default` when unset); undefined for WorkloadEntries. @internal */
export function serviceAccountOf(w: Workload): string | undefined {
  if (w.ref.kind === 'WorkloadEntry') return str(w.ref.spec.serviceAccount);
  const spec = podSpecOf(w);
  return str(spec?.serviceAccountName) ?? str(spec?.serviceAccount) ?? 'default';
}

/** The mTLS principal of a workload. @internal */
export function principalOf(w: Workload): string | undefined {
  const sa = serviceAccountOf(w);
  return sa === undefined ? undefined : `${DEFAULT_TRUST_DOMAIN}/ns/${w.namespace}/sa/${sa}`;
}

/** True when `labels` carry every entry of `selector` (an empty selector matches everything). @internal */
export function labelsMatch(selector: unknown, labels: { readonly [key: string]: string }): boolean {
  return entries(selector).every(([k, v]) => labels[k] === String(v));
}

/** A workload behind a Service, as a target of requests on one Service port. @internal */
export interface ServiceTarget {
  readonly workload: Workload;
  readonly target: AuthorizationTarget;
}

/**
 * The workloads a Service selects (in its namespace), narrowed to `subsetLabels`, as targets of
 * requests to its port `port` (its only port when undefined). A Service without selector has none.
 * @internal
 */
export function serviceTargets(model: MeshModel, service: ObjectRef, subsetLabels: unknown = {}, port?: number): ServiceTarget[] {
  const selector = obj(service.spec.selector);
  if (!selector || Object.keys(selector).length === 0) return [];
  const ports = arr(service.spec.ports).filter(isObject);
  const p = port === undefined ? (ports.length === 1 ? ports[0] : undefined) : ports.find((x) => x.port === port);
  const targetPort = typeof p?.targetPort === 'number' ? p.targetPort : typeof p?.port === 'number' ? p.port : undefined;
  return model
    .workloadsSelectedBy(selectorOf(selector, subsetLabels))
    .filter((w) => w.namespace === service.namespace)
    .map((workload) => ({ workload, target: { namespace: workload.namespace, labels: { ...workload.labels }, port: targetPort } }));
}

/** The labels of subset `name` of `fqdn` in the set's DestinationRules, or undefined. @internal */
export function subsetLabelsOf(model: MeshModel, fqdn: string, name: string): Record<string, any> | undefined {
  const def = model.subsetsOf(fqdn)?.get(name);
  return def ? (obj(obj(arr(def.rule.spec.subsets)[def.index])?.labels) ?? {}) : undefined;
}

/** The Gateways of the set a VirtualService is bound to (`mesh` and gateways outside the set left out), with their `ns/name`. @internal */
export function boundGateways(model: MeshModel, vs: ObjectRef): { readonly gateway: ObjectRef; readonly fullName: string }[] {
  return arr(vs.spec.gateways).flatMap((name) => {
    if (typeof name !== 'string' || name === 'mesh') return [];
    const [ns, short] = name.includes('/') ? name.split('/', 2) : [vs.namespace, name];
    const gateway = model.gateway(ns, short);
    return gateway ? [{ gateway, fullName: `${ns}/${short}` }] : [];
  });
}
