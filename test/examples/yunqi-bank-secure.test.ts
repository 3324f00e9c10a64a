import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { synthSecure, synthTutorial } from '../../examples/yunqi-bank/main';
import { AuthorizationEvaluator, AuthorizationOutcome, MeshAnalysis, Severity } from '../../lib';
import { main as cli } from '../../lib/cli/main';

// Golden files: regenerate after an intended change with: UPDATE_GOLDEN=1 npx jest test/examples
const GOLDEN = path.join(__dirname, '..', 'golden');
const FILES = [
  'app.yaml',
  'destination-rule-all.yaml',
  'gateway.yaml',
  'namespace.yaml',
  'security.yaml',
  'serviceentry.yaml',
  'virtual-service-user-v2-v3.yaml',
];
const INGRESS = 'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account';

let out: string;
let objects: any[];
beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'yunqi-bank-secure-'));
  synthSecure(path.join(out, 'yunqi-bank-secure'));
  synthTutorial(path.join(out, 'yunqi-bank'));
  objects = FILES.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(out, 'yunqi-bank-secure', f), 'utf8')).map((d) => d.toJS()));
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

/** A workload of the output: its name, pod labels, namespace and mTLS identity, read from its Deployment. */
interface Workload {
  readonly name: string;
  readonly namespace: string;
  readonly labels: { [key: string]: string };
  readonly principal: string;
  readonly port: number;
}

function workloads(): Workload[] {
  return objects
    .filter((o) => o.kind === 'Deployment')
    .map((d) => {
      const namespace = d.metadata.namespace ?? 'default';
      return {
        name: d.metadata.name,
        namespace,
        labels: d.spec.template.metadata.labels,
        principal: `cluster.local/ns/${namespace}/sa/${d.spec.template.spec.serviceAccountName}`,
        port: d.spec.template.spec.containers[0].ports[0].containerPort,
      };
    });
}

describe('yunqi-bank secure variant', () => {
  test('writes the tutorial files plus security.yaml, each as its golden file', () => {
    const written = fs.readdirSync(path.join(out, 'yunqi-bank-secure')).sort();
    expect(written).toEqual(FILES);
    for (const file of FILES) {
      const actual = fs.readFileSync(path.join(out, 'yunqi-bank-secure', file), 'utf8');
      const golden = path.join(GOLDEN, 'yunqi-bank-secure', file);
      if (process.env.UPDATE_GOLDEN) {
        fs.mkdirSync(path.dirname(golden), { recursive: true });
        fs.writeFileSync(golden, actual);
      }
      expect(actual).toEqual(fs.readFileSync(golden, 'utf8'));
    }
  });

  test('the files other than security.yaml equal the tutorial ones', () => {
    for (const file of FILES.filter((f) => f !== 'security.yaml')) {
      expect(fs.readFileSync(path.join(out, 'yunqi-bank-secure', file), 'utf8')).toEqual(
        fs.readFileSync(path.join(out, 'yunqi-bank', file), 'utf8'),
      );
    }
  });

  test('every declared call is allowed and every other call between workloads is denied', () => {
    const evaluator = AuthorizationEvaluator.fromObjects(objects);
    const all = workloads();
    expect(all.map((w) => w.name).sort()).toEqual(['addedvalues-v1', 'addedvalues-v2', 'addedvalues-v3', 'details-v1', 'productpage-v1']);
    // The tutorial's call graph, by app: the ingress gateway calls productpage, which calls details and addedvalues.
    const declared = new Set(['ingress->productpage', 'productpage->details', 'productpage->addedvalues']);
    const callers = [{ name: 'ingress', labels: { app: 'ingress' }, principal: INGRESS }, ...all];
    let allowed = 0;
    let denied = 0;
    for (const caller of callers) {
      for (const callee of all) {
        const path = caller.name === 'ingress' ? '/productpage' : '/';
        for (const method of ['GET', 'POST']) {
          const decision = evaluator.evaluate(
            { namespace: callee.namespace, labels: callee.labels, port: callee.port },
            { principal: caller.principal, method, path },
          );
          const expected = declared.has(`${caller.labels.app}->${callee.labels.app}`)
            ? AuthorizationOutcome.ALLOW
            : AuthorizationOutcome.DENY;
          expect({ call: `${caller.name} -> ${callee.name} ${method} ${path}`, outcome: decision.outcome }).toEqual({
            call: `${caller.name} -> ${callee.name} ${method} ${path}`,
            outcome: expected,
          });
          if (expected === AuthorizationOutcome.ALLOW) allowed++;
          else denied++;
        }
      }
    }
    // 1 (ingress) + 1 (details) + 3 (addedvalues versions) callee workloads declared, times two methods.
    expect(allowed).toBe(2 * (1 + 1 + 3));
    expect(denied).toBe(callers.length * all.length * 2 - allowed);
  });

  test('the ingress gateway reaches productpage only on the routed URIs; plain text is refused everywhere', () => {
    const evaluator = AuthorizationEvaluator.fromObjects(objects);
    const productpage = workloads().find((w) => w.name === 'productpage-v1')!;
    const target = { namespace: productpage.namespace, labels: productpage.labels, port: productpage.port };
    for (const p of ['/productpage', '/static/style.css', '/login', '/logout', '/api/v1/products/7']) {
      expect([p, evaluator.evaluate(target, { principal: INGRESS, path: p }).outcome]).toEqual([p, AuthorizationOutcome.ALLOW]);
    }
    for (const p of ['/admin', '/productpage/x', '/api/v2/products']) {
      expect([p, evaluator.evaluate(target, { principal: INGRESS, path: p }).outcome]).toEqual([p, AuthorizationOutcome.DENY]);
    }
    for (const w of workloads()) {
      expect(evaluator.evaluate({ namespace: w.namespace, labels: w.labels, port: w.port }, { path: '/' }).reason).toMatch(
        /plain text is refused/,
      );
    }
  });

  test('analyzes without findings (schema, CEL and rule book included), and the CLI exits 0', () => {
    const findings = MeshAnalysis.analyze(objects.map((object) => ({ object, source: { file: 'yunqi-bank-secure' } })));
    expect(findings.filter((f) => f.severity !== Severity.INFO)).toEqual([]);
    let output = '';
    expect(cli(['analyze', path.join(out, 'yunqi-bank-secure')], { stdout: (t) => (output += t), stderr: (t) => (output += t) })).toBe(0);
  });

  test("dropping the ingress gateway from productpage's callers is caught by the analysis (CDK0161)", () => {
    const broken = objects.map((o) =>
      o.kind === 'AuthorizationPolicy' && o.metadata.name === 'productpage-callers'
        ? { ...o, spec: { ...o.spec, rules: [{ from: [{ source: { principals: ['cluster.local/ns/default/sa/details'] } }] }] } }
        : o,
    );
    const findings = MeshAnalysis.analyze(broken.map((object) => ({ object, source: {} })));
    expect(findings.filter((f) => f.code === 'CDK0161').map((f) => `${f.kind}/${f.name} ${f.field}`)).toEqual([
      'VirtualService/yunqi-bank spec.http[0].route[0].destination',
    ]);
  });
});
