/**
 * Checks shared by several kinds' rule books (ports, labels, exportTo, durations, string and
 * header matches, header operations, percentages) and the JSON accessors they read specs with.
 * @internal
 */
import {
  headerValueProblem,
  isHeaderMatchName,
  isIstioDnsLabel,
  isIstioDuration,
  isIstioLabelKey,
  isIstioLabelValue,
  isPort,
  parseDurationMs,
} from './fields';
import type { RE2JS as Re2 } from 're2js';
import { Problems } from './problem';

/** True for a plain JSON object (not null, not an array). @internal */
export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The array at `value`, or an empty one when absent or of another type (the schema reports that). @internal */
export function arr(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** The object at `value`, or undefined when absent or of another type. @internal */
export function obj(value: unknown): Record<string, any> | undefined {
  return isObject(value) ? value : undefined;
}

/** The entries of a string map, or none. @internal */
export function entries(value: unknown): [string, any][] {
  return isObject(value) ? Object.entries(value) : [];
}

/** True when the field is set to something other than null. @internal */
export function has(o: Record<string, any> | undefined, key: string): boolean {
  return o !== undefined && o[key] !== undefined && o[key] !== null;
}

/** A number field, or undefined. @internal */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** A string field, or undefined. @internal */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Istio's (and Go's) limit on regex length. @internal */
export const MAX_REGEX_LENGTH = 1024;

// Compiling is the costly part of the webhook rules; meshes repeat the same few patterns.
const RE2_PROBLEMS = new Map<string, string | undefined>();

/** Why `pattern` is not a usable RE2 regex, or undefined when it is. @internal */
export function re2Problem(pattern: string): string | undefined {
  if (pattern.length > MAX_REGEX_LENGTH) return `is longer than ${MAX_REGEX_LENGTH} characters`;
  if (RE2_PROBLEMS.has(pattern)) return RE2_PROBLEMS.get(pattern);
  let problem: string | undefined;
  // Loaded on the first regex: re2js is a large module most manifests never need.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RE2JS } = require('re2js') as { RE2JS: typeof Re2 };
  try {
    RE2JS.compile(pattern);
  } catch (e) {
    problem = `is not a valid RE2 regex (${(e as Error).message}); lookarounds and backreferences are not supported`;
  }
  if (RE2_PROBLEMS.size >= 10000) RE2_PROBLEMS.clear();
  RE2_PROBLEMS.set(pattern, problem);
  return problem;
}

/** Reports a port number outside 1..65535 (the schema only bounds it as uint32). @internal */
export function checkPort(r: Problems, field: string, value: unknown): void {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 4294967295 && !isPort(value)) {
    r.error(field, value, 'must be a port number between 1 and 65535');
  }
}

/**
 * Reports invalid label keys and values in a label map of a spec, by Istio's label rules (which
 * are looser than the API server's on metadata: upper case in key prefixes, values of any length).
 * @internal
 */
export function checkLabels(r: Problems, field: string, labels: unknown): void {
  for (const [k, v] of entries(labels)) {
    if (!isIstioLabelKey(k)) {
      r.error(`${field}.${k}`, k, "is not a valid label key: '[prefix/]name', name at most 63 alphanumerics, '-', '_' or '.'");
    }
    if (typeof v === 'string' && !isIstioLabelValue(v)) {
      r.error(`${field}.${k}`, v, "is not a valid label value: alphanumerics, '-', '_' or '.', starting and ending alphanumeric");
    }
  }
}

/**
 * Reports `exportTo` problems: entries `.`, `*` or a namespace (a DNS-1123 label as Istio checks it, upper
 * case allowed), no duplicates, `*` alone, `~` only for ServiceEntry and alone. `ownNamespace` is the object's namespace (for duplicate detection).
 * @internal
 */
export function checkExportTo(r: Problems, field: string, exportTo: unknown, ownNamespace: string, isServiceEntry: boolean): void {
  const list = arr(exportTo);
  const seen = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (typeof e !== 'string') continue;
    const f = `${field}[${i}]`;
    if (e === '~' && !isServiceEntry) {
      r.error(f, e, "is only allowed in a ServiceEntry; use '.', '*' or a namespace");
      continue;
    } else if (e !== '~' && e !== '.' && e !== '*' && !isIstioDnsLabel(e)) {
      r.error(f, e, "must be '.', '*' or a namespace name (DNS-1123 label)");
      continue;
    }
    const key = e === '.' ? ownNamespace : e;
    if (seen.has(key)) r.error(f, e, "is a duplicate entry ('.' is the own namespace)");
    seen.add(key);
  }
  if (list.length > 1 && seen.has('*')) r.error(field, list, "may not combine '*' with other entries");
  if (list.length > 1 && seen.has('~')) r.error(field, list, "may not combine '~' with other entries");
}

/** The object's namespace, `default` when unset. @internal */
export function namespaceOf(object: any): string {
  const ns = obj(object?.metadata)?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

/**
 * Reports a duration the webhook rejects. `celCovered` fields already carry the CRD's
 * `>= 1ms` CEL rule, so only the whole-millisecond rule is added for them.
 * @internal
 */
export function checkDuration(r: Problems, field: string, value: unknown, celCovered: boolean): void {
  if (typeof value !== 'string') return;
  const ms = parseDurationMs(value);
  if (ms === undefined || ms < 1) {
    if (!celCovered) r.error(field, value, 'must be a duration of at least 1ms (e.g. 500ms, 2s)');
  } else if (!isIstioDuration(value)) {
    r.error(field, value, 'must be a whole number of milliseconds');
  }
}

/**
 * Checks a StringMatch (`exact` / `prefix` / `regex`): regexes must be RE2; `prefix` and `regex`
 * may not be empty unless `allowEmptyPrefix` (uri). `regex: '*'` is accepted where `starIsPresence`.
 * @internal
 */
export function checkStringMatch(r: Problems, field: string, match: unknown, allowEmptyPrefix: boolean, starIsPresence = false): void {
  const m = obj(match);
  if (!m) return;
  if (m.prefix === '' && !allowEmptyPrefix) r.error(`${field}.prefix`, '', 'may not be empty; omit the match instead');
  const regex = str(m.regex);
  if (regex === undefined) return;
  if (regex === '') {
    r.error(`${field}.regex`, regex, 'may not be empty; omit the match instead');
  } else if (!(starIsPresence && regex === '*')) {
    const problem = re2Problem(regex);
    if (problem) r.error(`${field}.regex`, regex, problem);
  }
}

/** Checks a header-match map (`headers`, `withoutHeaders`): names and non-null values. @internal */
export function checkHeaderMatches(r: Problems, field: string, headers: unknown, withoutHeaders: boolean): void {
  for (const [name, match] of entries(headers)) {
    const f = `${field}.${name}`;
    if (!isHeaderMatchName(name)) {
      r.error(f, name, "is not a valid header name: use token characters only (letters, digits, !#$%&'*+-.^_`|~), no spaces");
    }
    if (match === null) r.errorAt(f, 'header match may not be null; give exact, prefix or regex, or {} to match presence');
    checkStringMatch(r, f, match, false, withoutHeaders);
  }
}

/** Checks request/response header operations of a route or destination. @internal */
export function checkHeaderOperations(r: Problems, field: string, headers: unknown): void {
  const h = obj(headers);
  if (!h) return;
  for (const direction of ['request', 'response']) {
    const ops = obj(h[direction]);
    if (!ops) continue;
    for (const op of ['set', 'add']) {
      for (const [name, value] of entries(ops[op])) {
        const f = `${field}.${direction}.${op}.${name}`;
        checkOperationName(r, f, name, direction === 'request');
        if (typeof value === 'string') {
          const problem = headerValueProblem(value);
          if (problem) r.error(f, value, problem);
        }
      }
    }
    arr(ops.remove).forEach((name, i) => {
      if (typeof name === 'string') checkOperationName(r, `${field}.${direction}.remove[${i}]`, name, false);
    });
  }
}

function checkOperationName(r: Problems, field: string, name: string, authorityAllowed: boolean): void {
  if (name === '') {
    r.error(field, name, 'header name may not be empty');
    return;
  }
  const lower = name.toLowerCase();
  if (authorityAllowed && (lower === ':authority' || lower === 'host')) return;
  if (name.startsWith(':') || lower === 'host') {
    r.error(
      field,
      name,
      `may not be modified: pseudo-headers and 'host' are managed by the proxy${authorityAllowed ? " (only ':authority'/'host' may be set)" : ''}`,
    );
  }
  // Istio checks no other characters in the names of header operations.
}

/** True when a header name sets the authority (`:authority` or `host`). @internal */
export function isAuthorityHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === ':authority' || lower === 'host';
}

/** Checks a percentage (`{value: number}`) against 0..100. @internal */
export function checkPercentage(r: Problems, field: string, percentage: unknown, faultStyle: boolean): void {
  const value = num(obj(percentage)?.value);
  if (value === undefined) return;
  if (value < 0 || value > 100) r.error(`${field}.value`, value, 'must be between 0 and 100');
  else if (faultStyle && value > 0 && value < 0.0001) r.error(`${field}.value`, value, "must be 0 or at least 0.0001 (Envoy's precision)");
}

/** True when the object sets `key` to a non-empty value (arrays: at least one item). @internal */
export function setNonEmpty(o: Record<string, any> | undefined, key: string): boolean {
  if (!has(o, key)) return false;
  const v = o![key];
  return !(Array.isArray(v) && v.length === 0) && v !== '';
}
