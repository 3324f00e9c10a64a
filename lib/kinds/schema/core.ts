import { SchemaViolation, validateSchema } from './validator';

// The Kubernetes objects our patterns write (through cdk8s-plus) have no CRD schema in
// imports/: this is an excerpt of their OpenAPI schema, reduced to the fields with a range:
// integers with their format (int32/int64, as in Kubernetes' OpenAPI) and the bounds the API
// server's validation adds (ports 1-65535, counts >= 0), and resource quantities. Every other
// field is let through (x-kubernetes-preserve-unknown-fields). The same validator reads it as
// the Istio schemas, so a field listed here is checked exactly as a CRD field would be.

type Schema = Record<string, unknown>;
const open = (properties: Record<string, Schema>): Schema => ({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties });
const list = (items: Schema): Schema => ({ type: 'array', items });
const int32 = (minimum?: number, maximum?: number): Schema => ({ type: 'integer', format: 'int32', minimum, maximum });
const int64 = (minimum?: number): Schema => ({ type: 'integer', format: 'int64', minimum });
const portNumber = int32(1, 65535);
const portOrName: Schema = { 'x-kubernetes-int-or-string': true, minimum: 1, maximum: 65535 };
const quantities: Schema = { type: 'object', additionalProperties: { 'x-kubernetes-int-or-string': true, format: 'quantity', minimum: 0 } };
const probe = open({
  initialDelaySeconds: int32(0),
  timeoutSeconds: int32(1),
  periodSeconds: int32(1),
  successThreshold: int32(1),
  failureThreshold: int32(1),
  terminationGracePeriodSeconds: int64(1),
  httpGet: open({ port: portOrName }),
  tcpSocket: open({ port: portOrName }),
  grpc: open({ port: portNumber }),
});
const securityContext = open({ runAsUser: int64(0), runAsGroup: int64(0) });
const container = open({
  ports: list(open({ containerPort: portNumber, hostPort: int32(0, 65535) })),
  resources: open({ limits: quantities, requests: quantities }),
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  securityContext,
});
const podSpec = open({
  containers: list(container),
  initContainers: list(container),
  terminationGracePeriodSeconds: int64(0),
  activeDeadlineSeconds: int64(1),
  securityContext: open({ runAsUser: int64(0), runAsGroup: int64(0), fsGroup: int64() }),
});

/** Schema excerpts by `apiVersion/kind`. */
const CORE_SCHEMAS: Record<string, Schema> = {
  'apps/v1/Deployment': open({
    spec: open({
      replicas: int32(0),
      minReadySeconds: int32(0),
      revisionHistoryLimit: int32(0),
      progressDeadlineSeconds: int32(1),
      template: open({ spec: podSpec }),
    }),
  }),
  'v1/Pod': open({ spec: podSpec }),
  'v1/Service': open({
    spec: open({
      ports: list(open({ port: portNumber, nodePort: int32(0, 65535), targetPort: portOrName })),
      sessionAffinityConfig: open({ clientIP: open({ timeoutSeconds: int32(1, 86400) }) }),
    }),
  }),
};

/**
 * Violations of the ranges of a Kubernetes object we write (Deployment, Pod, Service): the
 * integers and resource quantities listed above. Other kinds give none.
 * @internal
 */
export function coreObjectViolations(object: { apiVersion?: unknown; kind?: unknown } & Record<string, unknown>): SchemaViolation[] {
  const schema = CORE_SCHEMAS[`${object.apiVersion}/${object.kind}`];
  const out: SchemaViolation[] = [];
  if (schema) validateSchema(object, schema, '', out);
  return out;
}

/**
 * The rule a single value breaks at `field` (a path of property names, e.g. `spec.replicas`) of
 * a core kind, without the path and value (`must fit in a 32-bit integer (…)`), or undefined.
 * @internal
 */
export function coreFieldRule(kind: string, field: string, value: unknown): string | undefined {
  let schema: Schema | undefined = CORE_SCHEMAS[kind];
  for (const part of field.split('.')) schema = (schema?.properties as Record<string, Schema> | undefined)?.[part];
  if (!schema) throw new Error(`no schema for ${kind} ${field}`);
  const out: SchemaViolation[] = [];
  validateSchema(value, schema, field, out);
  const message = out[0]?.message;
  return message?.replace(/^\S+ \(.*?\) /, '');
}
