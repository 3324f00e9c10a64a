import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/cli/main';

const TUTORIAL = path.join(__dirname, '..', 'golden', 'yunqi-bank');

function run(...argv: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

describe('cdk8s-istio graph', () => {
  test('writes Mermaid by default, with the declared calls', () => {
    const r = run('graph', TUTORIAL, '--call', 'productpage=details');
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('flowchart LR\n')).toBe(true);
    expect(r.stdout).toContain('|"end-user ^= yunqi"| version_addedvalues_default_v3');
    expect(r.stdout).toContain('service_productpage_default ==>|"calls"| service_details_default');
  });

  test.each([
    ['dot', 'digraph mesh {'],
    ['svg', '<svg xmlns='],
    ['html', '<!doctype html>'],
  ])('--format %s', (format, start) => {
    const r = run('graph', TUTORIAL, '--format', format);
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith(start)).toBe(true);
  });

  test('--out writes the file and nothing to standard output', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'graph-')), 'mesh.html');
    const r = run('graph', TUTORIAL, '--format=html', '--out', out, '--title', 'Bank');
    expect(r).toMatchObject({ status: 0, stdout: '' });
    expect(fs.readFileSync(out, 'utf8')).toContain('<title>Bank</title>');
  });

  test.each([
    [['graph'], 'no file or directory given'],
    [['graph', TUTORIAL, '--format', 'png'], "--format must be one of mermaid, dot, html, svg, not 'png'"],
    [['graph', TUTORIAL, '--call', 'productpage'], '--call takes <from>=<to>'],
    [['graph', TUTORIAL, '--colour'], "unknown option '--colour'"],
  ])('usage errors exit 2: %j', (argv, message) => {
    const r = run(...argv);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  test('unreadable input and an unwritable --out exit 2 with the path', () => {
    expect(run('graph', '/no/such/dir')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('/no/such/dir: no such file or directory'),
    });
    const r = run('graph', TUTORIAL, '--out', '/no/such/dir/mesh.mmd');
    expect(r).toMatchObject({ status: 2, stderr: expect.stringContaining('/no/such/dir/mesh.mmd: cannot write') });
  });

  test('--help prints the usage of graph', () => {
    expect(run('graph', '--help')).toMatchObject({ status: 0, stdout: expect.stringContaining('Usage: cdk8s-istio graph') });
  });
});

test('--requests adds the paths of the given requests to the HTML page', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-'));
  const file = path.join(dir, 'requests.json');
  fs.writeFileSync(file, JSON.stringify([{ host: 'addedvalues', headers: { 'end-user': 'yunqi42' } }]));
  const r = run('graph', TUTORIAL, '--format', 'html', '--requests', file);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('>GET addedvalues / end-user: yunqi42</option>');
  fs.writeFileSync(file, '{"host": "x"}');
  expect(run('graph', TUTORIAL, '--requests', file)).toMatchObject({
    status: 2,
    stderr: expect.stringContaining('must be a JSON array of requests'),
  });
});
