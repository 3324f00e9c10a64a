import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { stringifyDocument, stringifyDocuments, yamlPieces } from '../../lib/app/yaml-output';

const GOLDEN = path.join(__dirname, '..', 'golden', 'yunqi-bank');

/** Counts the documents handed to cdk8s's `Yaml.stringify` while `fn` runs. */
function fallbacks(fn: () => void): number {
  const spy = jest.spyOn(Yaml, 'stringify');
  try {
    fn();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

// Strings around every rule of plain and quoted scalars in YAML 1.1 (the version cdk8s writes).
const TRICKY = [
  ...['true', 'True', 'TRUE', 'false', 'yes', 'Yes', 'YES', 'no', 'No', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'y', 'Y', 'n', 'N'],
  ...['null', 'Null', 'NULL', '~', '', 'nil', 'none', 'truex', 'yess'],
  ...[
    '0',
    '12',
    '-3',
    '+4',
    '012',
    '08',
    '0o17',
    '0x1F',
    '0x1_F',
    '0b101',
    '-0b1',
    '1_000',
    '1,000',
    '190:20:30',
    '1:20',
    '1:60',
    '12:30:45.5',
  ],
  ...[
    '1.5',
    '.5',
    '1.',
    '.',
    '-.',
    '+',
    '-',
    '1e3',
    '1E+3',
    '1e',
    '.inf',
    '-.Inf',
    '.nan',
    '.NaN',
    'nan',
    'inf',
    '1.20.3',
    'v1.2',
    '500m',
    '512Mi',
    '25%',
  ],
  ...['2001-12-14', '2001-12-14 10:00:00', '2001-12-14t10:00:00Z', '2001-12-14T10:00:00.5+05:30', '2001-1-1', '01-12-14'],
  ...[
    '---',
    '--- x',
    '...',
    '...x',
    '--x',
    '- x',
    '-x',
    '? x',
    '?x',
    '?',
    ':',
    ':x',
    'x:',
    'x: y',
    'x:y',
    'http://a:80/b',
    'a #b',
    'a#b',
    '#a',
  ],
  ...[
    ' x',
    'x ',
    'a b',
    '*',
    '*.example.com',
    '&a',
    '!a',
    '|a',
    '>a',
    '%a',
    '@a',
    '`a',
    ',a',
    '[a]',
    '{a}',
    'a,b',
    'a[b]',
    '=a',
    '<<',
    '<<x',
  ],
  ...["it's", 'say "hi"', `both ' and "`, 'back\\slash', '"', "'", 'tab\there', 'line\nbreak', 'é', '\u0007', 'a'.repeat(1025)],
];

/** A small deterministic generator of JSON-like documents mixing tricky strings and numbers. */
function generator(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
  const text = () => (next() < 0.6 ? pick(TRICKY) : Array.from({ length: Math.floor(next() * 6) }, () => pick(printable)).join(''));
  const scalars = [text, () => Math.floor(next() * 2000) - 1000, () => next(), () => next() < 0.5, () => null, () => -0, () => 2 ** 60];
  const value = (depth: number): unknown => {
    const r = next();
    if (depth > 4 || r < 0.4) return pick(scalars)();
    if (r < 0.7) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    const map: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 4); i > 0; i--) map[text()] = value(depth + 1);
    return map;
  };
  return () => {
    const doc: Record<string, unknown> = {};
    for (let i = 1 + Math.floor(next() * 4); i > 0; i--) doc[text()] = value(0);
    return doc;
  };
}

describe('stringifyDocument', () => {
  test.each(TRICKY.map((s) => [s]))('prints %j as cdk8s does, as a key, a value and an item', (s) => {
    const doc = { [s]: s, list: [s, [s], { [s]: [s] }], nested: { [s]: { k: s } } };
    expect(stringifyDocument(doc)).toBe(Yaml.stringify(doc));
  });

  test('prints 20,000 generated documents exactly as cdk8s does', () => {
    const next = generator(7);
    let printedItself = 0;
    for (let i = 0; i < 20_000; i++) {
      const doc = next();
      const expected = Yaml.stringify(doc);
      let actual = '';
      if (fallbacks(() => (actual = stringifyDocument(doc))) === 0) printedItself++;
      if (actual !== expected) throw new Error(`differs for ${JSON.stringify(doc)}:\n${expected}\n--- vs ---\n${actual}`);
    }
    // The generator mixes in floats and odd strings on purpose; the rest is printed directly.
    expect(printedItself).toBeGreaterThan(3000);
  });

  test('collections: empty ones inline, sequences indented under their key, items starting on the dash line', () => {
    const doc = { a: {}, b: [], c: [[], {}, [1, [2, 3]], { x: { k: [{ z: null }] }, w: true }], d: { e: [[{ f: 'g' }]] } };
    const text = stringifyDocument(doc);
    expect(text).toBe(Yaml.stringify(doc));
    expect(text).toContain(
      'a: {}\nb: []\nc:\n  - []\n  - {}\n  - - 1\n    - - 2\n      - 3\n  - x:\n      k:\n        - z: null\n    w: true\n',
    );
  });

  test.each(fs.readdirSync(GOLDEN).map((f) => [f]))('the tutorial file %s is printed byte for byte, without the yaml package', (file) => {
    const golden = fs.readFileSync(path.join(GOLDEN, file), 'utf8');
    const docs = parseAllDocuments(golden, { version: '1.1' }).map((d) => d.toJS());
    expect(docs.length).toBeGreaterThan(0);
    let text = '';
    expect(fallbacks(() => (text = stringifyDocuments(docs)))).toBe(0);
    expect(text).toBe(golden);
  });

  test('a document it does not print itself goes whole to Yaml.stringify', () => {
    for (const doc of [
      { weight: 0.5 },
      { big: 2 ** 60 },
      { text: 'a\nb' },
      { unicode: 'é' },
      { date: new Date(0) },
      { nothing: undefined },
      [1],
      'x',
      {},
    ]) {
      let text = '';
      expect(fallbacks(() => (text = stringifyDocument(doc)))).toBe(1);
      expect(text).toBe(Yaml.stringify(doc));
    }
  });

  test('several documents are separated as cdk8s separates them', () => {
    const docs = [{ a: 1 }, { b: 'yes' }, { c: 1.5 }];
    expect(stringifyDocuments(docs)).toBe(Yaml.stringify(...docs));
    expect(stringifyDocuments([])).toBe(Yaml.stringify());
  });

  test('in pieces: each at least the size asked for but the last, together the whole text', () => {
    const next = generator(11);
    const docs = Array.from({ length: 200 }, next);
    const pieces = [...yamlPieces(docs, 500)];
    expect(pieces.length).toBeGreaterThan(5);
    for (const piece of pieces.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(500);
    expect(pieces.join('')).toBe(Yaml.stringify(...docs));
    expect([...yamlPieces([], 500)]).toEqual([]);
  });
});
