import { abbreviatedServiceOf, clusterServiceOf, toFqdn } from './hosts';
import { HostProvider, MeshModel, ObjectRef } from './model';
import { arr } from '../kinds/common';

/**
 * # Closed-world policy
 *
 * The analysis only sees the manifests it is given, not the cluster. To avoid false errors
 * about things that exist elsewhere, a reference is *judged* (and reported when missing) only
 * when its target would have to be in the set:
 *
 * - **Hosts** (`destination.host`, `mirror.host`, DestinationRule `host`). A short host
 *   (`reviews`) is expanded with the namespace of the referencing object, as Istio does. A host
 *   is judged when it is short, or is `<name>.<ns>.svc.cluster.local` with `<ns>` a namespace of
 *   the set (some object of the set lives there, or a Namespace object declares it). Hosts with
 *   a dot in any other form (`api.example.com`) are external: not reported when no
 *   ServiceEntry provides them. Exception: `<name>.<ns>` and `<name>.<ns>.svc` with `<ns>` in the
 *   set are judged, because Istio takes them verbatim and they name no Service (a common mistake).
 *   Hosts in namespaces absent from the set are never judged. A host that some Service or
 *   ServiceEntry of the set declares is always judged (then only its visibility can fail).
 * - **Gateways** (`gateways: [ns/name]`): judged only when `ns` is a namespace of the set.
 * - **Subsets**: judged when the host resolves to a Service/ServiceEntry of the set, is judged
 *   as above, or some DestinationRule of the set declares the host (then the subset must be
 *   one of the subsets declared for it by the set's DestinationRules).
 * - **Pods** (IST0173): Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, Pods
 *   and WorkloadEntries stand in for pods. A subset is judged only when the namespace of the
 *   host's Service (any namespace for a ServiceEntry host) holds at least one workload in the
 *   set; a set of routing files without workloads is not judged. As in Istio, a subset is
 *   satisfied by a matching pod template in any namespace.
 * - **Sidecar selectors** (IST0101): judged only when the Sidecar's namespace holds a workload of
 *   the set; the workload stand-ins are those of the pods rule above, in the Sidecar's namespace.
 * - **Injection** (IST0102): only Namespace objects of the set that hold a workload of the set are
 *   judged (istioctl reports every namespace it sees).
 * - **Delegates** (`http[].delegate`): judged when the delegate's namespace is a namespace of the set.
 * - **Visibility**: a Service (annotation `networking.istio.io/exportTo`) or ServiceEntry
 *   (`exportTo`) provides a host to a VirtualService or DestinationRule when it is exported to
 *   some namespace the referencing object is exported to (its own when it has no `exportTo`),
 *   as Istio's analyzers judge it.
 * @internal
 */
export interface HostLookup {
  /** The host as written. */
  readonly host: string;
  /** The host as Istio looks it up (short hosts expanded). */
  readonly fqdn: string;
  /** Visible providers (Services/ServiceEntries) of the host. */
  readonly providers: HostProvider[];
  /** True when the host is part of the set's world: it resolves, or it would have to be in the set (see the policy). */
  readonly judged: boolean;
  /** Extra advice for the message when the host is missing. */
  readonly hint?: string;
}

/**
 * Looks a host up as written in an object of `fromNamespace`, and decides whether it is judged.
 * The host is found when a provider is visible from `fromNamespace`, or, when given, from any
 * of `viewers` (the namespaces the referencing object is exported to, see {@link viewersOf}).
 * @internal
 */
export function lookupHost(model: MeshModel, host: string, fromNamespace: string, viewers?: readonly string[]): HostLookup {
  const fqdn = toFqdn(host, fromNamespace);
  const providers = model.resolveHost(fqdn, viewers ?? fromNamespace);
  if (providers.length > 0) return { host, fqdn, providers, judged: true };
  // Declared in the set but not exported to the referencing namespace(s).
  if (model.hasHostAnywhere(fqdn)) return { host, fqdn, providers, judged: true };
  if (host.includes('*')) return { host, fqdn, providers, judged: false };
  if (!host.includes('.')) return { host, fqdn, providers, judged: true };
  const svc = clusterServiceOf(fqdn);
  if (svc) return { host, fqdn, providers, judged: model.namespaces.has(svc.namespace) };
  const abbreviated = abbreviatedServiceOf(host);
  if (abbreviated && model.namespaces.has(abbreviated.namespace)) {
    const full = `${abbreviated.name}.${abbreviated.namespace}.svc.cluster.local`;
    return {
      host,
      fqdn,
      providers,
      judged: true,
      hint: `Istio takes a host with a dot verbatim, so '${host}' is not the Service '${abbreviated.name}' of namespace '${abbreviated.namespace}'; write '${full}'`,
    };
  }
  return { host, fqdn, providers, judged: false };
}

/**
 * The namespaces Istio looks a VirtualService's or DestinationRule's hosts up from: those it
 * is exported to (`.` is its own; `*` only sees hosts exported everywhere), or its own
 * namespace when `exportTo` is empty. @internal
 */
export function viewersOf(ref: ObjectRef): string[] {
  const exportTo = arr(ref.spec.exportTo).filter((e): e is string => typeof e === 'string' && e !== '~');
  if (exportTo.length === 0) return [ref.namespace];
  return [...new Set(exportTo.map((e) => (e === '.' ? ref.namespace : e)))];
}

/** True when the namespace is part of the set, so that objects missing from it are reported. @internal */
export function isJudgedNamespace(model: MeshModel, namespace: string): boolean {
  return model.namespaces.has(namespace);
}

/** Why a host lookup failed, for messages. @internal */
export function notVisibleReason(model: MeshModel, lookup: HostLookup, viewers: string | readonly string[]): string {
  if (model.hasHostAnywhere(lookup.fqdn)) {
    const list = typeof viewers === 'string' ? [viewers] : viewers;
    return `a Service or ServiceEntry declares '${lookup.fqdn}' but does not export it to namespace${list.length > 1 ? 's' : ''} ${list.map((n) => `'${n}'`).join(', ')}`;
  }
  return `no Service or ServiceEntry in the set provides '${lookup.fqdn}'`;
}
