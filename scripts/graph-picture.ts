/**
 * Draws the tutorial's mesh for the README with the CLI itself:
 *   cdk8s-istio graph test/golden/yunqi-bank --format svg --call ... --out docs/yunqi-bank-mesh.svg
 * (test/golden/yunqi-bank holds exactly what `npm run synth` writes to dist/yunqi-bank).
 *
 * Usage: npm run docs:graph
 *
 * test/graph/picture.test.ts draws it again in memory and fails when the committed file differs.
 */
import * as path from 'path';
import { main } from '../lib/cli/main';

const ROOT = path.join(__dirname, '..');

/** The committed picture. */
export const PICTURE = path.join(ROOT, 'docs', 'yunqi-bank-mesh.svg');

/** The arguments of `cdk8s-istio graph` that draw it (paths relative to the repository). */
export const PICTURE_ARGS: readonly string[] = [
  'graph',
  'test/golden/yunqi-bank',
  '--format',
  'svg',
  '--call',
  'productpage=details',
  '--call',
  'productpage=addedvalues',
  '--call',
  'addedvalues=styletransfer.example.com',
];

if (require.main === module) {
  process.chdir(ROOT);
  process.exitCode = main([...PICTURE_ARGS, '--out', path.relative(ROOT, PICTURE)]);
}
