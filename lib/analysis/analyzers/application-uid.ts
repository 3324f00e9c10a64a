import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { arr, isObject } from '../../kinds/common';

// The user ID the sidecar runs as; traffic from it is not captured.
const PROXY_UID = 1337;
// Containers Istio itself runs in a pod.
const ISTIO_CONTAINERS = new Set(['istio-proxy', 'istio-operator']);

/**
 * IST0144, like Istio's `deployment.ApplicationUIDAnalyzer`: a Pod or Deployment (outside
 * Istio's control plane: no `istio` label, no `release: istio`) whose pod `securityContext.runAsUser`, or the
 * `securityContext.runAsUser` of a container other than `istio-proxy`/`istio-operator`, is 1337.
 * Traffic of a process with the sidecar's user ID bypasses the sidecar. Reported once per
 * offending securityContext, as Istio does.
 * @internal
 */
export const applicationUidAnalyzer: Analyzer = {
  name: 'application-uid',
  analyze(model, report) {
    for (const workload of model.workloads) {
      const ref = workload.ref;
      if (ref.kind !== 'Pod' && ref.kind !== 'Deployment') continue;
      const labels = ref.object.metadata?.labels;
      if (isObject(labels) && ('istio' in labels || labels.release === 'istio')) continue;
      const spec = workload.podSpec;
      const base = ref.kind === 'Pod' ? 'spec' : 'spec.template.spec';
      if (spec.securityContext?.runAsUser === PROXY_UID) {
        report(ref, CODES.InvalidApplicationUID, `${base}.securityContext.runAsUser`, message('the pod'));
      }
      arr(spec.containers).forEach((c, i) => {
        if (!isObject(c) || ISTIO_CONTAINERS.has(c.name) || c.securityContext?.runAsUser !== PROXY_UID) return;
        report(ref, CODES.InvalidApplicationUID, `${base}.containers[${i}].securityContext.runAsUser`, message(`container '${c.name}'`));
      });
    }
  },
};

function message(what: string): string {
  return `${what} runs as user ID 1337, the sidecar's own user ID, so its traffic bypasses the sidecar; run it as another user`;
}
