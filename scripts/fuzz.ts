/**
 * `npm run fuzz`: the property-based tests with many more runs (FUZZ_RUNS, default 2000, and a
 * seed of the clock unless FUZZ_SEED is set), then the kill campaign of the atomic writer.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');
const env = {
  ...process.env,
  FUZZ_RUNS: process.env.FUZZ_RUNS ?? '2000',
  FUZZ_SEED: process.env.FUZZ_SEED ?? String(Date.now() % 1_000_000),
  FUZZ_REPORT: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-')), 'counts.jsonl'),
};
console.log(`property runs: ${env.FUZZ_RUNS} per property, seed ${env.FUZZ_SEED}`);
const started = Date.now();
const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), 'test/property', '--maxWorkers=1', '--testTimeout=3600000'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
console.log(`property tests: exit ${jest.status} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
printCounts(env.FUZZ_REPORT);
const kill = spawnSync(
  process.execPath,
  ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'fuzz-kill.ts'), ...process.argv.slice(2)],
  {
    cwd: root,
    env: { ...env, TS_NODE_TRANSPILE_ONLY: '1' },
    stdio: 'inherit',
  },
);
process.exitCode = jest.status || kill.status || 0;

/** The figures of the construct properties: cases, and how valid-pool cases came out. */
function printCounts(file: string): void {
  if (!fs.existsSync(file)) return;
  const rows = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const sum = (k: string) => rows.reduce((n, r) => n + r[k], 0);
  for (const r of rows) {
    console.log(
      `${r.property}: ${r.accepted + r.refused} cases, ${r.accepted} accepted, ${r.refused} refused; valid pools: ${r.validAccepted} accepted, ${r.validRefusedDocumented} refused by a documented stricter rule`,
    );
  }
  console.log(
    `${rows.length} properties, ${sum('accepted') + sum('refused')} cases (${sum('accepted')} accepted, ${sum('refused')} refused); ` +
      `valid pools: ${sum('validAccepted')} accepted, ${sum('validRefusedDocumented')} refused by documented stricter rules. ` +
      'A case accepted but invalid, valid but refused otherwise, or a crash fails its property above.',
  );
}
