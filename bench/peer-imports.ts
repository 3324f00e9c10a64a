/**
 * The peer mode's Istio classes: what `cdk8s import <Istio's CRD bundle>` generates, generated at
 * bench time (never committed) and compiled to JavaScript the way a cdk8s project's build would.
 *
 * The directory is created under `dist/bench/` (ignored by git) rather than in the system's temp
 * directory, so that the generated modules resolve `cdk8s` and `constructs` from the repository's
 * node_modules, as they would in a user's project.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The repository root, from dist/bench/bench/ (compiled) or bench/ (ts-node). */
export const REPO_ROOT = path.resolve(__dirname, fs.existsSync(path.join(__dirname, '..', 'package.json')) ? '..' : '../../..');

/**
 * The CRD bundle's path: `--crds PATH`, else `$CDK8S_ISTIO_CRDS`, else the shared bundle next to the
 * repository (`../shared/istio/crds-1.30.3.yaml`), the one `npm run import` is run with.
 */
export function crdBundlePath(fromOption: string | undefined): string {
  return path.resolve(fromOption ?? process.env.CDK8S_ISTIO_CRDS ?? path.join(REPO_ROOT, '..', 'shared', 'istio', 'crds-1.30.3.yaml'));
}

/**
 * Runs `cdk8s import CRDS --language typescript` into a fresh directory under dist/bench/ and
 * compiles what it writes (TypeScript's transpiler, the repository's target and module options).
 * Returns the directory, which holds `networking.istio.io.js` among others; the caller deletes it.
 */
export function generatePeerImports(crds: string): { dir: string; ms: number } {
  if (!fs.existsSync(crds)) {
    throw new Error(`the peer mode needs Istio's CRD bundle: ${crds} does not exist (pass --crds PATH or set CDK8S_ISTIO_CRDS)`);
  }
  const start = Date.now();
  const parent = path.join(REPO_ROOT, 'dist', 'bench');
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(path.join(parent, 'peer-imports-'));
  const cli = path.join(REPO_ROOT, 'node_modules', '.bin', 'cdk8s');
  const run = spawnSync(cli, ['import', crds, '--language', 'typescript', '--output', dir], { encoding: 'utf8', cwd: dir });
  if (run.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`cdk8s import ${crds} failed (status ${run.status}):\n${run.stderr}${run.stdout}`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts: typeof import('typescript') = require('typescript');
  const sources = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  if (!sources.includes('networking.istio.io.ts')) {
    throw new Error(`cdk8s import ${crds} wrote no networking.istio.io.ts (wrote: ${sources.join(', ') || 'nothing'})`);
  }
  for (const file of sources) {
    const out = ts.transpileModule(fs.readFileSync(path.join(dir, file), 'utf8'), {
      compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, esModuleInterop: true },
      fileName: file,
    });
    fs.writeFileSync(path.join(dir, file.replace(/\.ts$/, '.js')), out.outputText);
  }
  return { dir, ms: Date.now() - start };
}
