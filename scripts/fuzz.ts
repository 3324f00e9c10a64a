/**
 * `npm run fuzz`: the property-based tests with many more runs (FUZZ_RUNS, default 2000, and a
 * seed of the clock unless FUZZ_SEED is set), then the kill campaign of the atomic writer.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const root = path.join(__dirname, '..');
const env = {
  ...process.env,
  FUZZ_RUNS: process.env.FUZZ_RUNS ?? '2000',
  FUZZ_SEED: process.env.FUZZ_SEED ?? String(Date.now() % 1_000_000),
};
console.log(`property runs: ${env.FUZZ_RUNS} per property, seed ${env.FUZZ_SEED}`);
const started = Date.now();
const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), 'test/property', '--maxWorkers=1', '--testTimeout=3600000'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
console.log(`property tests: exit ${jest.status} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
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
