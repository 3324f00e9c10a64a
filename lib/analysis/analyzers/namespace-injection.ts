import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { isObject } from '../../kinds/common';
import { DATAPLANE_MODE_LABEL, INJECTION_LABEL, REVISION_LABEL } from '../../kinds/mesh-labels';

const ISTIO_SYSTEM = 'istio-system';

/**
 * IST0102, like the namespace check of Istio's `injection.Analyzer`: a Namespace object of the set
 * without an `istio-injection` label (any value: `disabled` opts out on purpose) or an
 * `istio.io/rev` label, and not ambient (`istio.io/dataplane-mode=ambient`), is not injected;
 * `istio-system` is never reported. Unlike istioctl, which reports every such namespace, a
 * namespace is judged only when it holds a workload of the set (closed world), and the
 * injector's `enableNamespacesByDefault` setting (a ConfigMap of the cluster) is not read.
 * @internal
 */
export const namespaceInjectionAnalyzer: Analyzer = {
  name: 'namespace-injection',
  analyze(model, report) {
    for (const [name, ref] of model.namespaceObjects) {
      if (name === ISTIO_SYSTEM || !model.workloadNamespaces.has(name)) continue;
      // Labels of another type than a map (the schema check reports them) are no labels here.
      const labels = isObject(ref.object.metadata?.labels) ? ref.object.metadata.labels : {};
      if (labels[DATAPLANE_MODE_LABEL] === 'ambient') continue;
      if (INJECTION_LABEL in labels || (typeof labels[REVISION_LABEL] === 'string' && labels[REVISION_LABEL] !== '')) continue;
      report(
        ref,
        CODES.NamespaceNotInjected,
        'metadata.labels',
        `namespace '${name}' is not enabled for sidecar injection, so its workloads run without a proxy; label it ${INJECTION_LABEL}=enabled (or ${REVISION_LABEL}=<revision>), or ${INJECTION_LABEL}=disabled to say it is deliberate`,
      );
    }
  },
};
