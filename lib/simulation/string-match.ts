import type { RE2JS } from 're2js';
import { isObject } from '../kinds/common';

/**
 * Istio's `StringMatch` as Envoy evaluates it: `exact` and `prefix` compare bytes (case-sensitive
 * unless asked otherwise), `regex` is RE2 and must match the whole value, and an empty match
 * (`{}`) or the regex `*` only asks for presence.
 * @internal
 */
export interface CompiledStringMatch {
  readonly kind: 'exact' | 'prefix' | 'regex' | 'present';
  readonly value: string;
  /** The compiled regex; undefined when it is not valid RE2 (it then matches nothing). */
  readonly re?: RE2JS;
}

const REGEX_CACHE = new Map<string, RE2JS | undefined>();

/** Compiles (once per pattern) an RE2 regex; undefined when invalid. @internal */
export function compileRe2(pattern: string): RE2JS | undefined {
  if (REGEX_CACHE.has(pattern)) return REGEX_CACHE.get(pattern);
  let re: RE2JS | undefined;
  // re2js loads with the first regex: a large module most meshes never need.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RE2JS: Re2 } = require('re2js') as { RE2JS: typeof RE2JS };
  try {
    re = Re2.compile(pattern);
  } catch {
    re = undefined;
  }
  if (REGEX_CACHE.size > 10000) REGEX_CACHE.clear();
  REGEX_CACHE.set(pattern, re);
  return re;
}

/** Compiles a `StringMatch` object; undefined when the field is absent. @internal */
export function compileStringMatch(value: unknown): CompiledStringMatch | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) return { kind: 'present', value: '' };
  if (typeof value.exact === 'string') return { kind: 'exact', value: value.exact };
  if (typeof value.prefix === 'string') return { kind: 'prefix', value: value.prefix };
  if (typeof value.regex === 'string') {
    // Istio turns the regex `*` (not RE2) into a presence match.
    if (value.regex === '*') return { kind: 'present', value: '' };
    return { kind: 'regex', value: value.regex, re: compileRe2(value.regex) };
  }
  return { kind: 'present', value: '' };
}

/** True when `actual` (present) satisfies the match; `ignoreCase` applies to exact and prefix only, as in Envoy. @internal */
export function stringMatches(m: CompiledStringMatch, actual: string, ignoreCase = false): boolean {
  switch (m.kind) {
    case 'exact':
      return ignoreCase ? actual.toLowerCase() === m.value.toLowerCase() : actual === m.value;
    case 'prefix':
      return ignoreCase ? actual.toLowerCase().startsWith(m.value.toLowerCase()) : actual.startsWith(m.value);
    case 'regex':
      return m.re !== undefined && m.re.matches(actual);
    default:
      return true;
  }
}

/** `exact 'x'`, `prefix 'x'`, `regex 'x'`, `present`. @internal */
export function describeStringMatch(m: CompiledStringMatch): string {
  if (m.kind === 'present') return 'is present';
  const verb = m.kind === 'exact' ? 'equals' : m.kind === 'prefix' ? 'starts with' : 'fully matches the regex';
  return `${verb} ${JSON.stringify(m.value)}${m.kind === 'regex' && !m.re ? ' (invalid RE2: matches nothing)' : ''}`;
}

/** Why `actual` does not satisfy `m` (or is missing), as a clause. @internal */
export function mismatch(what: string, m: CompiledStringMatch, actual: string | undefined, ignoreCase = false): string {
  const wanted = `${describeStringMatch(m)}${ignoreCase && m.kind !== 'regex' && m.kind !== 'present' ? ' (ignoring case)' : ''}`;
  return `${what} is ${actual === undefined ? 'absent' : JSON.stringify(actual)} (wanted: ${wanted})`;
}
