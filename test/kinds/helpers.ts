import { parseAllDocuments } from 'yaml';
import { Finding, Manifest } from '../../lib/analysis/finding';
import { checkSchema } from '../../lib/analysis/schema-check';
import { checkRuleBook } from '../../lib/analysis/rule-book-check';

/** Runs the schema check and the rule book on one object, as the analysis does. */
export function analyze(object: any, source: Manifest['source'] = {}): Finding[] {
  const manifest: Manifest = { object, source };
  return [...checkSchema(manifest), ...checkRuleBook(manifest)];
}

/** Parses a multi-document YAML string into plain objects. */
export function parseYaml(text: string): any[] {
  return parseAllDocuments(text).map((d) => d.toJS());
}

/** Deep copy of a fixture, so that cases cannot leak into each other. */
export function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** Sets `path` (`spec.http[0].timeout`) in `object`, creating objects and arrays on the way; undefined deletes. */
export function set(object: any, path: string, value: unknown): any {
  const keys = path.match(/[^.[\]]+/g)!.map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  let node = object;
  for (let i = 0; i < keys.length - 1; i++) {
    if (node[keys[i]] === undefined) node[keys[i]] = typeof keys[i + 1] === 'number' ? [] : {};
    node = node[keys[i]];
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return object;
}

/** One rule: a change that breaks it, a close change that does not, and what the finding must say. */
export interface RuleCase {
  readonly rule: string;
  readonly bad: Record<string, unknown>;
  readonly good: Record<string, unknown>;
  readonly field: string;
  readonly message: string;
  readonly severity?: 'error' | 'warning';
}

/** Applies `changes` (path -> value) to a copy of `base`. */
export function variant(base: any, changes: Record<string, unknown>): any {
  const object = copy(base);
  for (const [path, value] of Object.entries(changes)) set(object, path, value);
  return object;
}

/** Asserts one case: the bad variant yields the finding, the good one yields none at all. */
export function expectCase(base: any, c: RuleCase): void {
  const bad = analyze(variant(base, c.bad));
  const severity = c.severity ?? 'error';
  const hit = bad.find((f) => f.field === c.field && f.message.includes(c.message));
  if (!hit) {
    throw new Error(
      `expected a finding at ${c.field} containing "${c.message}", got:\n${bad.map((f) => `${f.field}: ${f.message}`).join('\n')}`,
    );
  }
  expect(hit.severity).toBe(severity);
  expect(hit.code).toBe(severity === 'error' ? 'IST0106' : 'IST0133');
  expect(analyze(variant(base, c.good))).toEqual([]);
}
