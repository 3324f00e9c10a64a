import * as fs from 'fs';
import * as path from 'path';

/** The golden files of the examples. */
export const GOLDEN = path.join(__dirname, '..', 'golden');

/**
 * Expects `actual` to equal the golden file `relative` (under test/golden/). With UPDATE_GOLDEN=1
 * it rewrites the golden file first (after an intended change: `UPDATE_GOLDEN=1 npx jest test/examples`).
 */
export function expectGolden(relative: string, actual: string): void {
  const golden = path.join(GOLDEN, relative);
  if (process.env.UPDATE_GOLDEN) {
    fs.mkdirSync(path.dirname(golden), { recursive: true });
    fs.writeFileSync(golden, actual);
  }
  expect(actual).toEqual(fs.readFileSync(golden, 'utf8'));
}
