import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { CommitStep, recoverInterrupted } from '../../lib/app/yaml-output';

const ROOT = path.join(__dirname, '..', '..');

/** Every step of a commit, where an aimed kill stops the child. */
export const STEPS: readonly CommitStep[] = ['staged', 'old-moved-aside', 'new-in-place', 'done'];

/**
 * Transpiles the writer (and the one module it imports) into `dir`, so that a child process
 * starts in a tenth of a second instead of loading a TypeScript compiler.
 */
export function compileWriter(dir: string): string {
  for (const file of ['lib/app/yaml-output.ts', 'lib/kinds/errors.ts']) {
    const out = path.join(dir, file.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
    fs.writeFileSync(
      out,
      ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
      }).outputText,
    );
  }
  return path.join(dir, 'lib/app/yaml-output.js');
}

// The child: writes `count` files of generation `gen` into outdir through OutputDirectory.
// With STOP_AT set, it reports the step on stdout and waits there to be killed.
const CHILD = `
const { OutputDirectory } = require(process.env.WRITER);
const [outdir, gen, count] = process.argv.slice(1);
const stopAt = process.env.STOP_AT;
const out = new OutputDirectory(outdir, {
  extension: '.k8s.yaml',
  onStep: (step) => {
    if (step !== stopAt) return;
    require('fs').writeSync(1, 'at ' + step + '\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);
  },
});
require('fs').writeSync(1, 'writing\\n');
for (let i = 0; i < Number(count); i++) {
  out.write('chart-' + String(i).padStart(5, '0') + '.k8s.yaml', ['generation: ' + gen + '\\nindex: ' + i + '\\n']);
}
out.commit();
`;

/**
 * What a folder holds: the name of a generation when it holds exactly that complete set
 * (`sets` gives each generation's file count), `absent`, or `mixed` (anything else).
 */
export function stateOf(outdir: string, sets: Record<string, number>): string {
  if (!fs.existsSync(outdir)) return 'absent';
  const files = fs.readdirSync(outdir).sort();
  for (const [gen, count] of Object.entries(sets)) {
    if (files.length !== count) continue;
    const complete = files.every(
      (f, i) =>
        f === `chart-${String(i).padStart(5, '0')}.k8s.yaml` &&
        fs.readFileSync(path.join(outdir, f), 'utf8') === `generation: ${gen}\nindex: ${i}\n`,
    );
    if (complete) return gen;
  }
  return 'mixed';
}

/** Temporary folders of synths left next to `outdir`. */
export function leftovers(outdir: string): string[] {
  return fs.readdirSync(path.dirname(outdir)).filter((e) => e.startsWith(`.${path.basename(outdir)}.tmp-`));
}

/**
 * Runs a child writing a set into `outdir`; `kill` decides when to SIGKILL it: at a commit step,
 * or some milliseconds after it starts writing. Resolves with whether it died of the kill.
 */
export function runChild(
  writer: string,
  outdir: string,
  gen: string,
  count: number,
  kill: { stopAt?: CommitStep; afterMs?: number },
): Promise<{ killed: boolean; ms: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD, outdir, gen, String(count)], {
      env: { ...process.env, WRITER: writer, STOP_AT: kill.stopAt ?? '', NODE_PATH: path.join(ROOT, 'node_modules') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const started = Date.now();
    let scheduled = false;
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      out += text;
      if (kill.stopAt !== undefined && out.includes(`at ${kill.stopAt}\n`)) {
        child.kill('SIGKILL');
      } else if (kill.afterMs !== undefined && !scheduled && out.includes('writing\n')) {
        scheduled = true;
        setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), kill.afterMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`the writer exited with ${code ?? signal}`));
      else resolve({ killed: signal === 'SIGKILL', ms: Date.now() - started });
    });
  });
}

/** Figures of a kill campaign. */
export interface KillFigures {
  readonly kills: number;
  readonly randomKills: number;
  readonly aimed: number;
  /** State of `outdir` right after each kill, by state. */
  readonly afterKill: Record<string, number>;
  /** State of `outdir` after the next synth's recovery, by state. */
  readonly afterRecovery: Record<string, number>;
  /** Temporary folders left after the recovery, summed over the kills. */
  readonly leftoversAfterRecovery: number;
  /** Temporary folders right after the kills, summed. */
  readonly leftoversAfterKill: number;
}

/**
 * Kills writers of `count` files into one outdir: `random` times at a random moment of the
 * run, and `aimedPerStep` times at each commit step. Before each kill, `outdir` holds a complete
 * set of one generation (`a` or `b`, of different sizes) and the child writes the other.
 */
export async function killCampaign(dir: string, count: number, random: number, aimedPerStep: number, seed = 1): Promise<KillFigures> {
  const writer = compileWriter(path.join(dir, 'build'));
  const outdir = path.join(dir, 'dist');
  const sets = { a: count, b: count - 7 };
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  // A run that is not killed gives the first set and the length of a run.
  const { ms } = await runChild(writer, outdir, 'a', sets.a, {});
  const plan: { stopAt?: CommitStep; afterMs?: number }[] = [];
  for (const step of STEPS) for (let i = 0; i < aimedPerStep; i++) plan.push({ stopAt: step });
  const afterKill: Record<string, number> = {};
  const afterRecovery: Record<string, number> = {};
  let kills = 0;
  let randomKills = 0;
  let leftoversAfterKill = 0;
  let leftoversAfterRecovery = 0;
  let previous = 'a';
  // Random kills until `random` of them hit a running child (a late one finds it finished).
  for (let attempt = 0; plan.length > 0 || (randomKills < random && attempt < random * 3); attempt++) {
    const kill = randomKills < random ? { afterMs: Math.floor(next() * ms) } : plan.shift()!;
    const gen = previous === 'a' ? 'b' : 'a';
    const result = await runChild(writer, outdir, gen, sets[gen], kill);
    if (!result.killed) {
      // Finished before the kill: must be the new set.
      previous = stateOf(outdir, sets);
      if (previous !== gen) throw new Error(`a finished run left ${previous}`);
      continue;
    }
    kills++;
    if (kill.afterMs !== undefined) randomKills++;
    const s = stateOf(outdir, sets);
    const label = s === previous ? 'previous' : s === gen ? 'new' : s;
    afterKill[label] = (afterKill[label] ?? 0) + 1;
    leftoversAfterKill += leftovers(outdir).length;
    recoverInterrupted(outdir);
    const r = stateOf(outdir, sets);
    const recovered = r === previous ? 'previous' : r === gen ? 'new' : r;
    afterRecovery[recovered] = (afterRecovery[recovered] ?? 0) + 1;
    leftoversAfterRecovery += leftovers(outdir).length;
    if (r !== 'a' && r !== 'b') throw new Error(`after a kill (${JSON.stringify(kill)}) and recovery, outdir is ${r}`);
    previous = r;
  }
  return { kills, randomKills, aimed: STEPS.length * aimedPerStep, afterKill, afterRecovery, leftoversAfterRecovery, leftoversAfterKill };
}
