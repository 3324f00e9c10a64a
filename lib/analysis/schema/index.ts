import SCHEMAS from '../../../imports/schemas.json';
import { Finding, Manifest } from '../finding';
import { OBJECT_CHECKS } from '../object-checks';
import { isObject, NETWORKING_GROUP, NETWORKING_VERSIONS, Reporter, splitApiVersion } from '../webhook/shared';
import { closest, SchemaViolation, validateSchema } from './validator';

const SPEC_SCHEMAS: Record<string, any> = SCHEMAS as any;
/** The only top-level fields the API server (and Istio's webhook) accept on an Istio object. */
const TOP_LEVEL = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];
/** Kinds whose CRD makes `spec` itself required. */
const SPEC_REQUIRED = new Set(['ServiceEntry']);

/**
 * Checks a networking.istio.io object against the CRD's structural schema and its
 * `x-kubernetes-validations` CEL rules, as the API server does with strict field validation
 * (unknown fields are errors). Other objects yield no findings.
 * @internal
 */
export function checkSchema(manifest: Manifest): Finding[] {
  const object = manifest.object;
  if (!isObject(object)) return [];
  const { group, version } = splitApiVersion(object.apiVersion);
  if (group !== NETWORKING_GROUP || typeof object.kind !== 'string') return [];
  const schema = SPEC_SCHEMAS[`${group}/${object.kind}`];
  if (!schema) return [];

  const r = new Reporter(manifest);
  if (!NETWORKING_VERSIONS.includes(version)) {
    r.error(
      'apiVersion',
      object.apiVersion,
      `is not served for ${object.kind}; use ${NETWORKING_VERSIONS.map((v) => `${group}/${v}`).join(', ')}`,
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
    if (SPEC_REQUIRED.has(object.kind)) r.errorAt('spec', 'required field is missing');
    return r.findings;
  }
  const violations: SchemaViolation[] = [];
  validateSchema(object.spec, schema, 'spec', violations);
  for (const v of violations) r.raw(v.field, v.message);
  return r.findings;
}

OBJECT_CHECKS.push(checkSchema);
