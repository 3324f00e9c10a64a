/**
 * Consumer end-to-end test: uses the library the way a new user does.
 *
 * Usage: npm run test:consumer   (KEEP_CONSUMER_TMP=1 keeps the temporary projects)
 *
 * 1. `npm pack` the library (prepack builds it fresh) and check what the tarball holds.
 * 2. Create a fresh project in a temporary directory outside this repository and install the
 *    tarball with cdk8s, cdk8s-plus-27, constructs, cdk8s-cli, TypeScript, ts-node and jest,
 *    all from the npm registry. Nothing else from this repository is visible to it.
 * 3. Write a small cdk8s app (a VersionedService `reviews` v1..v3 and a UserPrefixRoute that
 *    sends users whose login starts with `jason` to v2, everyone else to v1) and a cdk8s.yaml,
 *    run `npx cdk8s synth` and assert on the YAML it writes to dist/.
 * 4. Check that a configuration error fails `cdk8s synth` with the library's message.
 * 5. Run a jest snapshot test of the chart twice: the first run writes the snapshot, the
 *    second (`--ci`) must match it.
 *
 * Prints one progress line per step and exits non-zero on the first failure.
 */
import { spawnSync } from 'child_process';
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const ROOT = path.join(__dirname, '..');
const PACKAGE_NAME = 'cdk8s-istio';
const CONSUMER_DEPENDENCIES = [
  'cdk8s',
  'cdk8s-plus-27',
  'constructs',
  'cdk8s-cli',
  'typescript@~5.9',
  'ts-node',
  'jest',
  'ts-jest',
  '@types/jest',
  '@types/node',
];
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
  return env;
}

interface RunResult {
  readonly status: number | null;
  readonly output: string;
}

/** Runs a command; returns its exit status and combined output (printed when it fails). */
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
  return { status: result.status, output };
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
// 2. A fresh consumer project

function createConsumer(tarball: string): string {
  const dir = tempDir('cdk8s-istio-consumer-');
  step(`fresh project in ${dir}: npm init -y`);
  run('npm', ['init', '-y'], dir);
  step(`npm install the tarball + ${CONSUMER_DEPENDENCIES.join(' ')} (from the registry)`);
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...CONSUMER_DEPENDENCIES], dir);

  const versions = ['cdk8s-istio', 'cdk8s', 'cdk8s-plus-27', 'constructs', 'cdk8s-cli', 'typescript', 'jest', 'ts-jest'].map(
    (name) => `${name}@${JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).version}`,
  );
  step(`installed ${versions.join(', ')}`);
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

// ---------------------------------------------------------------------------------------------
// 3. The app and cdk8s synth

function exportsIstioApp(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require(path.join(ROOT, 'dist', 'lib', 'index.js'));
  return typeof lib.IstioApp === 'function';
}

function writeApp(dir: string, useIstioApp: boolean): void {
  const appClass = useIstioApp ? 'IstioApp' : 'App';
  write(
    dir,
    'tsconfig.json',
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2020',
          module: 'commonjs',
          lib: ['ES2020'],
          strict: true,
          noUnusedLocals: true,
          noImplicitReturns: true,
          esModuleInterop: true,
          // Check the library's declaration files too, as a strict consumer would.
          skipLibCheck: false,
          types: ['node', 'jest'],
        },
        include: ['**/*.ts'],
        exclude: ['node_modules', 'dist'],
      },
      null,
      2,
    ) + '\n',
  );
  // Resolution through package.json `exports` (what Node16/NodeNext projects use).
  write(
    dir,
    'tsconfig.node16.json',
    JSON.stringify({ extends: './tsconfig.json', compilerOptions: { module: 'node16', moduleResolution: 'node16' } }, null, 2) + '\n',
  );
  write(dir, 'cdk8s.yaml', 'language: typescript\napp: npx ts-node main.ts\n');
  write(
    dir,
    'reviews.ts',
    `import { Construct } from 'constructs';
import { UserPrefixRoute, VersionedService } from 'cdk8s-istio';

/** Bookinfo's reviews service in three versions; users whose login starts with 'jason' get v2. */
export class Reviews extends Construct {
  public readonly service: VersionedService;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.service = new VersionedService(this, 'reviews', {
      port: 9080,
      versions: ['v1', 'v2', 'v3'].map((v) => ({ name: v, image: \`docker.io/istio/examples-bookinfo-reviews-\${v}:1.20.3\` })),
    });
    new UserPrefixRoute(this, 'route', {
      service: this.service,
      prefixes: [{ prefix: 'jason', version: 'v2' }],
      defaultVersion: 'v1',
    });
  }
}
`,
  );
  write(
    dir,
    'main.ts',
    `import { ${appClass === 'App' ? 'App, ' : ''}Chart } from 'cdk8s';
${useIstioApp ? "import { IstioApp } from 'cdk8s-istio';\n" : ''}import { Reviews } from './reviews';

const app = new ${appClass}();
const chart = new Chart(app, 'bookinfo');
new Reviews(chart, 'reviews');
app.synth();
`,
  );
  // A mistake only synth can report (a later addVersion() call could still fix it).
  write(
    dir,
    'broken.ts',
    `import { ${appClass === 'App' ? 'App, ' : ''}Chart } from 'cdk8s';
import { ${useIstioApp ? 'IstioApp, ' : ''}VersionedService } from 'cdk8s-istio';

const app = new ${appClass}();
const chart = new Chart(app, 'broken');
new VersionedService(chart, 'ratings', { port: 9080 });
app.synth();
`,
  );
}

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any;
}

function synthAndCheck(dir: string): void {
  step('npx tsc --noEmit (the app and the library typings, skipLibCheck off)');
  run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'], dir);
  step('npx tsc --noEmit with moduleResolution node16 (package.json exports)');
  run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.node16.json'], dir);
  step("node: require('cdk8s-istio') in plain CommonJS");
  run('node', ['-e', "const m = require('cdk8s-istio'); if (typeof m.VersionedService !== 'function') process.exit(1)"], dir);

  step('npx cdk8s synth');
  // --no-check-upgrade: the CLI's upgrade notice is the only request that leaves the npm registry.
  const synth = run('npx', ['cdk8s', 'synth', '--no-check-upgrade'], dir);
  console.log(tail(synth.output, 10).replace(/^/gm, '    '));

  const outDir = path.join(dir, 'dist');
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
      { match: [{ headers: { 'end-user': { prefix: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
      { route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
    ],
    'VirtualService/reviews spec.http',
  );
  const dr = find('DestinationRule', 'reviews');
  checkEqual(dr.apiVersion, 'networking.istio.io/v1', 'DestinationRule/reviews apiVersion');
  checkEqual(dr.spec.host, 'reviews', 'DestinationRule/reviews spec.host');
  checkEqual(
    dr.spec.subsets,
    ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })),
    'DestinationRule/reviews spec.subsets',
  );
  const svc = find('Service', 'reviews');
  checkEqual(svc.spec.selector, { app: 'reviews' }, 'Service/reviews spec.selector');
  checkEqual(
    svc.spec.ports.map((p: any) => ({ port: p.port, targetPort: p.targetPort, name: p.name })),
    [{ port: 9080, targetPort: 9080, name: 'http' }],
    'Service/reviews spec.ports',
  );
  for (const v of ['v1', 'v2', 'v3']) {
    const deployment = find('Deployment', `reviews-${v}`);
    checkEqual(deployment.spec.selector.matchLabels, { app: 'reviews', version: v }, `Deployment/reviews-${v} spec.selector.matchLabels`);
    checkEqual(deployment.spec.template.metadata.labels, { app: 'reviews', version: v }, `Deployment/reviews-${v} pod labels`);
  }
  step('synthesized YAML: VirtualService routes, DestinationRule subsets, Service and Deployments as expected');

  step('npx cdk8s synth of an app with a service without versions must fail');
  const broken = run('npx', ['cdk8s', 'synth', '--no-check-upgrade', '--app', 'npx ts-node broken.ts', '--output', 'dist-broken'], dir, {
    allowFailure: true,
  });
  check(broken.status !== 0, `cdk8s synth of broken.ts succeeded; expected it to fail:\n${tail(broken.output)}`);
  check(
    broken.output.includes("VersionedService 'ratings': has no versions"),
    `cdk8s synth of broken.ts failed without the library's message:\n${tail(broken.output)}`,
  );
  check(!fs.existsSync(path.join(dir, 'dist-broken', 'broken.k8s.yaml')), 'the failed synth still wrote dist-broken/broken.k8s.yaml');
  step(
    `failed as expected: ${broken.output
      .split('\n')
      .find((l) => l.includes('has no versions'))
      ?.trim()}`,
  );
}

// ---------------------------------------------------------------------------------------------
// 4. Snapshot test, as the README tells users to write it

interface JestReport {
  success: boolean;
  numTotalTests: number;
  numFailedTests: number;
  snapshot: { added: number; matched: number; unmatched: number; updated: number; filesAdded: number };
}

function snapshotTest(dir: string): void {
  write(
    dir,
    'jest.config.js',
    `module.exports = {\n  testEnvironment: 'node',\n  testMatch: ['**/*.test.ts'],\n  transform: { '^.+\\\\.ts$': 'ts-jest' },\n};\n`,
  );
  write(
    dir,
    'reviews.test.ts',
    `import { Testing } from 'cdk8s';
import { Reviews } from './reviews';

test('reviews: three versions, jason gets v2', () => {
  const chart = Testing.chart();
  new Reviews(chart, 'reviews');
  expect(Testing.synth(chart)).toMatchSnapshot();
});
`,
  );
  const jest = (label: string, args: string[]): JestReport => {
    const outputFile = path.join(dir, `jest-${label}.json`);
    const result = run('npx', ['jest', ...args, '--json', `--outputFile=${outputFile}`], dir, { allowFailure: true });
    check(fs.existsSync(outputFile), `jest (${label}) wrote no report:\n${tail(result.output)}`);
    const report: JestReport = JSON.parse(fs.readFileSync(outputFile, 'utf8'));
    check(result.status === 0 && report.success && report.numFailedTests === 0, `jest (${label}) failed:\n${tail(result.output)}`);
    return report;
  };

  step('npx jest --ci=false (first run writes the snapshot)');
  const first = jest('first', ['--ci=false']);
  check(first.numTotalTests === 1, `expected 1 test, jest ran ${first.numTotalTests}`);
  check(first.snapshot.added >= 1, `the first jest run wrote no snapshot (${JSON.stringify(first.snapshot)})`);
  const snapFile = path.join(dir, '__snapshots__', 'reviews.test.ts.snap');
  check(fs.existsSync(snapFile), `no snapshot file at ${snapFile}`);
  const snap = fs.readFileSync(snapFile, 'utf8');
  check(snap.includes('"prefix": "jason"') && snap.includes('"subset": "v2"'), 'the snapshot does not hold the jason -> v2 route');
  check(!snap.includes('cdk8s.io/metadata.addr'), 'the snapshot contains the cdk8s.io/metadata.addr label');

  step('npx jest --ci (second run must match the snapshot)');
  const second = jest('second', ['--ci']);
  check(
    second.snapshot.matched >= 1 && second.snapshot.added === 0 && second.snapshot.unmatched === 0,
    `the second jest run did not match the snapshot (${JSON.stringify(second.snapshot)})`,
  );
  step(`snapshot test: written once, matched on the second run (${second.snapshot.matched} snapshot)`);
}

// ---------------------------------------------------------------------------------------------

function main(): void {
  let consumerDir: string | undefined;
  try {
    childTmpDir = tempDir('cdk8s-istio-consumer-tmp-');
    const { tarball, entries } = pack();
    consumerDir = createConsumer(tarball);
    const useIstioApp = exportsIstioApp();
    step(
      `writing main.ts with ${useIstioApp ? 'IstioApp from cdk8s-istio' : 'App from cdk8s (cdk8s-istio exports no IstioApp)'}, reviews.ts, cdk8s.yaml`,
    );
    writeApp(consumerDir, useIstioApp);
    synthAndCheck(consumerDir);
    snapshotTest(consumerDir);
    if (entries.includes('package/bin/cdk8s-istio')) {
      check(fs.existsSync(path.join(consumerDir, 'node_modules', '.bin', 'cdk8s-istio')), 'npm did not link the cdk8s-istio bin');
      step('npx cdk8s-istio analyze dist (the bin, on the synthesized YAML; exit 0 = no errors)');
      const analyze = run('npx', ['cdk8s-istio', 'analyze', 'dist'], consumerDir);
      console.log(tail(analyze.output, 10).replace(/^/gm, '    '));
    } else {
      step('note: the tarball has no bin/cdk8s-istio yet; bin not checked');
    }
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
  step('PASSED');
}

main();
