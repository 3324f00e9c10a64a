import type { RE2JS } from 're2js';
import { show } from '../errors';
import { celProgram, toCel } from './cel';

/** One violation of the schema: the field path and the complete message. @internal */
export interface SchemaViolation {
  readonly field: string;
  readonly message: string;
}

/** Per-schema-node data computed once: known property names, the "at most one of" groups. */
interface NodeInfo {
  readonly known: readonly string[];
  readonly exclusive: readonly (readonly string[])[];
  readonly otherCombinators: readonly any[];
}

const INFO = new WeakMap<object, NodeInfo>();
/**
 * Integer ranges by OpenAPI format, as the API server decodes them: `int32` fields are checked
 * against 32 bits; any other integer (int64, and uint32/uint64 whose CRD bounds come as
 * minimum/maximum) is decoded as a signed 64-bit integer, so beyond that it is no integer for
 * the API server (a JavaScript number of 1e21 or more is even written as `1e+21`, a float).
 */
const INTEGER_RANGES: Record<string, { readonly min: number; readonly max: number; readonly text: string }> = {
  int32: { min: -2147483648, max: 2147483647, text: '32-bit integer (-2147483648 to 2147483647)' },
  uint32: { min: 0, max: 4294967295, text: 'unsigned 32-bit integer (0 to 4294967295)' },
  // 2^63 - 1 is not a JavaScript number: the largest below 2^63 is 2^63 - 1024.
  int64: { min: -(2 ** 63), max: 2 ** 63 - 1024, text: '64-bit integer (-2^63 to 2^63-1)' },
};
/** A Kubernetes resource quantity (`500m`, `1.5Gi`, `2e3`), without sign: amounts of resources are never negative. */
const QUANTITY = /^\+?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+|[mkMGTPE])?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Validates `value` against a structural (Kubernetes CRD) schema the way the API server does
 * with strict field validation: unknown fields, types, enums, required, `oneOf` groups, bounds,
 * list-map keys and `x-kubernetes-validations` CEL rules. `null` values of non-nullable fields
 * are treated as absent, as the API server prunes them.
 * @internal
 */
export function validateSchema(value: unknown, schema: any, path: string, out: SchemaViolation[]): void {
  if (value === null || value === undefined) return;
  if (!typeOk(value, schema, path, out)) return;

  if (typeof value === 'string') checkString(value, schema, path, out);
  else if (typeof value === 'number') checkNumber(value, schema, path, out);
  else if (Array.isArray(value)) checkArray(value, schema, path, out);
  else if (typeof value === 'object') checkObject(value as Record<string, unknown>, schema, path, out);

  if (schema.enum && !schema.enum.includes(value)) {
    out.push({ field: path, message: `${path} (${show(value)}) must be one of ${schema.enum.join(', ')}` });
  }
  const rules = schema['x-kubernetes-validations'];
  if (rules) {
    const self = toCel(value, schema);
    for (const rule of rules) {
      if (celProgram(rule.rule)(self) !== true) {
        const scalar = typeof value !== 'object';
        const message = rule.message ?? `failed rule: ${rule.rule}`;
        out.push({ field: path, message: scalar ? `${path} (${show(value)}) ${message}` : `${path}: ${message}` });
      }
    }
  }
}

function typeOk(value: unknown, schema: any, path: string, out: SchemaViolation[]): boolean {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    out.push({ field: path, message: `${path} (${show(value)}) is not a finite number; JSON (and so the API server) has no such value` });
    return false;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) return true;
    out.push({ field: path, message: `${path} (${show(value)}) must be an integer or a string` });
    return false;
  }
  const type = schema.type;
  if (!type) return true;
  let ok: boolean;
  switch (type) {
    case 'object':
      ok = typeof value === 'object' && !Array.isArray(value);
      break;
    case 'array':
      ok = Array.isArray(value);
      break;
    case 'integer':
      ok = typeof value === 'number' && Number.isInteger(value);
      break;
    case 'number':
      ok = typeof value === 'number' && Number.isFinite(value);
      break;
    default:
      ok = typeof value === type;
  }
  if (!ok) {
    const article = type === 'array' || type === 'object' || type === 'integer' ? 'an' : 'a';
    out.push({ field: path, message: `${path} (${show(value)}) must be ${article} ${type}` });
  }
  return ok;
}

function checkString(value: string, schema: any, path: string, out: SchemaViolation[]): void {
  if (schema.maxLength !== undefined) {
    // Kubernetes counts code points; only surrogate pairs make that differ from UTF-16 length.
    const length = /[\uD800-\uDFFF]/.test(value) ? [...value].length : value.length;
    if (length > schema.maxLength) {
      out.push({ field: path, message: `${path} (${show(value)}) must be at most ${schema.maxLength} characters long` });
    }
  }
  if (schema.minLength !== undefined && [...value].length < schema.minLength) {
    out.push({ field: path, message: `${path} (${show(value)}) must be at least ${schema.minLength} character(s) long` });
  }
  if (typeof schema.pattern === 'string' && !patternMatches(schema.pattern, value)) {
    out.push({ field: path, message: `${path} (${show(value)}) must match ${schema.pattern}` });
  }
  if (schema.format === 'byte' && !BASE64.test(value)) {
    out.push({ field: path, message: `${path} (${show(value)}) must be base64-encoded` });
  }
  if (schema.format === 'quantity' && !QUANTITY.test(value)) {
    out.push({
      field: path,
      message: `${path} (${show(value)}) must be a non-negative Kubernetes quantity such as '500m', '2', '1.5Gi' or '128Mi'`,
    });
  }
}

// The API server matches `pattern` with Go's RE2; compiled once per pattern.
const PATTERNS = new Map<string, RE2JS>();
function patternMatches(pattern: string, value: string): boolean {
  let re = PATTERNS.get(pattern);
  if (!re) {
    // re2js loads with the first pattern: a large module that most manifests never need.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { RE2JS: Re2 } = require('re2js') as { RE2JS: typeof RE2JS };
    re = Re2.compile(pattern);
    PATTERNS.set(pattern, re);
  }
  return re.matcher(value).find();
}

function checkNumber(value: number, schema: any, path: string, out: SchemaViolation[]): void {
  if (schema.minimum !== undefined && value < schema.minimum) {
    out.push({ field: path, message: `${path} (${value}) must be >= ${schema.minimum}` });
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    out.push({ field: path, message: `${path} (${value}) must be <= ${schema.maximum}` });
  }
  if (Number.isInteger(value) && (schema.type === 'integer' || schema['x-kubernetes-int-or-string'])) {
    const range = INTEGER_RANGES[schema.format] ?? INTEGER_RANGES.int64;
    if (value < range.min || value > range.max) {
      out.push({ field: path, message: `${path} (${show(value)}) must fit in a ${range.text}` });
    }
  }
}

function checkArray(value: unknown[], schema: any, path: string, out: SchemaViolation[]): void {
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    out.push({ field: path, message: `${path} must have at most ${schema.maxItems} items (has ${value.length})` });
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    out.push({ field: path, message: `${path} must have at least ${schema.minItems} item(s) (has ${value.length})` });
  }
  const items = schema.items;
  if (items) {
    for (let i = 0; i < value.length; i++) {
      const itemPath = `${path}[${i}]`;
      if (value[i] === null && !items.nullable) {
        out.push({ field: itemPath, message: `${itemPath}: list items may not be null` });
      } else {
        validateSchema(value[i], items, itemPath, out);
      }
    }
  }
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'map') checkListMapKeys(value, schema['x-kubernetes-list-map-keys'] ?? [], path, out);
  else if (listType === 'set') checkListSet(value, path, out);
}

function checkListMapKeys(value: unknown[], keys: string[], path: string, out: SchemaViolation[]): void {
  const seen = new Map<string, number>();
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (typeof item !== 'object' || item === null) continue;
    const key = JSON.stringify(keys.map((k) => (item as any)[k]));
    const first = seen.get(key);
    if (first !== undefined) {
      const field = keys.length === 1 ? `${path}[${i}].${keys[0]}` : `${path}[${i}]`;
      const shown = keys.map((k) => `${k}=${show((item as any)[k])}`).join(', ');
      out.push({
        field,
        message: `${field}: duplicate entry (${shown} is already used by ${path}[${first}]); list entries must be unique by ${keys.join(', ')}`,
      });
    } else {
      seen.set(key, i);
    }
  }
}

function checkListSet(value: unknown[], path: string, out: SchemaViolation[]): void {
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) out.push({ field: `${path}[${i}]`, message: `${path}[${i}] (${show(item)}) is a duplicate entry in a set` });
    seen.add(key);
  });
}

function checkObject(value: Record<string, unknown>, schema: any, path: string, out: SchemaViolation[]): void {
  const properties = schema.properties;
  const additional = schema.additionalProperties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const info = infoOf(schema);
  let count = 0;
  for (const key of Object.keys(value)) {
    const child = value[key];
    count++;
    const childPath = path === '' ? key : `${path}.${key}`;
    const prop = properties?.[key];
    if (prop) {
      if (child === null && !prop.nullable) continue;
      validateSchema(child, prop, childPath, out);
    } else if (typeof additional === 'object') {
      if (child === null && !additional.nullable) continue;
      validateSchema(child, additional, childPath, out);
    } else if (additional === true || preserve) {
      continue;
    } else {
      const suggestion = closest(key, info.known);
      out.push({ field: childPath, message: `${childPath}: unknown field${suggestion ? ` (did you mean '${suggestion}'?)` : ''}` });
    }
  }
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    out.push({ field: path, message: `${path} must have at most ${schema.maxProperties} entries (has ${count})` });
  }
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    out.push({ field: path, message: `${path} must have at least ${schema.minProperties} entry(ies) (has ${count})` });
  }
  if (schema.required) {
    for (const key of schema.required) {
      if (value[key] === undefined || value[key] === null) {
        const childPath = path === '' ? key : `${path}.${key}`;
        out.push({ field: childPath, message: `${childPath}: required field is missing` });
      }
    }
  }
  for (const group of info.exclusive) {
    const set = group.filter((k) => value[k] !== undefined && value[k] !== null);
    if (set.length > 1) out.push({ field: path, message: `${path}: only one of ${group.join(', ')} may be set (found ${set.join(', ')})` });
  }
  for (const combinator of info.otherCombinators) {
    if (!matches(value, combinator)) {
      out.push({ field: path, message: `${path}: does not match the schema's ${Object.keys(combinator).join('/')} constraint` });
    }
  }
}

/**
 * Istio's CRDs express "at most one of a, b, c" as
 * `oneOf: [{not: {anyOf: [{required: [a]}, ...]}}, {required: [a]}, ...]` (possibly inside `allOf`).
 * Those are recognized once per schema node to give a readable message; anything else falls back
 * to a generic evaluation of the combinator on property presence.
 */
function infoOf(schema: any): NodeInfo {
  let info = INFO.get(schema);
  if (info) return info;
  const exclusive: string[][] = [];
  const otherCombinators: any[] = [];
  const collect = (node: any): void => {
    if (node.oneOf) {
      const group = exclusiveGroup(node.oneOf);
      if (group) exclusive.push(group);
      else otherCombinators.push({ oneOf: node.oneOf });
    }
    if (node.allOf) node.allOf.forEach(collect);
    if (node.anyOf) otherCombinators.push({ anyOf: node.anyOf });
    if (node.not) otherCombinators.push({ not: node.not });
  };
  collect(schema);
  info = { known: Object.keys(schema.properties ?? {}), exclusive, otherCombinators };
  INFO.set(schema, info);
  return info;
}

function exclusiveGroup(alternatives: any[]): string[] | undefined {
  const [first, ...rest] = alternatives;
  const names = rest.map((a) => (a.required?.length === 1 && Object.keys(a).length === 1 ? a.required[0] : undefined));
  if (names.some((n) => n === undefined)) return undefined;
  const negated = first?.not?.anyOf;
  if (!Array.isArray(negated) || negated.length !== names.length) return undefined;
  if (!negated.every((n: any, i: number) => n.required?.length === 1 && n.required[0] === names[i])) return undefined;
  return names as string[];
}

/** Evaluates a presence-only combinator (`required`, `not`, `anyOf`, `allOf`, `oneOf`) against an object. */
function matches(value: Record<string, unknown>, node: any): boolean {
  if (node.required && !node.required.every((k: string) => value[k] !== undefined && value[k] !== null)) return false;
  if (node.not && matches(value, node.not)) return false;
  if (node.anyOf && !node.anyOf.some((n: any) => matches(value, n))) return false;
  if (node.allOf && !node.allOf.every((n: any) => matches(value, n))) return false;
  if (node.oneOf && node.oneOf.filter((n: any) => matches(value, n)).length !== 1) return false;
  return true;
}

/** The known name closest to a misspelled one, if any is close enough to be a likely typo. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    if (candidate.toLowerCase() === lower) return candidate;
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  return bestDistance <= limit ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
