import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Duration, JsonPatch } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { Gateway, HeaderMatch, IstioApp, MeshAnalysis, RouteDestination, Severity, StringMatch, VirtualService } from '../../lib';

// The acceptance cases, each checked three ways: the typed API refuses it at
// construction, an escape hatch (JSON patch) that smuggles it in fails IstioApp.synth,
// and the same object as YAML is reported by the analysis, all naming the field.

const BASE_VS = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
    - route:
        - destination: { host: reviews }
`;

function analyzeYaml(text: string) {
  const manifests = parseAllDocuments(text).map((d) => ({ object: d.toJS(), source: { file: 'case.yaml' } }));
  return MeshAnalysis.analyze(manifests).filter((f) => f.severity === Severity.ERROR);
}

function withVs(patch: (spec: any) => void): string {
  const [doc] = parseAllDocuments(BASE_VS).map((d) => d.toJS());
  patch(doc.spec);
  return JSON.stringify(doc);
}

function synthWithPatch(patch: JsonPatch): { error: string; wrote: boolean } {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'admission-')), 'out');
  const app = new IstioApp({ outdir });
  const chart = new Chart(app, 'routing');
  const vs = new VirtualService(chart, 'reviews', {
    hosts: ['reviews'],
    http: [{ route: [{ destination: RouteDestination.toHost('reviews') }] }],
  });
  vs.apiObject.addJsonPatch(patch);
  let error = '';
  try {
    app.synth();
  } catch (e) {
    error = (e as Error).message;
  }
  return { error, wrote: fs.existsSync(outdir) };
}

const CASES = [
  {
    what: "a typo'd field",
    yaml: withVs((s) => (s.http[0].rout = s.http[0].route)),
    patch: JsonPatch.add('/spec/http/0/rout', []),
    field: 'spec.http[0].rout',
  },
  {
    what: 'a 0.5ms timeout',
    yaml: withVs((s) => (s.http[0].timeout = '0.5ms')),
    patch: JsonPatch.add('/spec/http/0/timeout', '0.5ms'),
    field: 'spec.http[0].timeout',
    construct: () =>
      new VirtualService(new Chart(new IstioApp(), 'c'), 'vs', {
        hosts: ['reviews'],
        http: [{ route: [{ destination: RouteDestination.toHost('reviews') }], timeout: Duration.millis(0.5) }],
      }),
  },
  {
    what: 'a weight of -1',
    yaml: withVs((s) => (s.http[0].route[0].weight = -1)),
    patch: JsonPatch.add('/spec/http/0/route/0/weight', -1),
    field: 'spec.http[0].route[0].weight',
    construct: () =>
      new VirtualService(new Chart(new IstioApp(), 'c'), 'vs', {
        hosts: ['reviews'],
        http: [{ route: [{ destination: RouteDestination.toHost('reviews'), weight: -1 }] }],
      }),
  },
  {
    what: "a header match named 'end user'",
    yaml: withVs((s) => (s.http[0].match = [{ headers: { 'end user': { exact: 'jason' } } }])),
    patch: JsonPatch.add('/spec/http/0/match', [{ headers: { 'end user': { exact: 'jason' } } }]),
    field: 'spec.http[0].match[0].headers',
    construct: () =>
      new VirtualService(new Chart(new IstioApp(), 'c'), 'vs', {
        hosts: ['reviews'],
        http: [
          { match: [{ headers: [HeaderMatch.exact('end user', 'jason')] }], route: [{ destination: RouteDestination.toHost('reviews') }] },
        ],
      }),
  },
  {
    what: 'a regex with a lookahead',
    yaml: withVs((s) => (s.http[0].match = [{ uri: { regex: '^/(?=api)' } }])),
    patch: JsonPatch.add('/spec/http/0/match', [{ uri: { regex: '^/(?=api)' } }]),
    field: 'spec.http[0].match[0].uri.regex',
    construct: () =>
      new VirtualService(new Chart(new IstioApp(), 'c'), 'vs', {
        hosts: ['reviews'],
        http: [{ match: [{ uri: StringMatch.regex('^/(?=api)') }], route: [{ destination: RouteDestination.toHost('reviews') }] }],
      }),
  },
];

describe.each(CASES)('$what', (c) => {
  test('is reported by the analysis of YAML, naming the field', () => {
    const errors = analyzeYaml(c.yaml);
    expect(errors.map((f) => f.field ?? '').some((f) => f.startsWith(c.field))).toBe(true);
  });

  test('smuggled in through an escape hatch, fails IstioApp.synth naming the field and writes nothing', () => {
    const { error, wrote } = synthWithPatch(c.patch);
    expect(error).toContain('VirtualService/reviews');
    expect(error).toContain(c.field);
    expect(wrote).toBe(false);
  });

  if (c.construct) {
    test('is refused by the typed API at construction, naming the field', () => {
      expect(c.construct).toThrow(`VirtualService 'vs': ${c.field}`);
    });
  }
});

describe("a Gateway named 'a.b'", () => {
  test('is reported by the analysis of YAML', () => {
    const errors = analyzeYaml(`
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: a.b }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ['*'] }]
`);
    expect(errors.map((f) => `${f.kind}/${f.name} ${f.field}`)).toContain('Gateway/a.b metadata.name');
  });

  test('is refused at construction', () => {
    expect(() => new Gateway(new Chart(new IstioApp(), 'c'), 'a.b')).toThrow(
      "Gateway 'a.b': metadata.name ('a.b') must be a DNS-1123 label",
    );
  });
});
