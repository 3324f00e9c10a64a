import { checkSchema } from '../../lib/analysis/schema-check';
import { checkRuleBook } from '../../lib/analysis/rule-book-check';
import { BOOKINFO } from './fixtures';
import { copy } from './helpers';

const JUNK: unknown[] = [null, 'x', -1, 1.5, true, [], {}, [null], { a: null }];

/** Every path to a value in `object`, as key lists. */
function paths(object: any, prefix: (string | number)[] = []): (string | number)[][] {
  if (object === null || typeof object !== 'object') return [prefix];
  const keys = Array.isArray(object) ? object.map((_, i) => i) : Object.keys(object);
  return [prefix, ...keys.flatMap((k) => paths(object[k], [...prefix, k]))];
}

describe('checks survive malformed input', () => {
  test('replacing any value of a fixture with junk never throws', () => {
    let runs = 0;
    for (const base of BOOKINFO) {
      for (const path of paths(base)) {
        if (path.length === 0 || path[0] === 'apiVersion' || path[0] === 'kind') continue;
        for (const junk of JUNK) {
          const object = copy(base);
          let node = object;
          for (const key of path.slice(0, -1)) node = node[key];
          node[path[path.length - 1]] = junk;
          const manifest = { object, source: {} };
          expect(() => checkSchema(manifest)).not.toThrow();
          expect(() => checkRuleBook(manifest)).not.toThrow();
          runs++;
        }
      }
    }
    expect(runs).toBeGreaterThan(500);
  });
});
