import { ApiObjectMetadata } from 'cdk8s';
import { HttpRouteOptions } from '../istio/http-route';
import { describe, fail } from '../kinds/errors';
import { isFqdn } from '../kinds/fields';
import { PatternMetadataOptions, RouteBehaviorOptions } from './pattern-options';

// Internal helpers of the patterns (lib/index.ts does not export this module).

/** The metadata of an object a pattern writes: its name, with the pattern's namespace, labels, annotations. */
export function patternMetadata(name: string, options: PatternMetadataOptions): ApiObjectMetadata {
  return {
    name,
    namespace: options.namespace,
    labels: options.labels && Object.keys(options.labels).length > 0 ? { ...options.labels } : undefined,
    annotations: options.annotations && Object.keys(options.annotations).length > 0 ? { ...options.annotations } : undefined,
  };
}

/**
 * `metadata` (name and the object's own labels) with the pattern's namespace, labels and
 * annotations; the object's own labels win over the pattern's.
 */
export function withPatternMetadata(metadata: ApiObjectMetadata, options: PatternMetadataOptions): ApiObjectMetadata {
  const base = patternMetadata(metadata.name ?? '', options);
  const labels = { ...base.labels, ...metadata.labels };
  return { ...base, ...metadata, namespace: base.namespace, labels: Object.keys(labels).length > 0 ? labels : undefined };
}

/** The route behavior of `specific` over `shared`, field by field, as HTTP route options. */
export function routeBehavior(shared: RouteBehaviorOptions, specific: RouteBehaviorOptions = {}): Partial<HttpRouteOptions> {
  return {
    timeout: specific.timeout ?? shared.timeout,
    retries: specific.retries ?? shared.retries,
    fault: specific.fault ?? shared.fault,
    mirrors: specific.mirrors ?? shared.mirrors,
  };
}

/** True when any behavior is set (HTTP-only settings that a TCP route cannot take). */
export function hasRouteBehavior(o: RouteBehaviorOptions): boolean {
  return o.timeout !== undefined || o.retries !== undefined || o.fault !== undefined || o.mirrors !== undefined;
}

/**
 * The base name of the objects a pattern writes for an external host (`api.example.com` →
 * `api-example-com`, unless `name` is given), after checking that the host is a DNS name without
 * wildcard. Hosts are case-insensitive and may end with a root '.', but object names are
 * lower-case DNS-1123.
 */
export function externalHostName(pattern: string, host: string, name?: string): string {
  const base = name ?? host.replace(/\.$/, '').toLowerCase().replace(/\./g, '-');
  if (!isFqdn(host) || !host.includes('.')) {
    fail(describe(pattern, base), 'host', host, 'must be a fully qualified DNS name without wildcard', "e.g. 'api.example.com'");
  }
  return base;
}
