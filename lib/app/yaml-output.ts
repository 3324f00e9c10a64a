import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { IstioConfigError } from '../kinds/errors';

/**
 * YAML text of manifests, byte for byte what cdk8s's `Yaml.stringify` writes, but faster.
 *
 * cdk8s renders each document with the `yaml` package (`lineWidth: 0`, `keepUndefined`), which
 * builds a document tree for every object before printing it: at mesh scale that is about half
 * of a synth. Manifests are plain JSON, mostly short identifiers, so most documents can be
 * printed directly. This writer prints a document itself only when every value in it is of a
 * kind whose printing it knows exactly (see {@link formatScalar}); any other document, as a
 * whole, goes to `Yaml.stringify`. The tests compare both on the tutorial's files, on scalars
 * around every quoting rule and on generated documents with every printable ASCII character.
 * @internal
 */
export function stringifyDocuments(docs: readonly unknown[]): string {
  let text = '';
  for (const piece of yamlPieces(docs, Infinity)) text += piece;
  return text;
}

/**
 * The text of `stringifyDocuments(docs)` in pieces of at least `size` characters (the last one
 * may be shorter), so that a large file can be written without being held whole.
 * @internal
 */
export function* yamlPieces(docs: readonly unknown[], size: number): Generator<string> {
  let text = '';
  for (let i = 0; i < docs.length; i++) {
    if (i > 0) text += '---\n';
    text += stringifyDocument(docs[i]);
    if (text.length >= size) {
      yield text;
      text = '';
    }
  }
  if (text !== '') yield text;
}

/** One document, as `Yaml.stringify(doc)` prints it. @internal */
export function stringifyDocument(doc: unknown): string {
  if (isPlainObject(doc) && Object.keys(doc).length > 0) {
    const out: string[] = [];
    if (writePairs(doc, '', false, out)) return out.join('');
  }
  return Yaml.stringify(doc);
}

// Printing rules of the `yaml` package (v2) for block collections, with 2-space indentation and
// sequences indented under their key. Each writer returns false when it meets a value it does
// not print itself; the caller then falls back to `Yaml.stringify` for the whole document.

/** `key: value` lines of a non-empty map; the first line's indentation is already written when `inline`. */
function writePairs(map: Record<string, unknown>, indent: string, inline: boolean, out: string[]): boolean {
  let first = true;
  for (const key in map) {
    if (!Object.prototype.hasOwnProperty.call(map, key)) return false;
    // Longer keys are printed as explicit `? key` entries.
    const k = key.length <= 1024 ? formatScalar(key) : undefined;
    if (k === undefined) return false;
    out.push(first && inline ? k : indent + k, ':');
    first = false;
    if (!writeValue(map[key], indent, out)) return false;
  }
  return true;
}

/** The value after `key:` (a map's content goes on the next lines, 2 deeper). */
function writeValue(value: unknown, indent: string, out: string[]): boolean {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(' []\n');
      return true;
    }
    out.push('\n');
    return writeItems(value, indent + '  ', false, out);
  }
  if (isPlainObject(value)) {
    if (isEmpty(value)) {
      out.push(' {}\n');
      return true;
    }
    out.push('\n');
    return writePairs(value, indent + '  ', false, out);
  }
  const s = formatScalar(value);
  if (s === undefined) return false;
  out.push(' ', s, '\n');
  return true;
}

/** `- item` lines of a non-empty sequence; a map or sequence item starts on the dash's line. */
function writeItems(items: readonly unknown[], indent: string, inline: boolean, out: string[]): boolean {
  for (let i = 0; i < items.length; i++) {
    if (!(i in items)) return false;
    const item = items[i];
    out.push(i === 0 && inline ? '-' : indent + '-');
    if (Array.isArray(item)) {
      if (item.length === 0) out.push(' []\n');
      else if (!(out.push(' '), writeItems(item, indent + '  ', true, out))) return false;
    } else if (isPlainObject(item)) {
      if (isEmpty(item)) out.push(' {}\n');
      else if (!(out.push(' '), writePairs(item, indent + '  ', true, out))) return false;
    } else {
      const s = formatScalar(item);
      if (s === undefined) return false;
      out.push(' ', s, '\n');
    }
  }
  return true;
}

// A plain (unquoted) scalar may not start with an indicator, be a lone `-` or `?`, start with
// `- ` or `? `, contain `: ` or ` #`, or end with a space or `:`.
const NOT_PLAIN = /^[ ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-] |: | #|[ :]$/;
// Strings printed in ways that depend on their place: document markers, the merge key.
const PLACE_DEPENDENT = /^(?:---|\.\.\.)|^<<$/;
// Strings that would read back as something else than a string: cdk8s writes YAML 1.1, whose
// implicit types are null, booleans (`yes`, `off`, `y` …), integers (binary, octal, decimal,
// hex, base 60, `_` separators), floats and timestamps.
const OTHER_TYPE = new RegExp(
  [
    /^(?:~|[Nn]ull|NULL)?$/,
    /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON|N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
    /^[-+]?0b[01_]+$/,
    /^[-+]?0[0-7_]+$/,
    /^[-+]?[0-9][0-9_]*$/,
    /^[-+]?0x[0-9a-fA-F_]+$/,
    /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
    /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
    /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:t|T|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:[ \t]*(?:Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/,
  ]
    .map((r) => `(?:${r.source})`)
    .join('|'),
);
// Printable ASCII, spaces included: no escapes, no line breaks, no folding (lineWidth 0).
const PRINTABLE = /^[\x20-\x7e]*$/;

/**
 * A scalar as the `yaml` package prints it, or undefined when this writer leaves it to that
 * package: non-integer or unsafe numbers, strings with characters outside printable ASCII,
 * starting like a document marker, the merge key `<<`, or quoted and holding a backslash or both quote characters.
 */
function formatScalar(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      if (!PRINTABLE.test(value) || PLACE_DEPENDENT.test(value)) return undefined;
      if (value !== '' && !NOT_PLAIN.test(value) && !OTHER_TYPE.test(value)) return value;
      // Quoted: double quotes, unless the string holds a double quote and no single one.
      if (value.includes('\\')) return undefined;
      if (!value.includes('"')) return `"${value}"`;
      if (!value.includes("'")) return `'${value}'`;
      return undefined;
    case 'number':
      return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : undefined;
    default:
      return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isEmpty(map: Record<string, unknown>): boolean {
  for (const key in map) if (Object.prototype.hasOwnProperty.call(map, key)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Atomic output directory

/** Steps of a commit, in order; a test hook may stop the process at any of them. @internal */
export type CommitStep = 'staged' | 'old-moved-aside' | 'new-in-place' | 'done';

/** Options of an {@link OutputDirectory}. @internal */
export interface OutputDirectoryOptions {
  /** Extension of the YAML files a synth writes (`App.outputFileExtension`): what may be replaced. */
  readonly extension: string;
  /** Called at each step of the commit (tests stop the process there). */
  readonly onStep?: (step: CommitStep) => void;
}

const METADATA_FILE = 'construct-metadata.json';
/** The file `IstioApp` writes the mesh's picture to, by format (`IstioAppProps.graph`). @internal */
export const GRAPH_FILES: { readonly [format: string]: string } = {
  mermaid: 'mesh-graph.md',
  dot: 'mesh-graph.dot',
  svg: 'mesh-graph.svg',
  html: 'mesh-graph.html',
};
const TOP_LEVEL_FILES = new Set([METADATA_FILE, ...Object.values(GRAPH_FILES)]);
const READY = 'ready';

/**
 * The output folder of a synth, replaced as a whole, atomically with respect to a crash.
 *
 * The new set is written into `.<outdir>.tmp-<pid>-XXXXXX/out` next to `outdir`. `commit()` then
 * marks it complete (`ready`), moves the existing `outdir` aside into the same temporary
 * directory (`old`), renames `out` to `outdir`, and removes the temporary directory with the
 * previous set. Each step is one `rename(2)`, so `outdir` always holds one complete set: the
 * previous one, or the new one. The only moment it holds neither is between the two renames of a
 * directory; a synth killed exactly there leaves the complete new set, marked `ready`, which
 * the next synth into the same `outdir` moves into place before it starts (see
 * {@link recoverInterrupted}); any other leftover of an interrupted synth is removed then. A
 * rename that fails moves the previous set back.
 *
 * Files in `outdir` that this synth does not write are gone after it: the folder is the synth's.
 * For that reason an existing `outdir` is replaced only when it holds nothing but what a synth
 * writes (files ending in the output extension, `construct-metadata.json`, the mesh picture, and folders of such
 * files); otherwise the synth stops with an {@link IstioConfigError} naming the first other
 * entry, and writes nothing. File-system failures are reported the same way, naming the path.
 * Atomicity covers a killed process, not a power loss (files are not flushed to the disk).
 * @internal
 */
export class OutputDirectory {
  private readonly outdir: string;
  private readonly container: string;
  private readonly tmp: string;
  private readonly dirs = new Set<string>();

  public constructor(
    outdir: string,
    private readonly options: OutputDirectoryOptions,
  ) {
    this.outdir = resolveOutdir(outdir);
    const parent = path.dirname(this.outdir);
    fsStep('create the folder', parent, () => fs.mkdirSync(parent, { recursive: true }));
    recoverInterrupted(this.outdir);
    checkReplaceable(this.outdir, options.extension);
    // mkdtemp makes a private (0700) directory; the one that becomes `outdir` gets the usual mode.
    this.container = fsStep('create a temporary folder in', parent, () =>
      fs.mkdtempSync(path.join(parent, `${tmpPrefix(this.outdir)}${process.pid}-`)),
    );
    this.tmp = path.join(this.container, 'out');
    fsStep('create the folder', this.tmp, () => fs.mkdirSync(this.tmp));
  }

  /** Writes a file from its pieces; a file of one piece (most) with Node's one-call string write. */
  public write(relative: string, pieces: Iterable<string>): void {
    this.ensureDir(path.dirname(relative));
    const file = path.join(this.tmp, relative);
    fsStep('write', path.join(this.outdir, relative), () => {
      const next = pieces[Symbol.iterator]();
      const first = next.next();
      let piece = first.done ? first : next.next();
      if (piece.done) {
        fs.writeFileSync(file, first.done ? '' : first.value);
        return;
      }
      const fd = fs.openSync(file, 'w');
      try {
        fs.writeFileSync(fd, first.value);
        for (; !piece.done; piece = next.next()) fs.writeFileSync(fd, piece.value);
      } finally {
        fs.closeSync(fd);
      }
    });
  }

  /** Puts the new set in place of `outdir` (see the class comment). */
  public commit(): void {
    const step = this.options.onStep ?? (() => undefined);
    const old = path.join(this.container, 'old');
    fsStep('write', path.join(this.container, READY), () => fs.writeFileSync(path.join(this.container, READY), ''));
    step('staged');
    const existed = fs.existsSync(this.outdir);
    if (existed) fsStep('move aside the previous output', this.outdir, () => fs.renameSync(this.outdir, old));
    step('old-moved-aside');
    try {
      fs.renameSync(this.tmp, this.outdir);
    } catch (e) {
      if (existed) {
        try {
          fs.renameSync(old, this.outdir);
        } catch {
          throw ioError(`move the new output into place at`, this.outdir, e, `; the previous output is in ${old}`);
        }
      }
      throw ioError('move the new output into place at', this.outdir, e, existed ? '; the previous output was put back' : '');
    }
    step('new-in-place');
    this.dispose();
    step('done');
  }

  /** Removes the temporary folder and what is left in it (the previous set after a commit). */
  public dispose(): void {
    fs.rmSync(this.container, { recursive: true, force: true });
  }

  private ensureDir(relative: string): void {
    if (relative === '.' || this.dirs.has(relative)) return;
    const dir = path.join(this.tmp, relative);
    fsStep('create the folder', path.join(this.outdir, relative), () => fs.mkdirSync(dir, { recursive: true }));
    this.dirs.add(relative);
  }
}

/** The name prefix of the temporary folders of synths into `outdir`. */
function tmpPrefix(outdir: string): string {
  return `.${path.basename(outdir)}.tmp-`;
}

/** `outdir` as an absolute path; an existing symbolic link is followed (its target is replaced). */
function resolveOutdir(outdir: string): string {
  const absolute = path.resolve(outdir);
  try {
    return fs.realpathSync(absolute);
  } catch {
    return absolute;
  }
}

/**
 * Finishes or removes what interrupted synths into `outdir` left next to it: a complete new set
 * (marked `ready`) whose `outdir` is missing is moved into place; lacking one, a previous set
 * moved aside is moved back; then the temporary folder is removed. Folders of synths still
 * running (their process id is alive) are left alone.
 * @internal
 */
export function recoverInterrupted(outdir: string): void {
  const parent = path.dirname(outdir);
  const prefix = tmpPrefix(outdir);
  let entries: string[];
  try {
    entries = fs.readdirSync(parent).filter((e) => e.startsWith(prefix));
  } catch {
    return;
  }
  for (const entry of entries.sort()) {
    const pid = Number(/^(\d+)-/.exec(entry.slice(prefix.length))?.[1]);
    if (pid !== process.pid && Number.isSafeInteger(pid) && isAlive(pid)) continue;
    const container = path.join(parent, entry);
    if (!fs.existsSync(outdir)) {
      const out = path.join(container, 'out');
      const old = path.join(container, 'old');
      const source = fs.existsSync(path.join(container, READY)) && fs.existsSync(out) ? out : fs.existsSync(old) ? old : undefined;
      if (source) fsStep('recover the output of an interrupted synth into', outdir, () => fs.renameSync(source, outdir));
    }
    fsStep('remove the leftovers of an interrupted synth in', container, () => fs.rmSync(container, { recursive: true, force: true }));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Throws unless `outdir` is missing or a folder holding only what a synth writes. */
function checkReplaceable(outdir: string, extension: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(outdir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw ioError('read', outdir, e);
  }
  if (!stat.isDirectory()) {
    throw new IstioConfigError(`cannot write the output to '${outdir}': it is a file, not a folder; remove it or choose another outdir`);
  }
  const foreign = (dir: string, depth: number): string | undefined => {
    for (const entry of fsStep('read', dir, () => fs.readdirSync(dir, { withFileTypes: true }))) {
      const full = path.join(dir, entry.name);
      if (entry.isFile() && (entry.name.endsWith(extension) || (depth === 0 && TOP_LEVEL_FILES.has(entry.name)))) continue;
      if (entry.isDirectory() && depth === 0) {
        const inner = foreign(full, 1);
        if (inner === undefined) continue;
        return inner;
      }
      return full;
    }
    return undefined;
  };
  const other = foreign(outdir, 0);
  if (other !== undefined) {
    throw new IstioConfigError(
      `cannot write the output to '${outdir}': it holds '${path.relative(outdir, other)}', which synth does not write; synth replaces the whole folder, so move that away or choose another outdir`,
    );
  }
}

const FS_REASONS: Record<string, string> = {
  EISDIR: 'a folder is in the way',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'something already exists there',
  ENOENT: 'a part of the path does not exist',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EXDEV: 'it is on another file system',
  ENOTEMPTY: 'a folder that is not empty is in the way',
  EBUSY: 'it is busy (a mount point or in use)',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
};

/** Our error for a failed file-system call: what we tried, on which path, and why in words. */
function ioError(what: string, file: string, e: unknown, tail = ''): IstioConfigError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const reason = (code && FS_REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
  return new IstioConfigError(`cannot ${what} '${file}': ${reason}${tail}`);
}

function fsStep<T>(what: string, file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if ((e as IstioConfigError)?.isIstioConfigError) throw e;
    throw ioError(what, file, e);
  }
}
