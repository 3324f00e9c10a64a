import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { OutputDirectory, recoverInterrupted, stringifyDocument, stringifyDocuments, yamlPieces } from '../../lib/app/yaml-output';
import { killCampaign, leftovers } from './kill-harness';

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

describe('OutputDirectory', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'out-'));
  const options = { extension: '.k8s.yaml' };
  const writeSet = (outdir: string, files: Record<string, string>) => {
    const out = new OutputDirectory(outdir, options);
    try {
      for (const [name, text] of Object.entries(files)) out.write(name, [text]);
      out.commit();
    } finally {
      out.dispose();
    }
  };
  const tree = (dir: string): Record<string, string> => {
    const files: Record<string, string> = {};
    const walk = (d: string, prefix: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
        if (e.isDirectory()) walk(path.join(d, e.name), `${prefix}${e.name}/`);
        else files[`${prefix}${e.name}`] = fs.readFileSync(path.join(d, e.name), 'utf8');
      }
    };
    walk(dir, '');
    return files;
  };
  const errorOf = (fn: () => void): Error => {
    try {
      fn();
    } catch (e) {
      return e as Error;
    }
    throw new Error('did not throw');
  };

  test('a new outdir gets the whole set, with no temporary folder left beside it', () => {
    const outdir = path.join(tmp(), 'dist');
    writeSet(outdir, { 'a.k8s.yaml': 'a: 1\n', 'chart/b.k8s.yaml': 'b: 2\n' });
    expect(tree(outdir)).toEqual({ 'a.k8s.yaml': 'a: 1\n', 'chart/b.k8s.yaml': 'b: 2\n' });
    expect(leftovers(outdir)).toEqual([]);
  });

  test('an existing outdir is replaced as a whole: files this synth does not write are gone', () => {
    const outdir = path.join(tmp(), 'dist');
    writeSet(outdir, { 'old.k8s.yaml': 'old\n', 'same.k8s.yaml': 'v1\n', 'construct-metadata.json': '{}', 'c/x.k8s.yaml': 'x' });
    writeSet(outdir, { 'same.k8s.yaml': 'v2\n', 'new.k8s.yaml': 'new\n' });
    expect(tree(outdir)).toEqual({ 'same.k8s.yaml': 'v2\n', 'new.k8s.yaml': 'new\n' });
    expect(leftovers(outdir)).toEqual([]);
  });

  test('an outdir holding anything synth does not write is refused, untouched', () => {
    const outdir = tmp();
    fs.writeFileSync(path.join(outdir, 'a.k8s.yaml'), 'mine');
    fs.mkdirSync(path.join(outdir, 'chart'));
    fs.writeFileSync(path.join(outdir, 'chart', 'notes.txt'), 'keep me');
    const error = errorOf(() => writeSet(outdir, { 'a.k8s.yaml': 'new' }));
    expect(error.name).toBe('IstioConfigError');
    expect(error.message).toBe(
      `cannot write the output to '${fs.realpathSync(outdir)}': it holds 'chart/notes.txt', which synth does not write; synth replaces the whole folder, so move that away or choose another outdir`,
    );
    expect(tree(outdir)).toEqual({ 'a.k8s.yaml': 'mine', 'chart/notes.txt': 'keep me' });
    expect(leftovers(outdir)).toEqual([]);
  });

  test('an outdir that is a file, or below a file, is our error naming the path (no raw ENOTDIR)', () => {
    const dir = tmp();
    const file = path.join(dir, 'dist');
    fs.writeFileSync(file, 'not a folder');
    expect(errorOf(() => writeSet(file, { 'a.k8s.yaml': 'a' })).message).toBe(
      `cannot write the output to '${file}': it is a file, not a folder; remove it or choose another outdir`,
    );
    const below = errorOf(() => writeSet(path.join(file, 'sub', 'dist'), { 'a.k8s.yaml': 'a' }));
    expect(below.name).toBe('IstioConfigError');
    expect(below.message).toBe(`cannot create the folder '${path.join(file, 'sub')}': a part of the path is a file, not a folder`);
    expect(fs.readFileSync(file, 'utf8')).toBe('not a folder');
  });

  test('a folder in the way of a file name is our error naming the file (no raw EISDIR), nothing written', () => {
    const outdir = path.join(tmp(), 'dist');
    const out = new OutputDirectory(outdir, options);
    try {
      out.write('x.k8s.yaml/y.k8s.yaml', ['y']);
      const error = errorOf(() => out.write('x.k8s.yaml', ['x']));
      expect(error.name).toBe('IstioConfigError');
      expect(error.message).toBe(`cannot write '${path.join(outdir, 'x.k8s.yaml')}': a folder is in the way`);
    } finally {
      out.dispose();
    }
    expect(fs.existsSync(outdir)).toBe(false);
    expect(leftovers(outdir)).toEqual([]);
  });

  test.each([
    [1, 'the previous output is moved aside'],
    [2, 'the new output is moved into place'],
  ])('a rename failing (call %i: when %s) leaves the complete previous set and no temporary folder', (failing) => {
    const outdir = path.join(tmp(), 'dist');
    const previous = { 'a.k8s.yaml': 'a1\n', 'b.k8s.yaml': 'b1\n' };
    writeSet(outdir, previous);
    // The module object itself: the writer's `import * as fs` reads through to it.
    const nodeFs: typeof fs = jest.requireActual('fs');
    const rename = nodeFs.renameSync;
    let calls = 0;
    const spy = jest.spyOn(nodeFs, 'renameSync').mockImplementation((from, to) => {
      if (++calls === failing) throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
      rename(from, to);
    });
    let error: Error;
    try {
      error = errorOf(() => writeSet(outdir, { 'a.k8s.yaml': 'a2\n' }));
    } finally {
      spy.mockRestore();
    }
    expect(error.name).toBe('IstioConfigError');
    expect(error.message).toMatch(
      new RegExp(`^cannot (move aside the previous output|move the new output into place at) '${outdir}': it is on another file system`),
    );
    expect(error.message).not.toContain('EXDEV');
    expect(tree(outdir)).toEqual(previous);
    expect(leftovers(outdir)).toEqual([]);
  });

  test('the next synth finishes an interrupted commit: a complete new set marked ready replaces a missing outdir', () => {
    const dir = tmp();
    const outdir = path.join(dir, 'dist');
    const container = path.join(dir, '.dist.tmp-999999999-abc');
    fs.mkdirSync(path.join(container, 'out'), { recursive: true });
    fs.mkdirSync(path.join(container, 'old'));
    fs.writeFileSync(path.join(container, 'out', 'new.k8s.yaml'), 'new');
    fs.writeFileSync(path.join(container, 'old', 'old.k8s.yaml'), 'old');
    fs.writeFileSync(path.join(container, 'ready'), '');
    recoverInterrupted(outdir);
    expect(tree(outdir)).toEqual({ 'new.k8s.yaml': 'new' });
    expect(leftovers(outdir)).toEqual([]);
  });

  test('without the ready mark, the previous set moved aside is put back; a half-written set is removed', () => {
    const dir = tmp();
    const outdir = path.join(dir, 'dist');
    const container = path.join(dir, '.dist.tmp-abcdef');
    fs.mkdirSync(path.join(container, 'out'), { recursive: true });
    fs.mkdirSync(path.join(container, 'old'));
    fs.writeFileSync(path.join(container, 'out', 'half.k8s.yaml'), 'half');
    fs.writeFileSync(path.join(container, 'old', 'old.k8s.yaml'), 'old');
    writeSet(outdir, { 'next.k8s.yaml': 'next' });
    // The synth recovered the previous set first, then replaced it with its own.
    expect(tree(outdir)).toEqual({ 'next.k8s.yaml': 'next' });
    expect(leftovers(outdir)).toEqual([]);
  });

  test('the temporary folder of a synth still running (its process is alive) is left alone', () => {
    const dir = tmp();
    const outdir = path.join(dir, 'dist');
    const running = path.join(dir, `.dist.tmp-${process.ppid}-xyz`);
    fs.mkdirSync(path.join(running, 'out'), { recursive: true });
    recoverInterrupted(outdir);
    expect(fs.existsSync(running)).toBe(true);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  // Children killed with SIGKILL at random moments of a run and at each step of the commit.
  test('killed at any moment, outdir holds one complete set, and the next synth leaves no temporary folder', async () => {
    const figures = await killCampaign(tmp(), 200, 12, 2);
    expect(figures.kills).toBeGreaterThanOrEqual(20);
    expect(figures.afterKill.mixed ?? 0).toBe(0);
    expect(figures.afterRecovery.mixed ?? 0).toBe(0);
    expect(figures.afterRecovery.absent ?? 0).toBe(0);
    expect(figures.leftoversAfterRecovery).toBe(0);
    // Aimed kills between the two renames find outdir missing until the recovery.
    expect(figures.afterKill.absent).toBe(2);
  }, 120_000);
});
