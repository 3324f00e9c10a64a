import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { synthTask, TASKS } from '../../examples/traffic-management/main';
import { MeshAnalysis } from '../../lib';
import { expectGolden } from '../support/golden';

// Golden files (test/golden/traffic-management/): one per task, its Istio configuration.

let out: string;
beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'traffic-management-'));
  for (const task of TASKS) synthTask(task, out);
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

function objectsIn(dir: string): any[] {
  return fs
    .readdirSync(dir)
    .sort()
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()))
    .filter((o) => o !== null);
}

describe("Istio's traffic-management tasks as examples", () => {
  test('cover every task of the issue', () => {
    expect(TASKS.map((t) => t.folder)).toEqual([
      'request-routing',
      'fault-injection-delay',
      'fault-injection-abort',
      'traffic-shifting',
      'tcp-traffic-shifting',
      'request-timeouts',
      'circuit-breaking',
      'mirroring',
      'locality-failover',
      'ingress-gateway',
      'ingress-sni-passthrough',
      'egress-gateway-http',
      'egress-tls-origination',
      'egress-tls-passthrough',
    ]);
  });

  test.each(TASKS.map((t) => [t.folder, t]))('%s: its configuration matches its golden file', (_folder, task) => {
    const relative = path.join(task.folder, `${task.config}.yaml`);
    expectGolden(path.join('traffic-management', relative), fs.readFileSync(path.join(out, relative), 'utf8'));
  });

  test.each(TASKS.map((t) => [t.folder, t]))('%s: the folder analyzes without any finding', (_folder, task) => {
    const objects = objectsIn(path.join(out, task.folder));
    expect(objects.length).toBeGreaterThan(0);
    expect(MeshAnalysis.analyze(objects.map((object) => ({ object, source: { file: task.folder } })))).toEqual([]);
  });

  test('the tasks use the new fields: SNI passthrough, TCP weights, mirrors, locality failover, TLS origination', () => {
    const config = (folder: string) => objectsIn(path.join(out, folder)).filter((o) => o.apiVersion.startsWith('networking.istio.io/'));
    const vs = (folder: string, name: string) => config(folder).find((o) => o.kind === 'VirtualService' && o.metadata.name === name);
    expect(vs('ingress-sni-passthrough', 'nginx').spec.tls[0].match[0].sniHosts).toEqual(['nginx.example.com']);
    expect(vs('tcp-traffic-shifting', 'tcp-echo').spec.tcp[0].route.map((r: any) => r.weight)).toEqual([80, 20]);
    expect(vs('mirroring', 'httpbin').spec.http[0].mirrors).toEqual([
      { destination: { host: 'httpbin', subset: 'v2' }, percentage: { value: 100 } },
    ]);
    const helloworld = config('locality-failover').find((o) => o.kind === 'DestinationRule');
    expect(helloworld.spec.trafficPolicy.loadBalancer.localityLbSetting).toEqual({
      enabled: true,
      failover: [{ from: 'region1', to: 'region2' }],
    });
    const origination = config('egress-tls-origination').find((o) => o.metadata.name === 'cnn-tls-origination');
    expect(origination.spec.trafficPolicy.portLevelSettings[0].tls.mode).toBe('SIMPLE');
    expect(fs.existsSync(path.join(out, 'egress-gateway-http', 'app.yaml'))).toBe(false);
  });
});
