/**
 * The kill campaign of the atomic output writer, longer than the test's: writers of 3000 files
 * into one outdir killed with SIGKILL at random moments and at each step of the commit.
 * Usage: ts-node --transpile-only scripts/fuzz-kill.ts [random kills] [aimed kills per step] [files]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { killCampaign } from '../test/app/kill-harness';

async function main(): Promise<void> {
  const [random = 40, aimed = 5, files = 3000] = process.argv.slice(2).map(Number);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-kill-'));
  try {
    const started = Date.now();
    const figures = await killCampaign(dir, files, random, aimed, Date.now() & 0xffff);
    console.log(JSON.stringify({ files, ...figures, seconds: (Date.now() - started) / 1000 }, null, 2));
    const bad = (figures.afterKill.mixed ?? 0) + (figures.afterRecovery.mixed ?? 0) + (figures.afterRecovery.absent ?? 0);
    if (bad > 0 || figures.leftoversAfterRecovery > 0) process.exitCode = 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
