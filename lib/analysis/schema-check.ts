import { istioKind, splitApiVersion } from '../kinds/catalogue';
import { isObject } from '../kinds/common';
import { Problems, problemMessage } from '../kinds/problem';
import { CODES } from './codes';
import { Finding, Manifest } from './finding';
import { findingAbout } from './object-checks';
import { specSchemaViolations } from '../kinds/schema';
import { closest } from '../kinds/schema/validator';

/** What the API server rejects is istioctl's schema validation error. */
const INVALID = CODES.SchemaValidationError;
/** The only top-level fields the API server (and Istio's webhook) accept on an Istio object. */
const TOP_LEVEL = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];

/**
 * Checks an Istio object (a kind of the catalogue) against the CRD's structural schema and its
 * `x-kubernetes-validations` CEL rules, as the API server does with strict field validation
 * (unknown fields are errors). Other objects yield no findings.
 * @internal
 */
export function checkSchema(manifest: Manifest): Finding[] {
  const object = manifest.object;
  if (!isObject(object)) return [];
  const { group, version } = splitApiVersion(object.apiVersion);
  const entry = istioKind(group, object.kind);
  if (!entry) return [];

  const r = new Problems();
  const findings = () => r.list.map((p) => findingAbout(manifest, INVALID.severity, INVALID.code, p.path, problemMessage(p)));
  if (!entry.versions.includes(version)) {
    r.error(
      'apiVersion',
      object.apiVersion,
      `is not served for ${entry.kind}; use ${entry.versions.map((v) => `${group}/${v}`).join(', ')}`,
    );
  }
  for (const key of Object.keys(object)) {
    if (!TOP_LEVEL.includes(key)) {
      const suggestion = closest(key, TOP_LEVEL);
      r.errorAt(
        key,
        `unknown top-level field${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; only ${TOP_LEVEL.join(', ')} are allowed`,
      );
    }
  }
  if (object.metadata !== undefined && !isObject(object.metadata)) r.error('metadata', object.metadata, 'must be an object');
  if (object.spec === undefined || object.spec === null) {
    if (entry.specRequired) r.errorAt('spec', 'required field is missing');
    return findings();
  }
  return [
    ...findings(),
    ...specSchemaViolations(entry, object.spec).map((v) => findingAbout(manifest, INVALID.severity, INVALID.code, v.field, v.message)),
  ];
}
