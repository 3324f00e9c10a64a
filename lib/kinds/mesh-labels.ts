/**
 * The namespace and pod labels by which Istio decides whether workloads get a sidecar or are in
 * ambient mode. The MeshNamespace construct writes them and the analysis reads them.
 * @internal
 */

/** `istio-injection`: `enabled` turns sidecar injection on for a namespace. @internal */
export const INJECTION_LABEL = 'istio-injection';
/** `istio.io/rev`: injection by a given control-plane revision. @internal */
export const REVISION_LABEL = 'istio.io/rev';
/** `istio.io/dataplane-mode`: `ambient` puts a namespace in ambient mode. @internal */
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
/** The pod annotation Istio's CNI sets on ambient pods. @internal */
export const AMBIENT_REDIRECTION_ANNOTATION = 'ambient.istio.io/redirection';

/**
 * Istio's reading of a namespace's labels as ambient: `istio.io/dataplane-mode=ambient`, unless
 * `istio-injection=enabled` or a revision label asks for sidecars.
 * @internal
 */
export function isAmbientNamespace(labels: { readonly [key: string]: unknown } | undefined): boolean {
  if (!labels) return false;
  if (labels[INJECTION_LABEL] === 'enabled') return false;
  const rev = labels[REVISION_LABEL];
  if (typeof rev === 'string' && rev !== '') return false;
  return labels[DATAPLANE_MODE_LABEL] === 'ambient';
}
