/**
 * The rules the Kubernetes API server applies to the metadata of every object it stores (names,
 * namespaces, label keys and values, annotation keys and their total size), and the annotations
 * Istio's webhook refuses on its kinds. One implementation, run by the rule book for every kind.
 * @internal
 */
import { entries, obj } from './common';
import { isDns1123Label, isDns1123Subdomain, isLabelKey, isLabelValue } from './fields';
import { Problems } from './problem';

/** The API server's limit on the annotations of one object: keys and values together, in bytes. @internal */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Annotations the webhook rejects on every Istio kind. */
const FORBIDDEN_ANNOTATIONS = [
  'internal.istio.io/webhook-always-reject',
  'internal.istio.io/parent-namespace',
  'internal.istio.io/parents',
];

const QUALIFIED_NAME =
  "'[prefix/]name': name at most 63 alphanumerics, '-', '_' or '.' (alphanumeric at both ends), prefix a DNS subdomain";

/**
 * Reports what the API server refuses in `metadata`: a name that is not a DNS-1123 subdomain, a
 * namespace that is not a DNS-1123 label, label keys that are not qualified names, label values
 * longer than 63 characters or with other characters, annotation keys that are not qualified names
 * (compared in lower case, as the API server does), annotations over 256 KiB in all; then the
 * annotations Istio's webhook refuses (`istio.io/dry-run` belongs to AuthorizationPolicy only).
 * @internal
 */
export function checkMetadata(r: Problems, metadata: unknown, dryRunAllowed = false): void {
  const meta = obj(metadata);
  if (!meta) return;
  if (typeof meta.name === 'string' && meta.name !== '' && !isDns1123Subdomain(meta.name)) {
    r.error('metadata.name', meta.name, "must be a DNS-1123 subdomain (lower case alphanumerics, '-' and '.', at most 253 characters)");
  }
  if (typeof meta.namespace === 'string' && meta.namespace !== '' && !isDns1123Label(meta.namespace)) {
    r.error('metadata.namespace', meta.namespace, "must be a DNS-1123 label (lower case alphanumerics and '-', at most 63 characters)");
  }
  for (const [key, value] of entries(meta.labels)) {
    const f = `metadata.labels.${key}`;
    if (!isLabelKey(key)) r.error(f, key, `is not a valid label key: ${QUALIFIED_NAME}`);
    if (typeof value !== 'string') r.error(f, value, 'must be a string; quote it');
    else if (!isLabelValue(value)) {
      r.error(f, value, "is not a valid label value: at most 63 alphanumerics, '-', '_' or '.', alphanumeric at both ends");
    }
  }
  checkAnnotations(r, obj(meta.annotations), dryRunAllowed);
}

function checkAnnotations(r: Problems, annotations: Record<string, any> | undefined, dryRunAllowed: boolean): void {
  if (!annotations) return;
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    const f = `metadata.annotations.${key}`;
    if (!isLabelKey(key.toLowerCase())) r.error(f, key, `is not a valid annotation key: ${QUALIFIED_NAME}`);
    if (typeof value !== 'string') r.error(f, value, 'must be a string; quote it');
    bytes += Buffer.byteLength(key, 'utf8') + (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
    if (key === 'istio.io/dry-run') {
      if (!dryRunAllowed) r.error(f, value, 'is only allowed on AuthorizationPolicy; remove the annotation');
    } else if (FORBIDDEN_ANNOTATIONS.includes(key)) {
      r.error(f, value, 'is reserved for Istio internals; remove the annotation');
    }
  }
  if (bytes > MAX_ANNOTATIONS_BYTES) {
    r.errorAt('metadata.annotations', `take ${bytes} bytes; the API server allows at most ${MAX_ANNOTATIONS_BYTES} (256 KiB) in all`);
  }
}
