/**
 * Host names as Istio's analyzers treat them.
 *
 * - A host without a dot is short: `reviews` in namespace `shop` is `reviews.shop.svc.cluster.local`,
 *   where the namespace is that of the object holding the reference.
 * - A host with any dot is taken verbatim: `reviews.shop` is *not* `reviews.shop.svc.cluster.local`.
 * - A wildcard host (`*.example.com`, `*`) matches by suffix.
 * @internal
 */

/** The cluster domain suffix of Kubernetes Service hosts. @internal */
export const CLUSTER_SUFFIX = '.svc.cluster.local';

/** Expands a short host with the namespace of the referencing object. @internal */
export function toFqdn(host: string, namespace: string): string {
  return host.includes('.') ? host : `${host}.${namespace}${CLUSTER_SUFFIX}`;
}

/** `{namespace, name}` of a `<name>.<namespace>.svc.cluster.local` host, else undefined. @internal */
export function clusterServiceOf(fqdn: string): { namespace: string; name: string } | undefined {
  if (!fqdn.endsWith(CLUSTER_SUFFIX)) return undefined;
  const parts = fqdn.slice(0, -CLUSTER_SUFFIX.length).split('.');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return undefined;
  return { name: parts[0], namespace: parts[1] };
}

/**
 * `{namespace, name}` of the abbreviated forms `<name>.<namespace>` and `<name>.<namespace>.svc`,
 * which Kubernetes DNS resolves but Istio takes verbatim (so they name no Service). @internal
 */
export function abbreviatedServiceOf(host: string): { namespace: string; name: string } | undefined {
  const parts = host.split('.');
  if (parts.length === 2 || (parts.length === 3 && parts[2] === 'svc')) {
    if (parts[0] !== '' && parts[1] !== '' && !parts[0].includes('*')) return { name: parts[0], namespace: parts[1] };
  }
  return undefined;
}

/** True for `*` and `*.example.com` (and Istio's looser `*example.com`). @internal */
export function isWildcardHost(host: string): boolean {
  return host.startsWith('*');
}

/**
 * The wildcard suffixes under which a concrete host can be found in an index of wildcard
 * hosts keyed by their text after `*`: `''` (for `*`) and every `.`-suffix of the host.
 * @internal
 */
export function wildcardKeysOf(host: string): string[] {
  const keys = [''];
  for (let i = host.indexOf('.'); i >= 0; i = host.indexOf('.', i + 1)) keys.push(host.slice(i));
  return keys;
}
