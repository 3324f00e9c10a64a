import * as fs from 'fs';
import * as path from 'path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { Manifest } from '../analysis/finding';

/** A problem with the input files (missing, unreadable, invalid YAML): exit status 2. @internal */
export class InputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

const YAML_FILE = /\.ya?ml$/i;

/**
 * Every `.yaml`/`.yml` file below the given paths (files given explicitly are taken whatever
 * their extension), sorted by path, without duplicates. @internal
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
    try {
      if (stat.isDirectory()) walk(p);
      else files.add(p);
    } catch (e) {
      throw new InputError(`${p}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  return [...files].sort();
}

/** Reads the objects of every document of `file`, with the line each document starts on. @internal */
export function loadFile(file: string): Manifest[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const manifests: Manifest[] = [];
  for (const doc of Array.isArray(docs) ? docs : []) {
    const error = doc.errors[0];
    if (error) {
      const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
      throw new InputError(`${file}:${pos.line}:${pos.col}: invalid YAML: ${error.message.split('\n')[0]}`);
    }
    const start = (doc.contents as any)?.range?.[0] ?? doc.range[0];
    const line = lineCounter.linePos(start).line;
    let value: any;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      throw new InputError(`${file}:${line}: invalid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new InputError(`${file}:${line}: the document is not a mapping (a Kubernetes object)`);
    }
    // `kubectl get -o yaml` writes lists of objects.
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      for (const item of value.items) manifests.push({ object: item, source: { file, line } });
    } else {
      manifests.push({ object: value, source: { file, line } });
    }
  }
  return manifests;
}

function safeStat(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}
