import { NETWORKING_GROUP, servedKindOf } from '../kinds/catalogue';
import { Manifest } from './finding';
import { isWildcardHost, toFqdn, wildcardKeysOf } from './hosts';
import { arr, isObject } from '../kinds/common';

/**
 * The mesh model: every object of a manifest set, indexed once so that each analyzer
 * is linear in the number of objects.
 *
 * Objects without `metadata.namespace` are in the caller's default namespace (`default`
 * unless given). Istio kinds are those of the kind catalogue, in any version it serves.
 * @internal
 */

/** The annotation Istio reads a Kubernetes Service's visibility from. @internal */
export const SERVICE_EXPORT_TO_ANNOTATION = 'networking.istio.io/exportTo';

// Kinds without a namespace: they must not make `default` look like a namespace of the set.
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'CSIDriver',
  'VolumeSnapshotClass',
  'GatewayClass',
]);

/** One object of the set, with its effective namespace. @internal */
export interface ObjectRef {
  readonly manifest: Manifest;
  readonly object: any;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Effective namespace: the object's, else the default one. */
  readonly namespace: string;
  /** The object's spec, or `{}`. */
  readonly spec: any;
  /** Position of the object in the input, for stable ordering. */
  readonly index: number;
}

/** A port of a Service or ServiceEntry. @internal */
export interface ProviderPort {
  readonly number: number;
  readonly name?: string;
}

/** A host served by a Kubernetes Service or a ServiceEntry. @internal */
export interface HostProvider {
  readonly ref: ObjectRef;
  /** The host, expanded to a FQDN when short; may be a wildcard (`*.example.com`). */
  readonly host: string;
  readonly ports: readonly ProviderPort[];
  /** Visible from every namespace. */
  readonly exportAll: boolean;
  /** Namespaces it is visible from when not `exportAll`. */
  readonly exportTo: ReadonlySet<string>;
  /** `workloadSelector.labels` of a ServiceEntry. */
  readonly workloadSelector?: { readonly [key: string]: string };
}

/** The pod labels of a workload (pod template, Pod, WorkloadEntry). @internal */
export interface Workload {
  readonly ref: ObjectRef;
  readonly namespace: string;
  readonly labels: { readonly [key: string]: string };
  /** The pod spec (of the Pod, or of the pod template), or `{}` (WorkloadEntry). */
  readonly podSpec: any;
  /** The pod's annotations (of the Pod, or of the pod template). */
  readonly podAnnotations: { readonly [key: string]: string };
}

/** The Kubernetes Gateway API group (`gateway.networking.k8s.io`). @internal */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** A DestinationRule subset. @internal */
export interface SubsetDef {
  readonly rule: ObjectRef;
  readonly index: number;
  readonly name: string;
}

/** The indexed manifest set. @internal */
export class MeshModel {
  /** Builds the model; objects without namespace are in `defaultNamespace` (`default`). */
  public static build(manifests: readonly Manifest[], defaultNamespace: string = 'default'): MeshModel {
    return new MeshModel(manifests, defaultNamespace);
  }

  /** Every object with a kind and a name, in input order. */
  public readonly objects: ObjectRef[] = [];
  /** Manifests that are not objects with `kind` and `metadata.name`. */
  public readonly malformed: Manifest[] = [];
  public readonly services: ObjectRef[] = [];
  public readonly serviceEntries: ObjectRef[] = [];
  public readonly gateways: ObjectRef[] = [];
  public readonly virtualServices: ObjectRef[] = [];
  public readonly destinationRules: ObjectRef[] = [];
  public readonly peerAuthentications: ObjectRef[] = [];
  public readonly authorizationPolicies: ObjectRef[] = [];
  public readonly requestAuthentications: ObjectRef[] = [];
  public readonly sidecars: ObjectRef[] = [];
  public readonly workloads: Workload[] = [];
  /** Gateways of the Kubernetes Gateway API (`gateway.networking.k8s.io`). */
  public readonly kubernetesGateways: ObjectRef[] = [];
  /** Node objects, by name. */
  public readonly nodes = new Map<string, ObjectRef>();
  /** Namespace objects, by name. */
  public readonly namespaceObjects = new Map<string, ObjectRef>();
  /** Namespaces the set contains objects in (or declares with a Namespace object). */
  public readonly namespaces = new Set<string>();
  /** Namespaces holding at least one workload. */
  public readonly workloadNamespaces = new Set<string>();

  private readonly _providersByHost = new Map<string, HostProvider[]>();
  // Wildcard hosts keyed by their text after '*' ('' for '*', '.example.com' for '*.example.com').
  private readonly _wildcardProviders = new Map<string, HostProvider[]>();
  // Wildcards not followed by a dot (`*example.com`), matched by a plain scan.
  private readonly _looseWildcardProviders: HostProvider[] = [];
  private readonly _gatewaysByKey = new Map<string, ObjectRef>();
  private readonly _kubernetesGatewaysByKey = new Map<string, ObjectRef>();
  private readonly _subsetsByHost = new Map<string, Map<string, SubsetDef>>();
  private readonly _workloadsByLabel = new Map<string, number[]>();

  private constructor(manifests: readonly Manifest[], defaultNamespace: string) {
    manifests.forEach((manifest, index) => this.add(manifest, index, defaultNamespace));
    for (const svc of this.services) this.indexService(svc);
    for (const se of this.serviceEntries) this.indexServiceEntry(se);
    for (const dr of this.destinationRules) this.indexDestinationRule(dr);
    this.workloads.forEach((w, i) => {
      for (const [k, v] of Object.entries(w.labels)) {
        const key = `${k}=${v}`;
        const list = this._workloadsByLabel.get(key);
        if (list) list.push(i);
        else this._workloadsByLabel.set(key, [i]);
      }
    });
  }

  /**
   * The providers of `fqdn` visible from `fromNamespace` (or from any of several namespaces):
   * exact hosts first, then wildcards.
   */
  public resolveHost(fqdn: string, fromNamespace: string | readonly string[]): HostProvider[] {
    const viewers = typeof fromNamespace === 'string' ? [fromNamespace] : fromNamespace;
    const visible = (p: HostProvider) => p.exportAll || viewers.some((ns) => p.exportTo.has(ns));
    const exact = (this._providersByHost.get(fqdn) ?? []).filter(visible);
    if (exact.length > 0) return exact;
    const found: HostProvider[] = [];
    for (const key of wildcardKeysOf(fqdn)) {
      for (const p of this._wildcardProviders.get(key) ?? []) if (visible(p)) found.push(p);
    }
    for (const p of this._looseWildcardProviders) {
      if (visible(p) && fqdn.endsWith(p.host.slice(1))) found.push(p);
    }
    return found;
  }

  /** True when some Service or ServiceEntry declares exactly this host, whatever its visibility. */
  public hasHostAnywhere(fqdn: string): boolean {
    return this._providersByHost.has(fqdn);
  }

  /** The Gateway `namespace/name`, if in the set. */
  public gateway(namespace: string, name: string): ObjectRef | undefined {
    return this._gatewaysByKey.get(`${namespace}/${name}`);
  }

  /** The Kubernetes Gateway API Gateway `namespace/name`, if in the set. */
  public kubernetesGateway(namespace: string, name: string): ObjectRef | undefined {
    return this._kubernetesGatewaysByKey.get(`${namespace}/${name}`);
  }

  /** Subsets defined for a host by any DestinationRule (host normalized with the rule's namespace). */
  public subsetsOf(fqdn: string): ReadonlyMap<string, SubsetDef> | undefined {
    return this._subsetsByHost.get(fqdn);
  }

  /** True when some workload's pod labels include every label of `selector` (any namespace). */
  public selectsAnyWorkload(selector: { readonly [key: string]: string }): boolean {
    return this.workloadsSelectedBy(selector, true).length > 0;
  }

  /**
   * The workloads (any namespace) whose pod labels include every label of `selector`, found
   * through the label index; an empty selector selects every workload. With `firstOnly`, at
   * most one.
   */
  public workloadsSelectedBy(selector: { readonly [key: string]: string }, firstOnly: boolean = false): Workload[] {
    const entries = Object.entries(selector);
    if (entries.length === 0) return firstOnly ? this.workloads.slice(0, 1) : this.workloads;
    let smallest: number[] | undefined;
    for (const [k, v] of entries) {
      const list = this._workloadsByLabel.get(`${k}=${String(v)}`);
      if (!list) return [];
      if (!smallest || list.length < smallest.length) smallest = list;
    }
    const found: Workload[] = [];
    for (const i of smallest!) {
      const labels = this.workloads[i].labels;
      if (entries.every(([k, v]) => labels[k] === String(v))) {
        found.push(this.workloads[i]);
        if (firstOnly) break;
      }
    }
    return found;
  }

  private add(manifest: Manifest, index: number, defaultNamespace: string): void {
    const object = manifest.object;
    const name = object?.metadata?.name;
    if (!isObject(object) || typeof object.kind !== 'string' || typeof name !== 'string' || name === '') {
      if (object !== null && object !== undefined) this.malformed.push(manifest);
      return;
    }
    const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
    const kind: string = object.kind;
    const declared = object.metadata.namespace;
    const namespace = typeof declared === 'string' && declared !== '' ? declared : defaultNamespace;
    const spec = isObject(object.spec) ? object.spec : {};
    const ref: ObjectRef = { manifest, object, apiVersion, kind, name, namespace, spec, index };
    this.objects.push(ref);
    if (kind === 'Namespace' && apiVersion === 'v1') {
      this.namespaces.add(name);
      this.namespaceObjects.set(name, ref);
    }
    if (kind === 'Node' && apiVersion === 'v1') this.nodes.set(name, ref);
    if (!CLUSTER_SCOPED_KINDS.has(kind)) this.namespaces.add(namespace);

    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const istio = servedKindOf(apiVersion, kind);
    if (istio) {
      this[istio.index].push(ref);
      if (istio.index === 'gateways') this._gatewaysByKey.set(`${namespace}/${name}`, ref);
      return;
    }
    if (group === NETWORKING_GROUP && kind === 'WorkloadEntry') this.addWorkload(ref, { metadata: { labels: spec.labels } });
    if (group === GATEWAY_API_GROUP && kind === 'Gateway') {
      this.kubernetesGateways.push(ref);
      this._kubernetesGatewaysByKey.set(`${namespace}/${name}`, ref);
    }
    if (apiVersion === 'v1' && kind === 'Service') this.services.push(ref);
    else if (apiVersion === 'v1' && kind === 'Pod') this.addWorkload(ref, object);
    else if ((group === 'apps' || group === 'extensions') && ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(kind)) {
      this.addWorkload(ref, spec.template);
    } else if (group === 'batch' && kind === 'Job') this.addWorkload(ref, spec.template);
    else if (group === 'batch' && kind === 'CronJob') this.addWorkload(ref, spec.jobTemplate?.spec?.template);
  }

  // `pod` is a Pod or a pod template: `{ metadata: { labels, annotations }, spec }`.
  private addWorkload(ref: ObjectRef, pod: any): void {
    const labels = pod?.metadata?.labels;
    const annotations = pod?.metadata?.annotations;
    this.workloads.push({
      ref,
      namespace: ref.namespace,
      labels: isObject(labels) ? labels : {},
      podSpec: isObject(pod?.spec) ? pod.spec : {},
      podAnnotations: isObject(annotations) ? annotations : {},
    });
    this.workloadNamespaces.add(ref.namespace);
  }

  private indexService(ref: ObjectRef): void {
    const ports = arr(ref.spec.ports)
      .filter((p) => typeof p?.port === 'number')
      .map((p) => ({ number: p.port as number, name: typeof p.name === 'string' ? p.name : undefined }));
    const annotation = ref.object.metadata?.annotations?.[SERVICE_EXPORT_TO_ANNOTATION];
    const exportTo =
      typeof annotation === 'string'
        ? annotation
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '')
        : [];
    this.addProvider({ ref, host: toFqdn(ref.name, ref.namespace), ports, ...parseExportTo(exportTo, ref.namespace) });
  }

  private indexServiceEntry(ref: ObjectRef): void {
    const ports = arr(ref.spec.ports)
      .filter((p) => typeof p?.number === 'number')
      .map((p) => ({ number: p.number as number, name: typeof p.name === 'string' ? p.name : undefined }));
    const scope = parseExportTo(
      arr(ref.spec.exportTo).filter((s) => typeof s === 'string'),
      ref.namespace,
    );
    const selector = ref.spec.workloadSelector?.labels;
    for (const host of arr(ref.spec.hosts)) {
      if (typeof host !== 'string' || host === '') continue;
      this.addProvider({
        ref,
        host: toFqdn(host, ref.namespace),
        ports,
        ...scope,
        workloadSelector: isObject(selector) ? selector : undefined,
      });
    }
  }

  private addProvider(provider: HostProvider): void {
    if (!isWildcardHost(provider.host)) {
      push(this._providersByHost, provider.host, provider);
    } else if (provider.host === '*' || provider.host.startsWith('*.')) {
      push(this._wildcardProviders, provider.host.slice(1), provider);
    } else {
      this._looseWildcardProviders.push(provider);
    }
  }

  private indexDestinationRule(ref: ObjectRef): void {
    if (typeof ref.spec.host !== 'string') return;
    const fqdn = toFqdn(ref.spec.host, ref.namespace);
    let subsets = this._subsetsByHost.get(fqdn);
    if (!subsets) {
      subsets = new Map();
      this._subsetsByHost.set(fqdn, subsets);
    }
    arr(ref.spec.subsets).forEach((s, index) => {
      if (typeof s?.name === 'string' && !subsets!.has(s.name)) subsets!.set(s.name, { rule: ref, index, name: s.name });
    });
  }
}

/** The label selector of the given selectors together (values as the strings labels are). @internal */
export function selectorOf(...selectors: unknown[]): { [key: string]: string } {
  return Object.fromEntries(selectors.flatMap((s) => (isObject(s) ? Object.entries(s) : []).map(([k, v]) => [k, String(v)])));
}

/** Istio's `exportTo`: empty or `*` = all namespaces, `.` = own, `~` = none. @internal */
export function parseExportTo(values: readonly string[], ownNamespace: string): { exportAll: boolean; exportTo: ReadonlySet<string> } {
  if (values.length === 0 || values.includes('*')) return { exportAll: true, exportTo: new Set() };
  const namespaces = new Set<string>();
  for (const v of values) {
    if (v === '.') namespaces.add(ownNamespace);
    else if (v !== '~') namespaces.add(v);
  }
  return { exportAll: false, exportTo: namespaces };
}

/**
 * The namespace scopes an object's `exportTo` makes it visible in, as istioctl's analyzers key
 * them: `['*']` for all namespaces (empty or with `*`), else each namespace (`.` is its own;
 * `~` none). @internal
 */
export function exportScopes(ref: ObjectRef): string[] {
  const { exportAll, exportTo } = parseExportTo(
    arr(ref.spec.exportTo).filter((e): e is string => typeof e === 'string'),
    ref.namespace,
  );
  return exportAll ? ['*'] : [...exportTo];
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
