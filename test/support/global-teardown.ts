import * as fs from 'fs';

/** Removes the run's temporary directory (see global-setup.ts). */
export default function globalTeardown(): void {
  const dir = process.env.CDK8S_ISTIO_TEST_TMPDIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
