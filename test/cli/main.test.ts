import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/cli/main';

const FIXTURES = path.join(__dirname, '../fixtures/analysis');
const SHOP = path.join(FIXTURES, 'shop');
const MISSING = path.join(FIXTURES, 'missing-subset');

function run(...argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

describe('cdk8s-istio analyze', () => {
  test('a clean directory exits 0 with a summary', () => {
    const r = run('analyze', SHOP);
    expect(r).toEqual({ code: 0, stdout: '0 errors, 0 warnings, 0 infos in 17 objects from 4 files\n', stderr: '' });
  });

  test('errors exit 1, one line per finding with file and line', () => {
    const r = run('analyze', MISSING);
    expect(r.code).toBe(1);
    const file = path.join(MISSING, 'routing.yaml');
    expect(r.stdout.split('\n')).toEqual([
      `error IST0101 VirtualService/addedvalues (${file}:26): spec.http[0].route[0].destination.subset: subset 'v3' of destination host 'addedvalues' is not defined: the DestinationRule(s) for 'addedvalues.default.svc.cluster.local' define 'v1', 'v2'; add a subset named 'v3' (with the labels of its pods) to the DestinationRule of that host, or route to a defined subset`,
      '1 error, 0 warnings, 0 infos in 3 objects from 1 file',
      '',
    ]);
  });

  test('--format json prints the findings as a JSON array', () => {
    const r = run('analyze', '--format', 'json', MISSING);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      code: 'IST0101',
      kind: 'VirtualService',
      name: 'addedvalues',
      field: 'spec.http[0].route[0].destination.subset',
    });
    expect(run('analyze', `--format=json`, SHOP).stdout).toBe('[]\n');
  });

  test('--strict turns warnings into errors', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
    fs.writeFileSync(
      path.join(dir, 'dr.yml'),
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: orphan\nspec:\n  host: nothing\n',
    );
    const relaxed = run('analyze', SHOP, dir);
    expect(relaxed.code).toBe(0);
    expect(relaxed.stdout).toContain(`warning IST0174 DestinationRule/orphan (${path.join(dir, 'dr.yml')}:1): spec.host:`);
    const strict = run('analyze', '--strict', SHOP, dir);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('error IST0174 DestinationRule/orphan');
  });

  test('invalid YAML exits 2 naming file and line, without a stack trace', () => {
    const r = run('analyze', path.join(FIXTURES, 'invalid'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(
        `^cdk8s-istio: ${path.join(FIXTURES, 'invalid', 'broken.yaml').replace(/[.]/g, '\\.')}:10:1: invalid YAML: All mapping items must start at the same column`,
      ),
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('a document that is not a mapping exits 2', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n- just\n- a list\n');
    const r = run('analyze', dir);
    expect(r).toMatchObject({
      code: 2,
      stderr: `cdk8s-istio: ${path.join(dir, 'a.yaml')}:6: the document is not a mapping (a Kubernetes object)\n`,
    });
  });

  test.each([
    [[], 'Usage: cdk8s-istio analyze'],
    [['analyze'], 'no file or directory given'],
    [['lint', SHOP], "unknown command 'lint'"],
    [['analyze', '--bogus', SHOP], "unknown option '--bogus'"],
    [['analyze', '--format', 'xml', SHOP], "--format must be 'text' or 'json'"],
    [['analyze', '--strict=yes', SHOP], '--strict takes no value'],
    [['analyze', SHOP, '--namespace', ''], '--namespace needs a value'],
    [['analyze', SHOP, '--format', 'json', '--format', 'text'], '--format given twice'],
    [['analyze', '/nonexistent/path'], '/nonexistent/path: no such file or directory'],
  ])('usage errors exit 2: %j', (argv, message) => {
    const r = run(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test('--help exits 0', () => {
    expect(run('analyze', '--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('Exit status: 0 no errors') });
  });

  test('kind: List documents are expanded', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
    fs.writeFileSync(
      path.join(dir, 'list.yaml'),
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n  spec: {ports: [{name: http, port: 80}]}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n  spec: {ports: [{name: http, port: 80}]}\n',
    );
    const r = run('analyze', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error CDK0001 Service/a');
  });

  test('runs as a separate process (exit status and output)', () => {
    const root = path.join(__dirname, '../..');
    const r = spawnSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-e',
        "process.argv.splice(1, 0, 'cdk8s-istio'); require('./lib/cli/main').run()",
        'analyze',
        MISSING,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('error IST0101 VirtualService/addedvalues');
  });
});
