import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/cli/main';
import { parseManifests } from '../../lib/cli/load';

function run(...argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const warnings = jest.spyOn(process, 'emitWarning');
  try {
    const code = main(argv, {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
    });
    // Nothing may reach stderr behind the CLI's back (the yaml package warns through Node).
    expect(warnings).not.toHaveBeenCalled();
    return { code, stdout, stderr };
  } finally {
    warnings.mockRestore();
  }
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'load-'));
function file(text: string): string {
  const f = path.join(tmp(), 'in.yaml');
  fs.writeFileSync(f, text);
  return f;
}
/** A one-line refusal with exit 2, and nothing else. */
function expectRefused(r: { code: number; stdout: string; stderr: string }, message: string | RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n')).toHaveLength(2);
  expect(r.stderr).toMatch(
    typeof message === 'string' ? new RegExp(`^cdk8s-istio: .*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : message,
  );
}
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';
/** The `data` of a ConfigMap document holding `data` as written. */
const read = (data: string): unknown => parseManifests(`${CONFIG_MAP}data:\n${data}`, 'in.yaml')[0].object.data;

describe('input the CLI will not read: exit 2 at once, one line', () => {
  test('/dev/zero and other devices are refused before they are opened', () => {
    expectRefused(run('analyze', '/dev/zero'), '/dev/zero: a device, not a file of manifests; give a regular file or a folder');
    expectRefused(run('analyze', '/dev/urandom'), '/dev/urandom: a device');
  });

  test('a FIFO is refused without waiting for a writer', () => {
    const fifo = path.join(tmp(), 'pipe.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expectRefused(run('analyze', fifo), `${fifo}: a FIFO (named pipe), not a file of manifests`);
    // Inside a folder, a FIFO is skipped, not opened.
    fs.writeFileSync(path.join(path.dirname(fifo), 'ok.yaml'), CONFIG_MAP);
    expect(run('analyze', path.dirname(fifo))).toMatchObject({ code: 0, stdout: expect.stringContaining('in 1 object from 1 file') });
  });

  test('a file over the size limit is refused unless --max-file-size raises it', () => {
    const big = file(`${CONFIG_MAP}data:\n  k: ${'x'.repeat(2 * 1024 * 1024)}\n`);
    expectRefused(
      run('analyze', '--max-file-size', '1', big),
      `${big}: ${fs.statSync(big).size} bytes, over the limit of 1 MiB per file; raise it with --max-file-size <MiB>`,
    );
    expect(run('analyze', '--max-file-size=3', big).code).toBe(0);
  });

  test('a single document over --max-document-size is refused before it is parsed, naming its first line', () => {
    const piece = `${CONFIG_MAP}data:\n  k: ${'x'.repeat(600 * 1024)}\n`;
    const f = file(
      `${piece}---\n${piece}---\n{apiVersion: v1, kind: List, items: [${Array(3000)
        .fill(`{apiVersion: v1, kind: ConfigMap, metadata: {name: ${'n'.repeat(400)}}}`)
        .join(', ')}]}\n`,
    );
    expectRefused(
      run('analyze', '--max-document-size', '1', f),
      new RegExp(
        `^cdk8s-istio: ${f.replace(/[.]/g, '\\.')}:14: a single YAML document of more than 1 MiB \\(\\d+ characters\\); the API server takes at most 3 MiB per object: split it into documents, or raise --max-document-size <MiB>\n$`,
      ),
    );
    // Documents under the limit, however many, are read.
    const many = file(`${piece}---\n${piece}---\n${piece}`);
    expect(run('analyze', '--max-document-size=1', many)).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('in 3 objects from 1 file'),
    });
  });

  test.each(['0', '-1', 'x', '1e3', ''])('--max-file-size %j is a usage error', (v) => {
    const r = run('analyze', `--max-file-size=${v}`, file(CONFIG_MAP));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cdk8s-istio: --max-file-size (must be a positive number of MiB|needs a value)/);
  });

  test.each([
    ['flow', `${CONFIG_MAP}data: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, 5],
    ['block', `${CONFIG_MAP}data:\n${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i + 1)}k${i}:\n`).join('')}`, 5 + 200],
  ])('%s nesting beyond 200 levels names the line where it goes too deep', (_, text, line) => {
    const f = file(text);
    const r = run('analyze', f);
    expectRefused(r, 'sequences and mappings nested deeper than 200 levels');
    expect(r.stderr).toContain(`${f}:${line}:`);
  });

  test('alias expansion beyond the limit (a billion laughs) is refused', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) {
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    }
    const f = file(`${CONFIG_MAP}data:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    expectRefused(run('analyze', f), `${f}:1: aliases expand beyond the limit of 1000; write the document without them`);
  });

  test('a complex key is refused (kubectl has no JSON for it), with no Node warning', () => {
    const f = file(`${CONFIG_MAP}data:\n  ? [a, b]\n  : 1\n`);
    expectRefused(
      run('analyze', f),
      `${f}:6:5: a mapping key that is a sequence or mapping; Kubernetes objects (JSON) have string keys only`,
    );
  });

  test.each([
    ['.nan', 'NaN (.nan)'],
    ['.inf', 'infinite (.inf)'],
    ['-.Inf', 'infinite (-.inf)'],
  ])('%s is refused: JSON has no such number', (v, what) => {
    const f = file(`${CONFIG_MAP}data:\n  k: [1, ${v}]\n`);
    expectRefused(run('analyze', f), `${f}:1: data.k[1] is ${what}, which JSON (and so kubectl) cannot represent`);
  });

  test('invalid YAML in a later document names its line; nothing is reported as analyzed', () => {
    const f = file(`${CONFIG_MAP}---\n${CONFIG_MAP}data: {a: 1\n`);
    const r = run('analyze', f);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^cdk8s-istio: ${f.replace(/[.]/g, '\\.')}:\\d+:\\d+: invalid YAML: `));
  });
});

// sigs.k8s.io/yaml decodes with go-yaml v2 (YAML 1.1 types) and converts to JSON; these are the
// values where that differs from YAML 1.2, or from the `yaml` package's YAML 1.1.
describe('YAML read as kubectl apply reads it', () => {
  test.each([
    ['flow sequence ending in a colon (an IPv6 prefix)', '[001:db8::]', ['001:db8::']],
    ['flow items with a trailing colon', '[a:, b, c::]', ['a:', 'b', 'c::']],
    ['flow mapping key with a trailing colon', '{a:}', { 'a:': null }],
    ['a colon and a space still make a pair', '[a: 1]', [{ a: 1 }]],
    ['JSON in flow style', '{"a": 1, "b": [true, null]}', { a: 1, b: [true, null] }],
    ['octal with a leading zero', '0755', 493],
    ['octal 0o', '0o17', 15],
    ['negative octal 0o', '-0o17', -15],
    ['leading zero, not octal', '08', 8],
    ['hex', '0x1F', 31],
    ['binary', '0b101', 5],
    ['underscores', '1_000', 1000],
    ['yes', 'yes', true],
    ['No', 'No', false],
    ['on', 'on', true],
    ['OFF', 'OFF', false],
    ['y', 'y', true],
    ['n', 'n', false],
    ['sexagesimal-looking integer stays a string', '190:20:30', '190:20:30'],
    ['sexagesimal-looking float stays a string', '1:20.5', '1:20.5'],
    ['a timestamp stays a string', '2001-12-14', '2001-12-14'],
    ['a timestamp with time stays a string', '2001-12-14t21:59:43.10Z', '2001-12-14t21:59:43.10Z'],
    ['quoted octal stays a string', '"0755"', '0755'],
    ['float exponent', '1e3', 1000],
    ['tilde', '~', null],
    ['a port-like string', '8080:80', '8080:80'],
  ])('%s: %s', (_, yamlValue, expected) => {
    expect(read(`  k: ${yamlValue}\n`)).toEqual({ k: expected });
  });

  test('a document of only a comment is skipped; List items are expanded', () => {
    const manifests = parseManifests(
      `# nothing\n---\napiVersion: v1\nkind: List\nitems:\n- ${CONFIG_MAP.replace(/\n(?!$)/g, '\n  ')}`,
      'in.yaml',
    );
    expect(manifests.map((m) => m.object.kind)).toEqual(['ConfigMap']);
    expect(manifests[0].source.line).toBe(3);
  });
});
