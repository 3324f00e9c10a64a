import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { lookupHost, viewersOf } from '../closed-world';
import { MeshModel, Workload } from '../model';
import { arr, isObject } from '../../kinds/common';

const REGION = 'topology.kubernetes.io/region';
const ZONE = 'topology.kubernetes.io/zone';
const SUBZONE = 'topology.istio.io/subzone';
const HOSTNAME = 'kubernetes.io/hostname';
// Labels Istio adds to endpoints from the node the pod runs on: pod templates never carry them.
const NODE_LABELS = new Set([REGION, ZONE, SUBZONE, HOSTNAME]);
// Labels Istio adds from the mesh (cluster, network) when the pod does not carry them.
const MESH_LABELS = new Set(['topology.istio.io/network', 'topology.istio.io/cluster']);

type Labels = { readonly [key: string]: string };

/**
 * IST0173, like the subset check of Istio's `destinationrule.PodNotSelectedAnalyzer`: for a
 * DestinationRule whose host resolves, each subset's `labels` (merged over the ServiceEntry's
 * `workloadSelector.labels` when the host is a ServiceEntry; the Kubernetes Service selector is
 * not merged) must match the pod labels of some workload in any namespace. Pod templates of
 * Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, plus Pods and
 * WorkloadEntries, stand in for pods. Judged only when the set holds workloads in the
 * Service's namespace (any workload for a ServiceEntry host); see closed-world.ts.
 *
 * Topology labels, as Istio adds them to endpoints: when the set holds Node objects, a pod gets
 * its node's non-empty `topology.kubernetes.io/region`, `.../zone` and
 * `topology.istio.io/subzone` labels and `kubernetes.io/hostname` (its node's name). A Pod or
 * template with `nodeName` runs on that node; a pod template without one may run on any Node of
 * the set that its `nodeSelector` allows (Istio looks at scheduled Pods only). Without Node
 * objects, subsets using these labels are not judged; subsets using the mesh's cluster or
 * network labels are never judged.
 * @internal
 */
export const subsetPodsAnalyzer: Analyzer = {
  name: 'subset-pods',
  analyze(model, report) {
    if (model.workloads.length === 0) return;
    for (const dr of model.destinationRules) {
      const host = dr.spec.host;
      const subsets = arr(dr.spec.subsets);
      if (typeof host !== 'string' || host === '' || subsets.length === 0) continue;
      const providers = lookupHost(model, host, dr.namespace, viewersOf(dr)).providers.filter(
        (p) => p.ref.kind === 'ServiceEntry' || model.workloadNamespaces.has(p.ref.namespace),
      );
      if (providers.length === 0) continue;
      subsets.forEach((subset, i) => {
        if (!isObject(subset) || typeof subset.name !== 'string') return;
        const labels: Labels = isObject(subset.labels) ? subset.labels : {};
        const keys = Object.keys(labels);
        if (keys.some((k) => MESH_LABELS.has(k))) return;
        if (model.nodes.size === 0 && keys.some((k) => NODE_LABELS.has(k))) return;
        const selected = providers.some((p) => selectsPod(model, { ...(p.workloadSelector ?? {}), ...labels }));
        if (selected) return;
        const shown = Object.entries({ ...(providers[0].workloadSelector ?? {}), ...labels })
          .map(([k, v]) => `${k}=${v}`)
          .join(', ');
        report(
          dr,
          CODES.DestinationRuleSubsetNotSelectPods,
          `spec.subsets[${i}]`,
          `subset '${subset.name}' selects no pods: no workload in the set has a pod template with labels ${shown || '(none)'}, so traffic routed to it fails (no healthy upstream); deploy that version, fix spec.subsets[${i}].labels, or remove the subset`,
        );
      });
    }
  },
};

/** True when some workload, with the topology labels of a node it may run on, has every label of `selector`. */
function selectsPod(model: MeshModel, selector: Labels): boolean {
  const podPart: { [key: string]: string } = {};
  const nodePart: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(selector)) {
    if (NODE_LABELS.has(k)) nodePart[k] = String(v);
    else podPart[k] = String(v);
  }
  const topology = Object.entries(nodePart);
  if (topology.length === 0) return model.selectsAnyWorkload(podPart);
  return model.workloadsSelectedBy(podPart).some((w) => nodesOf(model, w).some((node) => topology.every(([k, v]) => node[k] === v)));
}

/** The topology labels of each node a workload may run on. */
function nodesOf(model: MeshModel, workload: Workload): Labels[] {
  const nodeName = workload.podSpec.nodeName;
  if (typeof nodeName === 'string' && nodeName !== '') {
    const node = model.nodes.get(nodeName);
    return [topologyOf(nodeName, node?.object.metadata?.labels)];
  }
  const nodeSelector: Labels = isObject(workload.podSpec.nodeSelector) ? workload.podSpec.nodeSelector : {};
  const result: Labels[] = [];
  for (const [name, node] of model.nodes) {
    const labels: Labels = isObject(node.object.metadata?.labels) ? node.object.metadata.labels : {};
    if (Object.entries(nodeSelector).every(([k, v]) => labels[k] === v)) result.push(topologyOf(name, labels));
  }
  return result;
}

function topologyOf(nodeName: string, nodeLabels: any): Labels {
  const labels: { [key: string]: string } = { [HOSTNAME]: nodeName };
  for (const key of [REGION, ZONE, SUBZONE]) {
    const value = isObject(nodeLabels) ? nodeLabels[key] : undefined;
    if (typeof value === 'string' && value !== '') labels[key] = value;
  }
  return labels;
}
