import { Yaml } from 'cdk8s';

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
