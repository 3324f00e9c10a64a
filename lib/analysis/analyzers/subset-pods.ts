import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { lookupHost } from '../closed-world';
import { arr, isObject } from '../../kinds/common';

// Labels Istio adds to endpoints from the node (topology) or the mesh: pod templates never carry them.
const AUGMENTED_LABELS = new Set([
  'topology.kubernetes.io/region',
  'topology.kubernetes.io/zone',
  'topology.istio.io/subzone',
  'kubernetes.io/hostname',
  'topology.istio.io/network',
  'topology.istio.io/cluster',
]);

/**
 * IST0173, like the subset check of Istio's `destinationrule.PodNotSelectedAnalyzer`: for a
 * DestinationRule whose host resolves, each subset's `labels` (merged over the ServiceEntry's
 * `workloadSelector.labels` when the host is a ServiceEntry; the Kubernetes Service selector is
 * not merged) must match the pod labels of some workload in any namespace. Pod templates of
 * Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, plus Pods and
 * WorkloadEntries, stand in for pods. Judged only when the set holds workloads in the
 * Service's namespace (any workload for a ServiceEntry host); see closed-world.ts.
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
      const providers = lookupHost(model, host, dr.namespace).providers.filter(
        (p) => p.ref.kind === 'ServiceEntry' || model.workloadNamespaces.has(p.ref.namespace),
      );
      if (providers.length === 0) continue;
      subsets.forEach((subset, i) => {
        if (!isObject(subset) || typeof subset.name !== 'string') return;
        const labels: { [key: string]: string } = isObject(subset.labels) ? subset.labels : {};
        if (Object.keys(labels).some((k) => AUGMENTED_LABELS.has(k))) return;
        const selected = providers.some((p) => model.selectsAnyWorkload({ ...(p.workloadSelector ?? {}), ...labels }));
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
