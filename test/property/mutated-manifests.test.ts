import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { MeshAnalysis } from '../../lib/analysis/engine';
import { Manifest } from '../../lib/analysis/finding';
import { PARAMS, safeJson } from './support';

// Manifests of the tutorial and of the analysis fixtures, mutated at random paths (type flips,
// nulls, huge and non-finite numbers, unicode, empty strings, deep nesting, removed fields):
// the analysis reports, it never crashes (no exception, no IST0001 internal error).

function load(dir: string): unknown[] {
  const docs: unknown[] = [];
  for (const f of fs.readdirSync(dir)) {
    const full = path.join(dir, f);
    if (fs.statSync(full).isDirectory()) docs.push(...load(full));
    else if (/\.ya?ml$/.test(f)) docs.push(...parseAllDocuments(fs.readFileSync(full, 'utf8')).map((d) => d.toJS()));
  }
  return docs.filter((d) => d !== null && typeof d === 'object');
}

const CORPUS = [
  ...load(path.join(__dirname, '..', 'golden', 'yunqi-bank')),
  ...load(path.join(__dirname, '..', 'fixtures', 'analysis', 'shop')),
  ...load(path.join(__dirname, '..', 'fixtures', 'analysis', 'missing-subset')),
];

/** Every path to a value in a document (objects and arrays included). */
function paths(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out));
  else if (value !== null && typeof value === 'object') for (const k of Object.keys(value)) paths((value as any)[k], [...at, k], out);
  return out;
}

const replacement = fc.oneof(
  fc.constantFrom(null, undefined, '', ' ', 0, -1, 1.5, NaN, Infinity, -Infinity, 1e21, 2 ** 53 + 1, true, false, [], {}, [null], {
    '': null,
  }),
  fc.constantFrom('é', '\u0000', '\u{1F600}', '*', '../..', 'a'.repeat(10_000), '0755', 'yes', '__proto__', 'constructor', 'toString'),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.constant('deep').map(() => {
    let v: unknown = 'x';
    for (let i = 0; i < 300; i++) v = [v];
    return v;
  }),
);

function mutate(doc: unknown, picks: { path: number; value: unknown; key: string }[]): unknown {
  const copy = structuredClone(doc);
  for (const pick of picks) {
    const all = paths(copy);
    const target = all[pick.path % all.length];
    if (target.length === 0) continue;
    let parent: any = copy;
    for (const p of target.slice(0, -1)) parent = parent[p];
    const last = target[target.length - 1];
    if (pick.key === 'rename' && !Array.isArray(parent)) {
      const v = parent[last];
      delete parent[last];
      Object.defineProperty(parent, String(pick.value), { value: v, enumerable: true, writable: true, configurable: true });
    } else if (pick.key === 'delete') {
      delete parent[last];
    } else {
      parent[last] = pick.value;
    }
  }
  return copy;
}

test('mutated manifests never crash the analysis', () => {
  expect(CORPUS.length).toBeGreaterThan(20);
  let findings = 0;
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          doc: fc.nat(),
          picks: fc.array(
            fc.record({ path: fc.nat(), value: replacement, key: fc.constantFrom('set', 'set', 'set', 'delete', 'rename') }),
            {
              minLength: 1,
              maxLength: 4,
            },
          ),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      (mutations) => {
        const objects = CORPUS.map((d) => structuredClone(d));
        for (const m of mutations) objects[m.doc % objects.length] = mutate(objects[m.doc % objects.length], m.picks);
        const manifests: Manifest[] = objects.map((object, i) => ({ object: object as any, source: { file: `doc-${i}.yaml`, line: 1 } }));
        let result;
        try {
          result = MeshAnalysis.analyze(manifests);
        } catch (e) {
          throw new Error(`the analysis threw ${(e as Error).stack}\nmutations: ${safeJson(mutations).slice(0, 2000)}`);
        }
        findings += result.length;
        const internal = result.filter((f) => f.code === 'IST0001');
        if (internal.length > 0) {
          throw new Error(`internal errors: ${safeJson(internal)}\nmutations: ${safeJson(mutations).slice(0, 2000)}`);
        }
      },
    ),
    { ...PARAMS, numRuns: Math.max(10, Math.floor(PARAMS.numRuns / 3)) },
  );
  // The mutations are seen: they produce findings.
  expect(findings).toBeGreaterThan(0);
});
