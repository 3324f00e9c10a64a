import * as fs from 'fs';
import * as path from 'path';
import { Composer, CST, Document, LineCounter, Parser, ScalarTag, Tags } from 'yaml';
import { Manifest } from '../analysis/finding';

/** A problem with the input files (missing, unreadable, invalid YAML, over a limit): exit status 2. @internal */
export class InputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** What the loader will read; beyond it, it stops with an {@link InputError}. @internal */
export interface LoadLimits {
  /** Largest file read, in bytes (`--max-file-size`, in MiB). */
  readonly maxFileBytes: number;
  /**
   * Largest single document, in bytes (`--max-document-size`, in MiB): the YAML tree of one
   * document takes up to 100 times its size while it is read, so a huge document is refused
   * before it is parsed. The API server takes at most 3 MiB per object.
   */
  readonly maxDocumentBytes: number;
  /** Deepest nesting of sequences and mappings in a document. */
  readonly maxDepth: number;
  /** Most alias expansions in a document (the `yaml` package's count, which weighs nested aliases). */
  readonly maxAliasCount: number;
}

/** Default of `--max-file-size`, in MiB. @internal */
export const DEFAULT_MAX_FILE_MIB = 16;

/** @internal */
/** Default of `--max-document-size`, in MiB. @internal */
export const DEFAULT_MAX_DOCUMENT_MIB = 4;

/** @internal */
export const DEFAULT_LIMITS: LoadLimits = {
  maxFileBytes: DEFAULT_MAX_FILE_MIB * 1024 * 1024,
  maxDocumentBytes: DEFAULT_MAX_DOCUMENT_MIB * 1024 * 1024,
  maxDepth: 200,
  maxAliasCount: 1000,
};

const YAML_FILE = /\.ya?ml$/i;

/**
 * Every `.yaml`/`.yml` file below the given paths (files given explicitly are taken whatever
 * their extension), sorted by path, without duplicates. A path that is neither a folder nor a
 * regular file (a device such as `/dev/zero`, a FIFO, a socket) is refused before it is opened;
 * inside folders such entries are skipped. @internal
 */
export function collectFiles(paths: readonly string[]): string[] {
  const files = new Set<string>();
  const visited = new Set<string>();
  const walk = (dir: string) => {
    const real = fs.realpathSync(dir);
    if (visited.has(real)) return;
    visited.add(real);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const stat = entry.isSymbolicLink() ? safeStat(full) : entry;
      if (!stat) continue;
      if (stat.isDirectory()) walk(full);
      else if (stat.isFile() && YAML_FILE.test(entry.name)) files.add(full);
    }
  };
  for (const p of paths) {
    const stat = safeStat(p);
    if (!stat) throw new InputError(`${p}: no such file or directory`);
    if (!stat.isDirectory() && !stat.isFile()) throw new InputError(`${p}: ${notRegular(stat)}`);
    try {
      if (stat.isDirectory()) walk(p);
      else files.add(p);
    } catch (e) {
      throw new InputError(`${p}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  return [...files].sort();
}

function notRegular(stat: fs.Stats): string {
  const what = stat.isFIFO()
    ? 'a FIFO (named pipe)'
    : stat.isCharacterDevice() || stat.isBlockDevice()
      ? 'a device'
      : stat.isSocket()
        ? 'a socket'
        : 'not a regular file';
  return `${what}, not a file of manifests; give a regular file or a folder`;
}

/**
 * Reads the objects of every document of `file` as `kubectl apply` reads them, with the line each
 * document starts on. Documents are composed one at a time from the parsed stream, so that only
 * the objects stay in memory, not the YAML trees. @internal
 */
export function loadFile(file: string, limits: LoadLimits = DEFAULT_LIMITS): Manifest[] {
  return parseManifests(readBounded(file, limits.maxFileBytes), file, limits);
}

/** The text of a regular file of at most `max` bytes; anything else is refused before it is read. */
function readBounded(file: string, max: number): string {
  const fail = (e: unknown) => new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  const tooLarge = (size: number) =>
    new InputError(
      `${file}: ${size} bytes, over the limit of ${mib(max)} MiB per file; raise it with --max-file-size <MiB> if the file is meant to be read`,
    );
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    throw fail(e);
  }
  if (!stat.isFile()) throw new InputError(`${file}: ${notRegular(stat)}`);
  if (stat.size > max) throw tooLarge(stat.size);
  let fd: number;
  try {
    // Non-blocking: if the path became a FIFO since the check, opening it does not wait for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw fail(e);
  }
  try {
    const opened = fs.fstatSync(fd);
    if (!opened.isFile()) throw new InputError(`${file}: ${notRegular(opened)}`);
    // Reads at most max + 1 bytes, whatever the file grows to meanwhile.
    let buffer = Buffer.allocUnsafe(Math.min(max + 1, opened.size + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > max) throw tooLarge(length);
        const bigger = Buffer.allocUnsafe(Math.min(max + 1, buffer.length * 2 + 65536));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > max) throw tooLarge(length);
    return buffer.toString('utf8', 0, length);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw fail(e);
  } finally {
    fs.closeSync(fd);
  }
}

function mib(bytes: number): string {
  return String(Math.round((bytes / 1024 / 1024) * 100) / 100);
}

// Kubernetes reads YAML with sigs.k8s.io/yaml, that is go-yaml v2 (YAML 1.1 types) then JSON.
// The `yaml` package's 1.1 schema, adjusted to go-yaml v2: `0o17` is an integer too (Go's
// ParseInt), base-60 numbers (`1:20`) and timestamps stay strings, and !!binary, !!set,
// !!omap, !!pairs are not resolved into JavaScript types JSON has not.
const OCTAL_0O: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:int',
  format: 'OCT',
  test: /^[-+]?0o[0-7_]+$/,
  resolve: (text: string) => {
    const sign = text.startsWith('-') ? -1 : 1;
    return sign * parseInt(text.replace(/^[-+]/, '').slice(2).replace(/_/g, ''), 8);
  },
};
const NOT_GO_YAML = new Set([
  'TIME',
  'tag:yaml.org,2002:timestamp',
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:set',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
]);
const kubernetesTags = (tags: Tags): Tags => [
  ...tags.filter((t) => {
    const tag = t as ScalarTag;
    return !NOT_GO_YAML.has(tag.tag) && !NOT_GO_YAML.has(tag.format ?? '');
  }),
  OCTAL_0O,
];

/** The objects of the documents of `text` (see {@link loadFile}). @internal */
export function parseManifests(text: string, file: string, limits: LoadLimits = DEFAULT_LIMITS): Manifest[] {
  const lineCounter = new LineCounter();
  const composer = new Composer({ version: '1.1', customTags: kubernetesTags, logLevel: 'silent', prettyErrors: false });
  const manifests: Manifest[] = [];
  const where = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return `${file}:${pos.line}:${pos.col}`;
  };
  const take = (doc: Document.Parsed) => {
    const error = doc.errors[0];
    if (error) throw new InputError(`${where(error.pos[0])}: invalid YAML: ${error.message.split('\n')[0]}`);
    const start = (doc.contents as { range?: number[] } | null)?.range?.[0] ?? doc.range[0];
    const line = lineCounter.linePos(start).line;
    let value: any;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (e) {
      const message = (e as Error).message;
      if (/alias/i.test(message)) {
        throw new InputError(
          `${file}:${line}: aliases expand beyond the limit of ${limits.maxAliasCount}; write the document without them`,
        );
      }
      throw new InputError(`${file}:${line}: invalid YAML: ${message.split('\n')[0]}`);
    }
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new InputError(`${file}:${line}: the document is not a mapping (a Kubernetes object)`);
    }
    const nonFinite = findNonFinite(value);
    if (nonFinite !== undefined) {
      const [at, n] = nonFinite;
      const what = Number.isNaN(n) ? 'NaN (.nan)' : n > 0 ? 'infinite (.inf)' : 'infinite (-.inf)';
      throw new InputError(`${file}:${line}: ${at} is ${what}, which JSON (and so kubectl) cannot represent`);
    }
    // `kubectl get -o yaml` writes lists of objects.
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      for (const item of value.items) manifests.push({ object: item, source: { file, line } });
    } else {
      manifests.push({ object: value, source: { file, line } });
    }
  };
  checkDocumentSizes(text, file, limits.maxDocumentBytes);
  for (const token of new Parser(lineCounter.addNewLine).parse(text)) {
    if (token.type === 'document') checkAndAdjust(token, text, limits.maxDepth, where);
    for (const doc of composer.next(token)) take(doc);
  }
  for (const doc of composer.end()) take(doc);
  return manifests;
}

/**
 * Refuses a document longer than `max` characters, found by the `---` lines that start
 * documents, before anything is parsed. (A `---` line inside a block scalar splits too early,
 * which only makes a piece shorter than its document: the file's own limit still bounds it.)
 */
function checkDocumentSizes(text: string, file: string, max: number): void {
  if (text.length <= max) return;
  const marker = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
  let start = 0;
  let line = 1;
  const check = (end: number) => {
    if (end - start > max) {
      throw new InputError(
        `${file}:${line}: a single YAML document of more than ${mib(max)} MiB (${end - start} characters); the API server takes at most 3 MiB per object: split it into documents, or raise --max-document-size <MiB>`,
      );
    }
  };
  for (let m = marker.exec(text); m !== null; m = marker.exec(text)) {
    check(m.index);
    line += countLines(text, start, m.index);
    start = m.index;
  }
  check(text.length);
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Walks a document's syntax tree without recursion: refuses nesting beyond `maxDepth` and
 * mapping keys that are collections (go-yaml reads them, but they have no JSON form, so
 * kubectl refuses them), and reads plain scalars in flow collections as go-yaml does.
 */
function checkAndAdjust(doc: CST.Document, text: string, maxDepth: number, where: (offset: number) => string): void {
  const stack: [CST.Token | null | undefined, number][] = [[doc.value, 0]];
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (!token) continue;
    switch (token.type) {
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        if (depth >= maxDepth) {
          throw new InputError(
            `${where(token.offset)}: sequences and mappings nested deeper than ${maxDepth} levels; the loader reads no deeper`,
          );
        }
        if (token.type === 'flow-collection') adjustFlowItems(token, text);
        for (const item of token.items) {
          const key = 'key' in item ? item.key : undefined;
          if (key && (key.type === 'block-map' || key.type === 'block-seq' || key.type === 'flow-collection')) {
            throw new InputError(
              `${where(key.offset)}: a mapping key that is a sequence or mapping; Kubernetes objects (JSON) have string keys only`,
            );
          }
          stack.push([item.value, depth + 1]);
        }
        break;
      }
      default:
        break;
    }
  }
}

// go-yaml ends a plain scalar at `: ` or at a flow indicator, not at a `:` followed by a flow
// indicator as YAML 1.2 does: `[001:db8::]` holds the string `001:db8::`, not a mapping.
const FLOW_END = new Set([',', ']', '}']);
function adjustFlowItems(collection: CST.FlowCollection, text: string): void {
  const seq = collection.start.source === '[';
  collection.items = collection.items.map((item) => {
    const { key, sep, value } = item;
    if (!key || key.type !== 'scalar' || !sep || sep.length !== 1 || sep[0].type !== 'map-value-ind') return item;
    const colon = sep[0].offset;
    if (colon !== key.offset + key.source.length || !FLOW_END.has(text[colon + 1])) return item;
    if (value && !(value.type === 'scalar' && value.source === '')) return item;
    const scalar: CST.FlowScalar = { ...key, source: `${key.source}:` };
    return seq ? { start: item.start, value: scalar } : { start: item.start, key: scalar, sep: [] };
  });
}

/** The path and value of the first NaN or ±Infinity in `value`, if any. */
function findNonFinite(value: unknown): [string, number] | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'number' && !Number.isFinite(v)) return [at || '(document)', v];
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) v.forEach((x, i) => stack.push([x, `${at}[${i}]`]));
    else for (const k of Object.keys(v)) stack.push([(v as Record<string, unknown>)[k], at ? `${at}.${k}` : k]);
  }
  return undefined;
}

function safeStat(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/** Reads every manifest below `paths` (an InputError, exit status 2, on unreadable input). @internal */
export function readManifests(paths: readonly string[], limits: LoadLimits = DEFAULT_LIMITS): Manifest[] {
  const files = collectFiles(paths);
  if (files.length === 0) throw new InputError(`no .yaml or .yml files found in ${paths.join(', ')}`);
  const manifests: Manifest[] = [];
  for (const file of files) for (const m of loadFile(file, limits)) manifests.push(m);
  return manifests;
}
