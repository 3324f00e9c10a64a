/**
 * Summarizes a `node --cpu-prof` profile: self and inclusive time per function and self time per
 * module, the top entries of each; or a `node --heap-prof` profile (`.heapprofile`: the sampled
 * allocations still live when the process ended), in the same form with sizes instead of times.
 *
 *   node dist/bench/bench/cpuprofile.js FILE.cpuprofile|FILE.heapprofile [--top 30] [--match REGEX]
 *
 * `--match` keeps only the functions whose `name module:line` matches, e.g. `lib/analysis`.
 */
import * as fs from 'fs';
import * as path from 'path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: number[];
}

interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** A short, stable name for a script: `lib/analysis/engine`, `cdk8s/lib/resolve`, `yaml`, `node:fs`. */
function moduleOf(url: string): string {
  if (url === '') return '(native)';
  let file = url.replace(/^file:\/\//, '');
  if (file.startsWith('node:')) return file;
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + 'node_modules/'.length).split('/');
    const pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    // Packages are grouped whole, except cdk8s itself where the file says which step it is.
    return pkg === 'cdk8s' ? `cdk8s/${rest.slice(1).join('/').replace(/\.js$/, '')}` : pkg;
  }
  file = path.relative(path.join(ROOT, 'dist', 'bench'), file);
  return file.replace(/\.js$/, '');
}

function functionKey(node: ProfileNode): string {
  const f = node.callFrame;
  return `${f.functionName || '(anonymous)'} ${moduleOf(f.url)}:${f.lineNumber + 1}`;
}

export function summarize(file: string, top: number, match?: RegExp): string {
  const profile: Profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const modules = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const leaf = byId.get(id)!;
    const key = functionKey(leaf);
    self.set(key, (self.get(key) ?? 0) + dt);
    const mod = ['(garbage collector)', '(idle)', '(program)'].includes(leaf.callFrame.functionName)
      ? leaf.callFrame.functionName
      : moduleOf(leaf.callFrame.url);
    modules.set(mod, (modules.get(mod) ?? 0) + dt);
    const seen = new Set<string>();
    for (let n: ProfileNode | undefined = leaf; n; n = parent.has(n.id) ? byId.get(parent.get(n.id)!) : undefined) {
      const k = functionKey(n);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  });
  const list = (m: Map<string, number>) =>
    [...m.entries()]
      .filter(([k]) => !match || match.test(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `  ${v.toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return [
    `${path.basename(file)}: ${total.toFixed(0)} ms sampled`,
    'self time by module:',
    list(modules),
    'self time by function:',
    list(self),
    'inclusive time by function:',
    list(inclusive),
  ].join('\n');
}

interface HeapNode {
  readonly callFrame: ProfileNode['callFrame'];
  readonly selfSize: number;
  readonly children: HeapNode[];
}

/** The same summary for a sampling heap profile: bytes allocated by each function and still live. */
export function summarizeHeap(file: string, top: number, match?: RegExp): string {
  const profile: { head: HeapNode } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const modules = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  let total = 0;
  // Returns the node's inclusive size; a function counts once per path even when recursive.
  const walk = (node: HeapNode, onPath: Set<string>): number => {
    const key = functionKey({ id: 0, callFrame: node.callFrame });
    add(self, key, node.selfSize);
    add(modules, moduleOf(node.callFrame.url), node.selfSize);
    total += node.selfSize;
    const fresh = !onPath.has(key);
    if (fresh) onPath.add(key);
    let size = node.selfSize;
    for (const c of node.children) size += walk(c, onPath);
    if (fresh) {
      onPath.delete(key);
      add(inclusive, key, size);
    }
    return size;
  };
  walk(profile.head, new Set());
  const mb = (v: number) => v / (1024 * 1024);
  const list = (m: Map<string, number>) =>
    [...m.entries()]
      .filter(([k]) => !match || match.test(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `  ${mb(v).toFixed(1).padStart(7)} MB ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return [
    `${path.basename(file)}: ${mb(total).toFixed(1)} MB sampled, live at exit`,
    'allocated by module:',
    list(modules),
    'allocated by function:',
    list(self),
    'inclusive by function:',
    list(inclusive),
  ].join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const option = (flag: string) => {
    const k = args.indexOf(flag);
    return k >= 0 ? args[k + 1] : undefined;
  };
  const top = Number(option('--top') ?? '30');
  const match = option('--match') !== undefined ? new RegExp(option('--match')!) : undefined;
  const values = new Set(
    ['--top', '--match']
      .map((f) => args.indexOf(f))
      .filter((k) => k >= 0)
      .map((k) => k + 1),
  );
  for (const file of args.filter((a, j) => !a.startsWith('--') && !values.has(j))) {
    const summary = file.endsWith('.heapprofile') ? summarizeHeap(file, top, match) : summarize(file, top, match);
    process.stdout.write(`${summary}\n\n`);
  }
}
