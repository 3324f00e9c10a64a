import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { inspect } from 'util';
import { Testing } from 'cdk8s';
import { HeaderMatch, IstioErrors, RouteDestination, UserPrefixRoute, VersionedService, VirtualService } from '../../lib';

const ROOT = path.join(__dirname, '../..');
const PROGRAM = path.join(ROOT, 'test/fixtures/app/config-error.ts');
/** A line of a stack trace, as Node writes it. */
const STACK_LINE = /^\s+at .+/m;

describe('a configuration error in process', () => {
  function thrown(): unknown {
    const chart = Testing.chart();
    const service = new VersionedService(chart, 'addedvalues', {
      port: 9080,
      versions: ['v1', 'v2', 'v3'].map((v) => ({ name: v, image: `addedvalues:${v}` })),
    });
    try {
      new UserPrefixRoute(chart, 'route', { service, defaultVersion: 'v4' });
    } catch (e) {
      return e;
    }
    throw new Error('expected the route to be rejected');
  }

  test('names the pattern, its prop, the value and the known versions', () => {
    expect((thrown() as Error).message).toBe(
      "UserPrefixRoute 'addedvalues': defaultVersion 'v4' is not a version of VersionedService 'addedvalues' (known: v1, v2, v3); add it with addVersion() or pick a known one",
    );
  });

  test('its stack is its report: printing it shows no trace and no extra properties', () => {
    const e = thrown() as Error;
    expect(IstioErrors.isConfigError(e)).toBe(true);
    expect(e.stack).toBe(e.message);
    expect(Object.keys(e)).toEqual([]);
    expect(inspect(e)).not.toMatch(STACK_LINE);
    expect(inspect(e)).not.toContain('isIstioConfigError');
  });

  test('a bad header in a HeaderMatch names the VirtualService and the field', () => {
    const chart = Testing.chart();
    const vs = new VirtualService(chart, 'vs', { metadata: { name: 'reviews' }, hosts: ['reviews'] });
    expect(() =>
      vs.addHttpRoute({
        match: [{ headers: [HeaderMatch.exact('end user', 'jason')] }],
        route: [{ destination: RouteDestination.toHost('reviews') }],
      }),
    ).toThrow(/^VirtualService 'reviews': spec\.http\[0\]\.match\[0\]\.headers.*\('end user'\) is not a valid header name/);
  });

  test('IstioErrors tells configuration errors from others', () => {
    expect(IstioErrors.isConfigError(new Error('x'))).toBe(false);
    expect(IstioErrors.isConfigError(undefined)).toBe(false);
    expect(IstioErrors.reportOf(new Error('x'))).toBeUndefined();
    expect(IstioErrors.reportOf(thrown())).toContain("defaultVersion 'v4'");
  });
});

describe('a configuration error in a program of its own', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-error-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function run(mode: string, env: NodeJS.ProcessEnv = {}) {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, MODE: mode, CDK8S_OUTDIR: path.join(dir, 'dist'), ...env };
    delete childEnv.JEST_WORKER_ID;
    delete childEnv.CDK8S_RECORD_CONSTRUCT_METADATA;
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', PROGRAM], {
      cwd: ROOT,
      encoding: 'utf8',
      env: childEnv,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  test('IstioApp: the report alone on stderr, exit 1, nothing written', () => {
    const r = run('synth');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      "Synth failed with 1 error; nothing was written:\n  [bookinfo/ratings] VersionedService 'ratings': has no versions; call addVersion({ name: 'v1', image: ... })\n",
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a mistake at construction: the report alone, exit 1', () => {
    const r = run('construct');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      "UserPrefixRoute 'reviews': defaultVersion 'v4' is not a version of VersionedService 'reviews' (known: v1); add it with addVersion() or pick a known one\n",
    );
  });

  test("a plain App with SynthAnalysis: cdk8s's validation report without a trace, exit 1", () => {
    const r = run('plain');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("[bookinfo/ratings] VersionedService 'ratings': has no versions");
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  test('a programming error keeps its stack', () => {
    const r = run('bug');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('SyntaxError');
    expect(r.stderr).toMatch(STACK_LINE);
  });

  test('under cdk8s synth: the report, no trace, exit 1 from the CLI, no output directory', () => {
    const cli = path.join(ROOT, 'node_modules/.bin/cdk8s');
    const env: NodeJS.ProcessEnv = { ...process.env, MODE: 'synth' };
    delete env.JEST_WORKER_ID;
    delete env.CDK8S_OUTDIR;
    const app = `node -r ts-node/register/transpile-only ${path.relative(ROOT, PROGRAM)}`;
    const r = spawnSync(cli, ['synth', '--no-check-upgrade', '--app', app, '--output', path.join(dir, 'dist')], {
      cwd: ROOT,
      encoding: 'utf8',
      env,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("[bookinfo/ratings] VersionedService 'ratings': has no versions");
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
