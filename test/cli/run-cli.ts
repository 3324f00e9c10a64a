import { main } from '../../lib/cli/main';

/** Runs the CLI in-process with `argv`, capturing its output. */
export function runCli(...argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
