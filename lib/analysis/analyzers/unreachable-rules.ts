import { Analyzer, Report } from '../analyzer';
import { CODES } from '../codes';
import { ObjectRef } from '../model';
import { arr, isObject } from '../../kinds/common';

/**
 * IST0130 / IST0131, like the unreachable-rule warnings of Istio's VirtualService validation
 * (`analyzeUnreachable{HTTP,TCP,TLS}Rules`), for `http`, `tcp` and `tls` rules:
 * - IST0130: a second rule without `match` ("only the last rule can have no matches"); a rule
 *   with matches after a rule without (it is never reached); a rule whose every match repeats
 *   a match of an earlier rule.
 * - IST0131: a match equal to an earlier one (compared as JSON, ignoring the match `name`); in
 *   `http` rules, a `uri.prefix` match that starts with an earlier, shorter `uri.prefix` whose
 *   port, method (GET when absent), authority, headers, query parameters and withoutHeaders
 *   are equal or prefix-compatible with the same keys.
 * @internal
 */
export const unreachableRulesAnalyzer: Analyzer = {
  name: 'unreachable-rules',
  analyze(model, report) {
    for (const vs of model.virtualServices) {
      for (const section of ['http', 'tcp', 'tls']) analyzeRules(vs, section, report);
    }
  },
};

interface PrefixMatch {
  readonly rule: number;
  readonly match: number;
  readonly prefix: string;
  readonly port: number;
  readonly method: string;
  readonly authority: string;
  readonly headers: Map<string, string>;
  readonly queryParams: Map<string, string>;
  readonly withoutHeaders: Map<string, string>;
}

function analyzeRules(vs: ObjectRef, section: string, report: Report): void {
  const rules = arr(vs.spec[section]);
  const seen = new Map<string, number>();
  const prefixes: PrefixMatch[] = [];
  let catchAll = -1;
  rules.forEach((rule, r) => {
    if (!isObject(rule)) return;
    const ruleField = `spec.${section}[${r}]`;
    const matches = arr(rule.match);
    // IST0130: an earlier rule without match takes all traffic, so this rule never applies.
    const shadowed = (why: string): void =>
      report(
        vs,
        CODES.VirtualServiceUnreachableRule,
        ruleField,
        `${ruleName(rule, r)} is never used: ${ruleName(rules[catchAll], catchAll)} ${why}`,
      );
    if (matches.length === 0) {
      if (catchAll >= 0) {
        shadowed(
          'has no match either and already takes all traffic (only the last rule can have no matches); merge the two rules or add a match to the earlier one',
        );
      }
      catchAll = r;
      return;
    }
    if (catchAll >= 0) {
      shadowed(`before it has no match and takes all traffic; move the rule without match to the end of spec.${section}`);
      return;
    }
    let duplicates = 0;
    matches.forEach((match, m) => {
      const key = canonicalJson(section === 'http' && isObject(match) ? { ...match, name: undefined } : match);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        duplicates++;
        report(
          vs,
          CODES.VirtualServiceIneffectiveMatch,
          `${ruleField}.match[${m}]`,
          `match ${matchName(match, m)} of ${ruleName(rule, r)} is never used: ${earlier === r ? 'an earlier match of the same rule' : ruleName(rules[earlier], earlier)} has the same match; remove the duplicate`,
        );
        return;
      }
      seen.set(key, r);
      if (section === 'http') {
        const prefix = prefixMatchOf(match, r, m);
        if (prefix) prefixes.push(prefix);
      }
    });
    if (duplicates === matches.length) {
      report(
        vs,
        CODES.VirtualServiceUnreachableRule,
        ruleField,
        `${ruleName(rule, r)} is never used: all its matches are used by earlier rules; remove it or change its matches`,
      );
    }
  });

  for (let a = 0; a < prefixes.length; a++) {
    for (let b = a + 1; b < prefixes.length; b++) {
      const first = prefixes[a];
      const later = prefixes[b];
      if (later.prefix === first.prefix || !covers(first, later)) continue;
      report(
        vs,
        CODES.VirtualServiceIneffectiveMatch,
        `spec.http[${later.rule}].match[${later.match}]`,
        `match ${matchName(rules[later.rule].match[later.match], later.match)} of ${ruleName(rules[later.rule], later.rule)} (uri prefix '${later.prefix}') is never used: match ${matchName(rules[first.rule].match[first.match], first.match)} of ${ruleName(rules[first.rule], first.rule)} (uri prefix '${first.prefix}') comes first, is shorter and has the same other conditions; put the longer prefix first`,
      );
    }
  }
}

function prefixMatchOf(match: any, rule: number, index: number): PrefixMatch | undefined {
  if (!isObject(match) || !isObject(match.uri)) return undefined;
  const prefix = match.uri.prefix;
  if (typeof prefix !== 'string' || prefix === '') return undefined;
  return {
    rule,
    match: index,
    prefix,
    port: typeof match.port === 'number' ? match.port : 0,
    method: exactOrPrefix(match.method) || 'exact:GET',
    authority: exactOrPrefix(match.authority),
    headers: stringMatchMap(match.headers),
    queryParams: stringMatchMap(match.queryParams),
    withoutHeaders: stringMatchMap(match.withoutHeaders),
  };
}

// Mirrors Istio's comparison, including its direction (the earlier value starts with the later one).
function covers(first: PrefixMatch, later: PrefixMatch): boolean {
  if (!later.prefix.startsWith(first.prefix)) return false;
  if (later.port !== first.port) return false;
  if (!compatible(first.method, later.method) || !compatible(first.authority, later.authority)) return false;
  return (
    sameKeysCompatible(first.headers, later.headers) &&
    sameKeysCompatible(first.queryParams, later.queryParams) &&
    sameKeysCompatible(first.withoutHeaders, later.withoutHeaders)
  );
}

function compatible(first: string, later: string): boolean {
  return first === later || first.startsWith(later);
}

function sameKeysCompatible(first: Map<string, string>, later: Map<string, string>): boolean {
  if (first.size !== later.size) return false;
  for (const [key, value] of first) {
    const other = later.get(key);
    if (other === undefined || !compatible(value, other)) return false;
  }
  return true;
}

function exactOrPrefix(sm: any): string {
  if (!isObject(sm)) return '';
  if (typeof sm.exact === 'string' && sm.exact !== '') return `exact:${sm.exact}`;
  if (typeof sm.prefix === 'string' && sm.prefix !== '') return `prefix:${sm.prefix}`;
  return '';
}

function stringMatchMap(value: any): Map<string, string> {
  const map = new Map<string, string>();
  if (isObject(value)) for (const [k, v] of Object.entries(value)) map.set(k, exactOrPrefix(v));
  return map;
}

function ruleName(rule: any, index: number): string {
  return typeof rule?.name === 'string' && rule.name !== '' ? `rule #${index} ('${rule.name}')` : `rule #${index}`;
}

function matchName(match: any, index: number): string {
  return typeof match?.name === 'string' && match.name !== '' ? `#${index} ('${match.name}')` : `#${index}`;
}

/** JSON with object keys sorted and undefined members dropped, for comparing matches. @internal */
export function canonicalJson(value: any): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
