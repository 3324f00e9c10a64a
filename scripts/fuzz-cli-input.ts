/**
 * Large and hostile inputs for `cdk8s-istio analyze`, generated in a temporary folder (never
 * committed): a 50 MB file of many small manifests, a 39 MB single document in flow style, a
 * 50 MB scalar, /dev/zero and a FIFO. Prints exit status, first stderr line, seconds and peak
 * RSS of each run (from /usr/bin/time), and RSS relative to the input size.
 * Usage: ts-node --transpile-only scripts/fuzz-cli-input.ts [--max-file-size <MiB>]
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

function manifest(i: number): string {
  const name = `svc-${i}`;
  switch (i % 4) {
    case 0:
      return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ns-${i % 50}\nspec:\n  selector:\n    app: ${name}\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n`;
    case 1:
      return `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: ${name}\n  namespace: ns-${i % 50}\nspec:\n  host: svc-${i - 1}\n  subsets:\n  - name: v1\n    labels:\n      version: v1\n`;
    case 2:
      return `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ${name}\n  namespace: ns-${i % 50}\nspec:\n  hosts:\n  - svc-${i - 2}\n  http:\n  - route:\n    - destination:\n        host: svc-${i - 2}\n`;
    default:
      return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ns-${i % 50}\ndata:\n  mode: "0755"\n  flag: on\n`;
  }
}

/** Writes `target` bytes of text from a generator of pieces, without holding it whole. */
function writeUntil(file: string, target: number, piece: (i: number) => string, head = '', tail = ''): number {
  const fd = fs.openSync(file, 'w');
  let size = Buffer.byteLength(head);
  fs.writeSync(fd, head);
  let i = 0;
  let chunk = '';
  while (size < target) {
    const p = piece(i++);
    chunk += p;
    size += Buffer.byteLength(p);
    if (chunk.length > 1 << 20) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  fs.writeSync(fd, chunk + tail);
  fs.closeSync(fd);
  return i;
}

function analyze(args: string[]): { code: number | null; line: string; seconds: number; rssMB: number } {
  const r = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      'TIME %e %M',
      process.execPath,
      '-r',
      'ts-node/register/transpile-only',
      '-e',
      "require('./lib/cli/main').run()",
      'cdk8s-istio',
      'analyze',
      ...args,
    ],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30, timeout: 600_000, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' } },
  );
  const time = /TIME ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  const stderr = (r.stderr ?? '').replace(/TIME .*\n?/, '');
  const line = (stderr.split('\n')[0] || (r.stdout ?? '').trim().split('\n').pop() || '').slice(0, 160);
  return { code: r.status, line, seconds: time ? Number(time[1]) : NaN, rssMB: time ? Math.round(Number(time[2]) / 1024) : NaN };
}

function main(): void {
  const extra = process.argv.slice(2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-cli-'));
  try {
    const small = path.join(dir, 'small.yaml');
    fs.writeFileSync(small, manifest(0));
    const multi = path.join(dir, 'multi.yaml');
    const docs = writeUntil(multi, 50e6, (i) => `${i > 0 ? '---\n' : ''}${manifest(i)}`);
    const flow = path.join(dir, 'flow.yaml');
    const items = writeUntil(
      flow,
      39e6,
      (i) =>
        `${i > 0 ? ', ' : ''}{apiVersion: v1, kind: Service, metadata: {name: svc-${i}, namespace: ns-${i % 50}}, spec: {selector: {app: svc-${i}}, ports: [{name: http, port: 80, targetPort: 8080}]}}`,
      '{apiVersion: v1, kind: List, items: [',
      ']}\n',
    );
    const scalar = path.join(dir, 'scalar.yaml');
    writeUntil(scalar, 50e6, () => 'x'.repeat(1000), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  k: ', '\n');
    const fifo = path.join(dir, 'pipe.yaml');
    spawnSync('mkfifo', [fifo]);
    const cases: [string, string[], number][] = [
      ['baseline (one small file)', [small], fs.statSync(small).size],
      [`50 MB multi-document (${docs} manifests)`, [multi], fs.statSync(multi).size],
      [`39 MB single flow document (${items} items)`, [flow], fs.statSync(flow).size],
      ['50 MB scalar', [scalar], fs.statSync(scalar).size],
      ['/dev/zero', ['/dev/zero'], 0],
      ['FIFO', [fifo], 0],
    ];
    for (const [name, args, size] of cases) {
      const r = analyze([...extra, ...args]);
      const ratio = size > 1e6 ? ` (${(r.rssMB / (size / 1e6)).toFixed(1)}× input)` : '';
      console.log(`${name}: exit ${r.code}, ${r.seconds} s, ${r.rssMB} MB RSS${ratio}\n  ${r.line}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
