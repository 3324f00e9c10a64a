import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from './run-cli';

const FIXTURES = path.join(__dirname, '../fixtures/simulation');
const SHOP = path.join(FIXTURES, 'shop');
const CASES = path.join(FIXTURES, 'cases');
const DIFFERENCES = path.join(FIXTURES, 'differences');

const run = runCli;

describe('cdk8s-istio test', () => {
  test('all cases pass: exit 0, a line per case and a summary', () => {
    const r = run('test', path.join(CASES, 'shop-cases.yaml'), '--manifests', SHOP);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toBe(`PASS ${path.join(CASES, 'shop-cases.yaml')}: testers reach reviews v2, header name in any case (8 requests)`);
    expect(lines[7]).toBe('7 passed, 0 failed, 7 test cases, 15 requests');
  });

  test('a failing case: exit 1, each failing request with got/want, the first explained', () => {
    const r = run('test', CASES, '--manifests', SHOP);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL ${path.join(CASES, 'failing.yaml')}: expects v2 for everyone (wrong) (2 requests)`);
    expect(r.stdout).toContain('GET reviews.shop/ [decided by shop/reviews http[1]]:');
    expect(r.stdout).toContain('route: got [{"destination":{"host":"reviews","subset":"v1"},"weight":80}');
    expect(r.stdout).toContain('header x-tester is absent');
    expect(r.stdout.match(/Outcome: ROUTED/g)).toHaveLength(1);
    expect(r.stdout).toContain('7 passed, 1 failed, 8 test cases, 17 requests');
  });

  test('--format json: one object per test case', () => {
    const r = run('test', CASES, '--manifests', SHOP, '--format', 'json');
    expect(r.code).toBe(1);
    const objects = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(objects).toHaveLength(8);
    expect(objects[0]).toMatchObject({
      file: path.join(CASES, 'failing.yaml'),
      description: 'expects v2 for everyone (wrong)',
      passed: false,
      requests: 2,
    });
    expect(objects[0].failures).toHaveLength(2);
    expect(objects[1]).toEqual({
      file: path.join(CASES, 'shop-cases.yaml'),
      description: 'testers reach reviews v2, header name in any case',
      passed: true,
      requests: 8,
      failures: [],
    });
  });

  test('a suite in the format istio-config-validator documents runs unchanged', () => {
    const dir = path.join(FIXTURES, 'validator-format');
    const r = run('test', path.join(dir, 'cases.yaml'), '--manifests', path.join(dir, 'routing.yaml'));
    expect(r.stdout).toContain('7 passed, 0 failed, 7 test cases, 21 requests');
    expect(r.code).toBe(0);
  });

  test('where istio-config-validator differs, the cases follow Istio', () => {
    const r = run('test', path.join(DIFFERENCES, 'cases.yaml'), '--manifests', path.join(DIFFERENCES, 'routing.yaml'));
    expect(r.stdout).toContain('5 passed, 0 failed');
    expect(r.code).toBe(0);
  });

  test('wantMatch false fails when the expectation holds', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-'));
    try {
      const file = path.join(dir, 'c.yaml');
      fs.writeFileSync(
        file,
        'testCases:\n  - description: not v2\n    wantMatch: false\n    request: { authority: [reviews.shop], method: [GET], uri: ["/"], headers: { x-tester: "yes" } }\n    route: [{ destination: { host: reviews, subset: v2 } }]\n',
      );
      const r = run('test', file, '--manifests', SHOP);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('which the test case says it must not be (wantMatch: false)');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    [
      'testCases:\n  - description: x\n    request: { authority: [], method: [GET], uri: ["/"] }\n',
      'request.authority must be a non-empty list of strings',
    ],
    ['testCases:\n  - description: x\n', 'request is required'],
    ['testCases: 3\n', 'testCases must be a list'],
    ['- a\n', 'a test case document must be a mapping'],
    ['testCases: [\n', 'invalid YAML'],
    ['other: 1\n', 'no testCases found'],
  ])('unusable case files exit 2: %j', (text, message) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-'));
    try {
      fs.writeFileSync(path.join(dir, 'c.yaml'), text);
      const r = run('test', dir, '--manifests', SHOP);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    [['test', '--manifests', SHOP], 'no test case file or directory given'],
    [['test', CASES], '--manifests needs at least one file or directory'],
    [['test', CASES, '--manifests', '/no/such'], '/no/such: no such file or directory'],
  ])('usage errors exit 2: %j', (argv, message) => {
    const r = run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
