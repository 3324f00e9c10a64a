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
      const selected = model.workloadsSelectedBy(labels).filter((w) => w.namespace === sidecar.namespace);
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

    const ineffectiveOnce = (sidecars: ObjectRef[], why: string) => {
      for (const s of sidecars) {
        if (ineffective.has(s)) continue;
        ineffective.add(s);
        report(s, CODES.IneffectivePolicy, undefined, `${why}, so this Sidecar has no effect`);
      }
    };
    // Several Sidecars claiming one workload (or one namespace): each of them is reported.
    const conflict = (
      sidecars: ObjectRef[],
      code: typeof CODES.ConflictingSidecarWorkloadSelectors,
      field: string | undefined,
      what: string,
      fix: string,
    ) => {
      if (sidecars.length < 2) return;
      const names = sidecars.map((s) => s.name).join(', ');
      for (const s of sidecars) report(s, code, field, `Sidecars ${names} ${what}, and which one applies is undefined; ${fix}`);
    };

    for (const [workload, sidecars] of byWorkload) {
      if (ambientWorkload(workload)) {
        ineffectiveOnce(
          sidecars,
          `the selected workload ${workload.ref.kind} '${workload.ref.name}' is in ambient mode and has no sidecar`,
        );
      } else {
        conflict(
          sidecars,
          CODES.ConflictingSidecarWorkloadSelectors,
          'spec.workloadSelector',
          `all select ${workload.ref.kind} '${workload.ref.name}' in namespace '${workload.namespace}'`,
          'make the selectors disjoint',
        );
      }
    }
    for (const [ns, sidecars] of namespaceWide) {
      if (ambientNamespace(ns)) {
        ineffectiveOnce(sidecars, `namespace '${ns}' is in ambient mode and has no sidecars`);
      } else {
        conflict(
          sidecars,
          CODES.MultipleSidecarsWithoutWorkloadSelectors,
          undefined,
          `in namespace '${ns}' have no workload selector`,
          'keep one namespace-wide Sidecar and give the others selectors',
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
