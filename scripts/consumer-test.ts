/**
 * Consumer end-to-end test: follows README.md's "Use it in your project" exactly, as a new user.
 *
 * Usage: npm run test:consumer   (KEEP_CONSUMER_TMP=1 keeps the temporary projects)
 *
 * 1. `npm pack` the library (prepack builds it fresh) and check what the tarball holds.
 * 2. In a fresh temporary directory outside this repository, run the README's setup commands
 *    (```` ```sh setup ```` blocks; `cdk8s-istio` is installed from the tarball, everything else
 *    from the npm registry) and write the README's files (```` file=... ```` blocks).
 * 3. Run the README's commands (```` ```sh run ````): `npx cdk8s synth` (assertions on the YAML
 *    in dist/) and `npx jest` (a snapshot and a routing test; a second `--ci` run must match).
 * 4. Make mistakes on purpose under `npx cdk8s synth`: non-zero exit, the report on stderr (the
 *    README's example included), no line of a stack trace, nothing written.
 * 5. The validation-plugin path: the README's `variant=plugin` files (a plain cdk8s App and
 *    `validations:` in cdk8s.yaml): synth passes; a mesh error fails it with exit code 2.
 *
 * Prints one progress line per step (and the installed versions) and exits non-zero on the
 * first failure.
 */
import { spawnSync } from 'child_process';
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { commands, projectFiles, readmeBlocks } from './readme-blocks';

const ROOT = path.join(__dirname, '..');
const PACKAGE_NAME = 'cdk8s-istio';
/** Packages whose installed versions are reported. */
const REPORTED = [
  'cdk8s-istio',
  'cdk8s',
  'cdk8s-plus-27',
  'constructs',
  'cdk8s-cli',
  'typescript',
  'ts-node',
  'jest',
  'ts-jest',
  '@types/jest',
  '@types/node',
];
/** A line of a stack trace, as Node writes it. */
const STACK_LINE = /^\s+at .+/m;
const STEP_TIMEOUT_MS = 15 * 60 * 1000;

const started = Date.now();
const tempDirs: string[] = [];
/** TMPDIR of the child processes (cdk8s's Testing.app() in the consumer's jest leaves a directory per app). */
let childTmpDir: string | undefined;

function elapsed(): string {
  return `${((Date.now() - started) / 1000).toFixed(1)}s`;
}

function step(message: string): void {
  console.log(`[consumer-test ${elapsed()}] ${message}`);
}

class StepFailure extends Error {}

/**
 * The environment for child processes: without the variables `npm run` sets for this package,
 * so that npm in the consumer project resolves its own prefix and package, not this one.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle)_/i.test(key) || /^TS_NODE_/.test(key)) continue;
    if (['npm_config_local_prefix', 'npm_command', 'INIT_CWD', 'NODE_PATH'].includes(key)) continue;
    env[key] = value;
  }
  if (childTmpDir) env.TMPDIR = childTmpDir;
  // The README's commands run unchanged; only the cdk8s CLI's upgrade check is turned off (its
  // `--check-upgrade` option, read from the environment): it is the one request that leaves the
  // npm registry, and where that is blocked it prints a stack trace of its own.
  env.CDK8S_CHECK_UPGRADE = 'false';
  return env;
}

interface RunResult {
  readonly status: number | null;
  /** stdout then stderr. */
  readonly output: string;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command; returns its exit status and output (printed when it fails). */
function run(command: string, args: string[], cwd: string, options: { allowFailure?: boolean } = {}): RunResult {
  const result = spawnSync(command, args, {
    cwd,
    env: childEnv(),
    encoding: 'utf8',
    timeout: STEP_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) throw new StepFailure(`${command} ${args.join(' ')} could not run: ${result.error.message}`);
  if (result.status !== 0 && !options.allowFailure) {
    throw new StepFailure(`\`${command} ${args.join(' ')}\` in ${cwd} exited with ${result.status}:\n${tail(output)}`);
  }
  return { status: result.status, output, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** Runs a command line of the README with the shell, as a user would type it. */
function sh(line: string, cwd: string, options: { allowFailure?: boolean } = {}): RunResult {
  return run('sh', ['-c', line], cwd, options);
}

function tail(text: string, lines = 60): string {
  const all = text.split('\n').filter((l) => !/Unknown user config "nodedir"/.test(l));
  return all.slice(-lines).join('\n');
}

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

function write(dir: string, file: string, content: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), content);
}

function check(condition: unknown, message: string): void {
  if (!condition) throw new StepFailure(message);
}

/** `assert.deepStrictEqual` with the object and field in the message. */
function checkEqual(actual: unknown, expected: unknown, what: string): void {
  try {
    assert.deepStrictEqual(actual, expected);
  } catch {
    throw new StepFailure(`${what}:\n  expected ${JSON.stringify(expected)}\n  actual   ${JSON.stringify(actual)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// 1. Pack

function pack(): { tarball: string; entries: string[] } {
  step('npm pack (prepack builds the library fresh)');
  const packDir = tempDir('cdk8s-istio-pack-');
  run('npm', ['pack', '--pack-destination', packDir, '--loglevel=warn'], ROOT);
  const tarballs = fs.readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
  check(tarballs.length === 1, `npm pack wrote ${tarballs.length} tarballs to ${packDir}, expected 1`);
  const tarball = path.join(packDir, tarballs[0]);
  const entries = run('tar', ['-tzf', tarball], packDir)
    .output.split('\n')
    .filter((l) => l.length > 0 && !l.endsWith('/'));
  const size = fs.statSync(tarball).size;
  step(`packed ${tarballs[0]}: ${(size / 1024).toFixed(1)} kB, ${entries.length} files`);

  for (const required of [
    'package.json',
    'README.md',
    'LICENSE',
    'dist/lib/index.js',
    'dist/lib/index.d.ts',
    'dist/imports/schemas.json',
  ]) {
    check(entries.includes(`package/${required}`), `the tarball lacks ${required}`);
  }
  const unwanted = entries.filter(
    (e) =>
      /^package\/(test|lib|scripts|bench|examples|imports|node_modules|\.ci)\//.test(e) ||
      /(\.test\.|__snapshots__|\.map$|\.tsbuildinfo$|\.tgz$)/.test(e) ||
      (e.endsWith('.ts') && !e.endsWith('.d.ts')),
  );
  check(unwanted.length === 0, `the tarball holds files users do not need:\n  ${unwanted.join('\n  ')}`);
  return { tarball, entries };
}

// ---------------------------------------------------------------------------------------------
// 2. A fresh project, set up as the README says

const blocks = readmeBlocks();

function setUp(tarball: string): string {
  const dir = tempDir('cdk8s-istio-consumer-');
  const setup = commands(blocks, 'setup');
  check(setup.length > 0, 'README.md has no ```sh setup block');
  for (const line of setup) {
    // The library comes from the tarball just packed; everything else from the registry.
    const words = line.split(/\s+/);
    const isInstall = words[0] === 'npm' && ['install', 'i'].includes(words[1]);
    const own = words.indexOf(PACKAGE_NAME);
    const command = isInstall && own >= 0 ? [...words.slice(0, own), tarball, ...words.slice(own + 1)].join(' ') : line;
    step(`README setup: ${line}`);
    sh(command, dir);
  }
  check(fs.existsSync(path.join(dir, 'node_modules', PACKAGE_NAME, 'package.json')), `the README's setup did not install ${PACKAGE_NAME}`);
  writeFiles(dir, projectFiles(blocks));
  step(`wrote the README's files: ${[...projectFiles(blocks).keys()].join(', ')}`);
  // Peer dependencies must resolve to the app's own copies: a second `constructs` or `cdk8s`
  // breaks `instanceof` checks and the construct tree.
  for (const peer of ['cdk8s', 'cdk8s-plus-27', 'constructs']) {
    check(
      !fs.existsSync(path.join(dir, 'node_modules', PACKAGE_NAME, 'node_modules', peer)),
      `${PACKAGE_NAME} got a private copy of ${peer}`,
    );
  }
  return dir;
}

function writeFiles(dir: string, files: Map<string, string>): void {
  for (const [name, content] of files) write(dir, name, content);
}

function installedVersions(dir: string): string {
  return REPORTED.map((name) => {
    const file = path.join(dir, 'node_modules', name, 'package.json');
    return `${name}@${fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).version : '(not installed)'}`;
  }).join(', ');
}

/** Checks beyond the README: our typings under strict settings and Node16 resolution, plain CommonJS. */
function checkTypings(dir: string): void {
  step('npx tsc --noEmit --skipLibCheck false (the app and every library typing)');
  run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json', '--skipLibCheck', 'false'], dir);
  step('npx tsc --noEmit with moduleResolution node16 (package.json exports, cdk8s-istio/plugin included)');
  write(
    dir,
    'tsconfig.node16.json',
    JSON.stringify({ extends: './tsconfig.json', compilerOptions: { module: 'node16', moduleResolution: 'node16' } }) + '\n',
  );
  write(
    dir,
    'exports-check.ts',
    "import { IstioValidation } from 'cdk8s-istio/plugin';\nexport const plugin = new IstioValidation({ warningsAsErrors: true });\n",
  );
  run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.node16.json'], dir);
  fs.rmSync(path.join(dir, 'exports-check.ts'));
  fs.rmSync(path.join(dir, 'tsconfig.node16.json'));
  step("node: require('cdk8s-istio') and require('cdk8s-istio/plugin') in plain CommonJS");
  run(
    'node',
    [
      '-e',
      "const m = require('cdk8s-istio'); const p = require('cdk8s-istio/plugin'); if (typeof m.VersionedService !== 'function' || typeof p.IstioValidation !== 'function') process.exit(1)",
    ],
    dir,
  );
}

// ---------------------------------------------------------------------------------------------
// 3. The README's commands: synth and tests

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any;
}

function runCommands(dir: string): void {
  const lines = commands(blocks, 'run');
  checkEqual(lines, ['npx cdk8s synth', 'npx jest'], "the README's ```sh run commands");
  step(`README run: ${lines[0]}`);
  const synth = sh(lines[0], dir);
  console.log(tail(synth.output, 10).replace(/^/gm, '    '));
  checkSynthesized(readObjects(path.join(dir, 'dist')));

  step(`README run: ${lines[1]} (the first run writes the snapshot)`);
  const first = jest(dir, lines[1], 'first');
  check(first.numTotalTests === 2, `expected the README's 2 tests, jest ran ${first.numTotalTests}`);
  check(first.snapshot.added >= 1, `the first jest run wrote no snapshot (${JSON.stringify(first.snapshot)})`);
  const snapFile = path.join(dir, '__snapshots__', 'main.test.ts.snap');
  check(fs.existsSync(snapFile), `no snapshot file at ${snapFile}`);
  const snap = fs.readFileSync(snapFile, 'utf8');
  check(snap.includes('"exact": "jason"') && snap.includes('"subset": "v2"'), 'the snapshot does not hold the jason -> v2 route');
  check(!snap.includes('cdk8s.io/metadata.addr'), 'the snapshot contains the cdk8s.io/metadata.addr label');
  step(`${lines[1]} --ci (the second run must match the snapshot)`);
  const second = jest(dir, `${lines[1]} --ci`, 'second');
  check(
    second.snapshot.matched >= 1 && second.snapshot.added === 0 && second.snapshot.unmatched === 0,
    `the second jest run did not match the snapshot (${JSON.stringify(second.snapshot)})`,
  );
  step(`jest: ${second.numTotalTests} tests passed; the snapshot was written once and matched on the second run`);
}

function readObjects(outDir: string): K8sObject[] {
  const files = fs.existsSync(outDir) ? fs.readdirSync(outDir).filter((f) => f.endsWith('.yaml')) : [];
  check(files.length > 0, `cdk8s synth wrote no YAML to ${outDir}`);
  const objects: K8sObject[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(outDir, file), 'utf8');
    check(!text.includes('cdk8s.io/metadata.addr'), `dist/${file} contains the cdk8s.io/metadata.addr label`);
    for (const doc of parseAllDocuments(text)) {
      check(doc.errors.length === 0, `dist/${file} is not valid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
      const value = doc.toJS();
      if (value) objects.push(value);
    }
  }
  step(`synthesized ${objects.length} objects in ${files.join(', ')}: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return objects;
}

function checkSynthesized(objects: K8sObject[]): void {
  const find = (kind: string, name: string): K8sObject => {
    const matches = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
    check(matches.length === 1, `expected one ${kind}/${name} in the synthesized YAML, found ${matches.length}`);
    return matches[0];
  };
  const vs = find('VirtualService', 'reviews');
  checkEqual(vs.apiVersion, 'networking.istio.io/v1', 'VirtualService/reviews apiVersion');
  checkEqual(vs.spec.hosts, ['reviews'], 'VirtualService/reviews spec.hosts');
  checkEqual(
    vs.spec.http,
    [
      { match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
      { route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
    ],
    'VirtualService/reviews spec.http',
  );
  const dr = find('DestinationRule', 'reviews');
  checkEqual(dr.spec.host, 'reviews', 'DestinationRule/reviews spec.host');
  checkEqual(
    dr.spec.subsets,
    ['v1', 'v2'].map((v) => ({ name: v, labels: { version: v } })),
    'DestinationRule/reviews spec.subsets',
  );
  const svc = find('Service', 'reviews');
  checkEqual(svc.spec.selector, { app: 'reviews' }, 'Service/reviews spec.selector');
  for (const v of ['v1', 'v2']) {
    const deployment = find('Deployment', `reviews-${v}`);
    checkEqual(deployment.spec.template.metadata.labels, { app: 'reviews', version: v }, `Deployment/reviews-${v} pod labels`);
  }
  step('synthesized YAML: VirtualService routes, DestinationRule subsets, Service and Deployments as expected');
}

interface JestReport {
  success: boolean;
  numTotalTests: number;
  numFailedTests: number;
  snapshot: { added: number; matched: number; unmatched: number; updated: number; filesAdded: number };
}

function jest(dir: string, line: string, label: string): JestReport {
  const outputFile = path.join(dir, `jest-${label}.json`);
  // `CI` would make the first run refuse to write the snapshot, as `--ci` does.
  const result = sh(`CI= ${line} --json --outputFile=${outputFile}`, dir, { allowFailure: true });
  check(fs.existsSync(outputFile), `jest (${label}) wrote no report:\n${tail(result.output)}`);
  const report: JestReport = JSON.parse(fs.readFileSync(outputFile, 'utf8'));
  fs.rmSync(outputFile);
  check(result.status === 0 && report.success && report.numFailedTests === 0, `jest (${label}) failed:\n${tail(result.output)}`);
  return report;
}

// ---------------------------------------------------------------------------------------------
// 4. Mistakes on purpose under `npx cdk8s synth`

/** Runs the README's synth command on a changed mesh.ts and checks the failure; restores mesh.ts. */
function failingSynth(dir: string, what: string, change: (mesh: string) => string, expected: string[], exitCode?: number): string {
  const meshFile = path.join(dir, 'mesh.ts');
  const original = fs.readFileSync(meshFile, 'utf8');
  const changed = change(original);
  check(changed !== original, `the change "${what}" does not apply to the README's mesh.ts`);
  fs.writeFileSync(meshFile, changed);
  try {
    step(`mistake on purpose (${what}): ${commands(blocks, 'run')[0]} must fail`);
    const r = sh(commands(blocks, 'run')[0], dir, { allowFailure: true });
    check(r.status !== 0, `cdk8s synth succeeded; expected it to fail:\n${tail(r.output)}`);
    const status = exitCode ?? r.status;
    check(r.status === status, `cdk8s synth exited with ${r.status}, expected ${exitCode}:\n${tail(r.output)}`);
    for (const text of expected) check(r.output.includes(text), `cdk8s synth failed without "${text}":\n${tail(r.output)}`);
    const trace = STACK_LINE.exec(r.output);
    check(!trace, `cdk8s synth printed a stack trace line "${trace?.[0].trim()}":\n${tail(r.output)}`);
    return r.stderr;
  } finally {
    fs.writeFileSync(meshFile, original);
  }
}

function mistakes(dir: string): void {
  // The README's own example of a report.
  const example = blocks.find((b) => b.lang === 'text' && b.code.includes("defaultVersion 'v3'"));
  if (!example) throw new StepFailure('README.md has no example report for defaultVersion v3');
  const expected = example.code.trim().split('\n');
  const stderr = failingSynth(dir, "defaultVersion 'v3'", (m) => m.replace("defaultVersion: 'v1'", "defaultVersion: 'v3'"), expected, 1);
  // npm's own notices (`npm warn ...`) are not the app's.
  const lines = stderr.split('\n').filter((l) => l.length > 0 && !/^npm (warn|notice)/i.test(l));
  checkEqual(lines, expected, "stderr of the failed synth (the README's example)");
  check(!fs.existsSync(path.join(dir, 'dist')), 'the failed synth wrote dist/');
  step(`failed as the README shows: ${expected[0]}`);

  failingSynth(
    dir,
    'a service without versions, found at synth',
    (m) =>
      m.replace(
        '    new UserPrefixRoute(this,',
        "    new VersionedService(this, 'ratings', { port: 9080 });\n    new UserPrefixRoute(this,",
      ),
    ['Synth failed with 1 error; nothing was written:', "[bookinfo/ratings] VersionedService 'ratings': has no versions"],
    1,
  );
  check(!fs.existsSync(path.join(dir, 'dist')), 'the failed synth wrote dist/');
  step('failed with the one report, exit 1, no stack trace, nothing written');
}

// ---------------------------------------------------------------------------------------------
// 5. The validation plugin, with a plain cdk8s App

function pluginPath(dir: string): void {
  const files = projectFiles(blocks, 'plugin');
  const changed = [...files].filter(([name, content]) => projectFiles(blocks).get(name) !== content).map(([name]) => name);
  checkEqual(changed.sort(), ['cdk8s.yaml', 'main.ts'], "the files of the README's plugin variant");
  writeFiles(dir, files);
  step(`plugin variant: wrote the README's ${changed.join(', ')}; ${commands(blocks, 'run')[0]}`);
  const ok = sh(commands(blocks, 'run')[0], dir);
  check(
    ok.output.includes(`Validation Report (`) && ok.output.includes('Validations ended succesfully'),
    `no passing validation report:\n${tail(ok.output)}`,
  );
  checkSynthesized(readObjects(path.join(dir, 'dist')));
  step('the plugin ran and passed');

  failingSynth(
    dir,
    'a DestinationRule subset that selects no pods, found by the plugin',
    (m) =>
      m
        .replace('import { UserPrefixRoute,', 'import { DestinationRule, UserPrefixRoute,')
        .replace(
          '    new UserPrefixRoute(this,',
          "    new DestinationRule(this, 'extra', { host: 'reviews', metadata: { name: 'reviews-extra' }, subsets: [{ name: 'v9', labels: { version: 'v9' } }] });\n    new UserPrefixRoute(this,",
        ),
    [
      'error IST0173 [bookinfo/extra/Resource] DestinationRule/reviews-extra spec.subsets[0]',
      'Validation failed. See above reports for details',
    ],
    2,
  );
  step('the plugin failed the synth with exit 2 and the report, no stack trace');
}

// ---------------------------------------------------------------------------------------------

function main(): void {
  let versions = '';
  try {
    childTmpDir = tempDir('cdk8s-istio-consumer-tmp-');
    const { tarball, entries } = pack();
    const dir = setUp(tarball);
    versions = installedVersions(dir);
    step(`installed ${versions}`);
    checkTypings(dir);
    runCommands(dir);
    if (entries.includes('package/bin/cdk8s-istio')) {
      step('npx cdk8s-istio analyze dist (the bin, on the synthesized YAML; exit 0 = no errors)');
      const analyze = run('npx', ['cdk8s-istio', 'analyze', 'dist'], dir);
      console.log(tail(analyze.output, 10).replace(/^/gm, '    '));
    }
    mistakes(dir);
    pluginPath(dir);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    console.error(`\n[consumer-test ${elapsed()}] FAILED: ${message}`);
    console.error(`Temporary directories kept for inspection: ${tempDirs.join(' ')}`);
    if (!(e instanceof StepFailure) && e instanceof Error) console.error(e.stack);
    process.exit(1);
  }
  if (process.env.KEEP_CONSUMER_TMP) {
    step(`kept ${tempDirs.join(' ')}`);
  } else {
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  }
  step(`PASSED (installed ${versions})`);
}

main();
