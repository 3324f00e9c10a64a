import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Gives the test run a temporary directory of its own: cdk8s's `Testing.app()` and our tests
 * create a directory under `os.tmpdir()` per app (hundreds per run), and nothing removes them.
 * `TMPDIR` is set before the workers start, so they inherit it; global-teardown.ts removes it.
 */
export default function globalSetup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-test-'));
  process.env.CDK8S_ISTIO_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
}
