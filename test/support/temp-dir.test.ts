import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';

// The jest global setup gives the run a temporary directory that its teardown removes; anything a
// test (or cdk8s's Testing.app()) creates under os.tmpdir() must land inside it.
test('temporary directories of a test run land in the run’s own directory', () => {
  const runDir = process.env.CDK8S_ISTIO_TEST_TMPDIR;
  expect(runDir).toBeDefined();
  expect(os.tmpdir()).toBe(runDir);
  const app = Testing.app();
  expect(path.dirname(app.outdir)).toBe(runDir);
  expect(fs.existsSync(app.outdir)).toBe(true);
});
