import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../lib/cli/main';
import { PICTURE, PICTURE_ARGS } from '../../scripts/graph-picture';
import { expectGenerated } from '../support/generated-file';

test("the README's picture of the tutorial mesh is what the graph command draws now", () => {
  const cwd = process.cwd();
  let svg = '';
  try {
    process.chdir(path.join(__dirname, '..', '..'));
    expect(
      main([...PICTURE_ARGS], {
        stdout: (t) => (svg += t),
        stderr: (t) => {
          throw new Error(t);
        },
      }),
    ).toBe(0);
  } finally {
    process.chdir(cwd);
  }
  expect(svg).toContain('end-user ^= yunqi');
  expectGenerated('docs/yunqi-bank-mesh.svg', fs.readFileSync(PICTURE, 'utf8'), svg, 'Run `npm run docs:graph`.');
});
