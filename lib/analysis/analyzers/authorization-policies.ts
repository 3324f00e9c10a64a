import { Analyzer } from '../analyzer';
import { labelsMatch, serviceAccountOf } from '../authorization';
import { CODES } from '../codes';
import { arr, entries, obj } from '../../kinds/common';

const ROOT_NAMESPACE = 'istio-system';
const PRINCIPAL = /^[^*]+\/ns\/([^/*]+)\/sa\/([^/*]+)$/;

/** Istio's namespace pattern match: `*`, `*suffix`, `prefix*`, else equal ignoring case. */
function namespaceMatches(pattern: string, namespace: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return namespace.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return namespace.startsWith(pattern.slice(0, -1));
  return pattern.toLowerCase() === namespace.toLowerCase();
}

/**
 * Istio's `auth.AuthorizationPoliciesAnalyzer`, plus a principal check of ours:
 *
 * - IST0127: a policy whose selector matches no workload of its namespace (of any namespace for
 *   a policy in the root namespace, `istio-system`). Judged only where the set holds workloads
 *   (closed-world.ts): Istio also reports a selector-less policy in a namespace without pods,
 *   which a set without workloads cannot tell. Istio counts pods with a sidecar only; pod
 *   templates stand in for pods here, injected or not.
 * - IST0101: a `from.source.namespaces` / `notNamespaces` entry that matches no namespace. Istio
 *   compares with the cluster's Namespace objects; judged only when the set declares Namespace objects.
 * - CDK0164: a principal `<td>/ns/<ns>/sa/<sa>` of a namespace with workloads in the set, whose
 *   service account no workload runs as and no ServiceAccount object declares there.
 * @internal
 */
export const authorizationPoliciesAnalyzer: Analyzer = {
  name: 'authorization-policies',
  analyze(model, report) {
    const declaredNamespaces = model.objects.filter((r) => r.kind === 'Namespace' && r.apiVersion === 'v1').map((r) => r.name);
    const accounts = new Set<string>();
    for (const w of model.workloads) accounts.add(`${w.namespace}/${serviceAccountOf(w)}`);
    for (const r of model.objects) if (r.kind === 'ServiceAccount' && r.apiVersion === 'v1') accounts.add(`${r.namespace}/${r.name}`);

    for (const ap of model.authorizationPolicies) {
      const selector = obj(ap.spec.selector);
      if (selector) {
        const labels = obj(selector.matchLabels) ?? {};
        const root = ap.namespace === ROOT_NAMESPACE;
        const judged = root ? model.workloads.length > 0 : model.workloadNamespaces.has(ap.namespace);
        const candidates = root ? model.workloads : model.workloads.filter((w) => w.namespace === ap.namespace);
        if (judged && !candidates.some((w) => labelsMatch(labels, w.labels))) {
          const shown = entries(labels)
            .map(([k, v]) => `${k}=${v}`)
            .join(',');
          report(
            ap,
            CODES.NoMatchingWorkloadsFound,
            'spec.selector',
            `no workload ${root ? 'of the mesh' : `of namespace '${ap.namespace}'`} has the labels ${shown || '(none)'}, so this policy applies to nothing; fix spec.selector.matchLabels or deploy the workload`,
          );
        }
      }
      arr(ap.spec.rules).forEach((rule, i) => {
        arr(obj(rule)?.from).forEach((from, j) => {
          const source = obj(obj(from)?.source);
          if (!source) return;
          for (const field of ['namespaces', 'notNamespaces']) {
            arr(source[field]).forEach((ns, k) => {
              if (typeof ns !== 'string' || declaredNamespaces.length === 0) return;
              if (declaredNamespaces.some((d) => namespaceMatches(ns, d))) return;
              report(
                ap,
                CODES.ReferencedResourceNotFound,
                `spec.rules[${i}].from[${j}].source.${field}[${k}]`,
                `namespace '${ns}' matches no Namespace of the set (${declaredNamespaces.join(', ')}); correct the name or create the Namespace`,
              );
            });
          }
          for (const field of ['principals', 'notPrincipals']) {
            arr(source[field]).forEach((p, k) => {
              const m = typeof p === 'string' ? PRINCIPAL.exec(p) : null;
              if (!m || !model.workloadNamespaces.has(m[1]) || accounts.has(`${m[1]}/${m[2]}`)) return;
              report(
                ap,
                CODES.UnknownPrincipal,
                `spec.rules[${i}].from[${j}].source.${field}[${k}]`,
                `principal '${p}' names service account '${m[2]}', which no workload of namespace '${m[1]}' runs as, so it never matches; correct the principal or the workload's serviceAccountName`,
              );
            });
          }
        });
      });
    }
  },
};
