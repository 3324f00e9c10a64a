import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { ObjectRef, Workload } from '../model';
import { isObject } from '../../kinds/common';
import { AMBIENT_REDIRECTION_ANNOTATION, isAmbientNamespace } from '../../kinds/mesh-labels';

/**
 * Like Istio's `sidecar.SelectorAnalyzer`, per namespace:
 *
 * - IST0101: a Sidecar's workload selector matches no workload of its namespace (judged only when
 *   the set holds workloads in that namespace; pod templates stand in for pods, see closed-world.ts);
 * - IST0110: several Sidecars select the same workload;
 * - IST0111: several Sidecars of a namespace have no workload selector;
 * - IST0167: a Sidecar whose namespace is ambient (namespace-wide Sidecars), or that selects an
 *   ambient workload, has no effect. A workload is ambient when its pod annotation says so (as
 *   in Istio) or, in a manifest set where no pod has been annotated yet, when its Namespace
 *   object of the set is ambient.
 * @internal
 */
export const sidecarSelectorAnalyzer: Analyzer = {
  name: 'sidecar-selectors',
  analyze(model, report) {
    const namespaceWide = new Map<string, ObjectRef[]>();
    const byWorkload = new Map<Workload, ObjectRef[]>();
    const ineffective = new Set<ObjectRef>();
    const ambientNamespace = (ns: string) => isAmbientNamespace(model.namespaceObjects.get(ns)?.object.metadata?.labels);
    const ambientWorkload = (w: Workload) =>
      podAnnotations(w.ref)[AMBIENT_REDIRECTION_ANNOTATION] === 'enabled' || ambientNamespace(w.namespace);

    for (const sidecar of model.sidecars) {
      const labels = sidecar.spec.workloadSelector?.labels;
      if (!isObject(labels) || Object.keys(labels).length === 0) {
        const list = namespaceWide.get(sidecar.namespace) ?? [];
        list.push(sidecar);
        namespaceWide.set(sidecar.namespace, list);
        continue;
      }
      if (!model.workloadNamespaces.has(sidecar.namespace)) continue;
      const selected = model.workloadsSelectedBy(labels, sidecar.namespace);
      if (selected.length === 0) {
        const shown = Object.entries(labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(',');
        report(
          sidecar,
          CODES.ReferencedResourceNotFound,
          'spec.workloadSelector.labels',
          `the workload selector ${shown} matches no workload in namespace '${sidecar.namespace}', so the Sidecar applies to nothing; fix the labels or deploy the workload`,
        );
      }
      for (const w of selected) {
        const list = byWorkload.get(w) ?? [];
        list.push(sidecar);
        byWorkload.set(w, list);
      }
    }

    for (const [workload, sidecars] of byWorkload) {
      if (ambientWorkload(workload)) {
        for (const s of sidecars) {
          if (ineffective.has(s)) continue;
          ineffective.add(s);
          report(
            s,
            CODES.IneffectivePolicy,
            undefined,
            `the selected workload ${workload.ref.kind} '${workload.ref.name}' is in ambient mode and has no sidecar, so this Sidecar has no effect`,
          );
        }
        continue;
      }
      if (sidecars.length < 2) continue;
      const names = sidecars.map((s) => s.name).join(', ');
      for (const s of sidecars) {
        report(
          s,
          CODES.ConflictingSidecarWorkloadSelectors,
          'spec.workloadSelector',
          `Sidecars ${names} all select ${workload.ref.kind} '${workload.ref.name}' in namespace '${workload.namespace}'; which one applies is undefined, so make the selectors disjoint`,
        );
      }
    }

    for (const [ns, sidecars] of namespaceWide) {
      if (ambientNamespace(ns)) {
        for (const s of sidecars) {
          if (ineffective.has(s)) continue;
          ineffective.add(s);
          report(
            s,
            CODES.IneffectivePolicy,
            undefined,
            `namespace '${ns}' is in ambient mode and has no sidecars, so this Sidecar has no effect`,
          );
        }
        continue;
      }
      if (sidecars.length < 2) continue;
      const names = sidecars.map((s) => s.name).join(', ');
      for (const s of sidecars) {
        report(
          s,
          CODES.MultipleSidecarsWithoutWorkloadSelectors,
          undefined,
          `Sidecars ${names} in namespace '${ns}' have no workload selector; which one applies is undefined, so keep one namespace-wide Sidecar and give the others selectors`,
        );
      }
    }
  },
};

// The pod annotations of a workload: a Pod's own, else its pod template's.
function podAnnotations(ref: ObjectRef): { [key: string]: unknown } {
  const own =
    ref.kind === 'Pod'
      ? ref.object.metadata?.annotations
      : (ref.spec.template?.metadata?.annotations ?? ref.spec.jobTemplate?.spec?.template?.metadata?.annotations);
  return isObject(own) ? own : {};
}
