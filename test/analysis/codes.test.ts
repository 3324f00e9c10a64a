import * as fs from 'fs';
import * as path from 'path';
import { portNameAnalyzer } from '../../lib/analysis/analyzers/port-names';
import { CODES, FINDING_CODES, findingCode, UNIMPLEMENTED_ISTIOCTL_CODES } from '../../lib/analysis/codes';
import { MeshAnalysis } from '../../lib/analysis/engine';
import { Finding } from '../../lib/analysis/finding';
import { codesTable, coverageTable, README, withCodesTable, withGeneratedTables } from '../../scripts/codes-table';
import { analyze, deployment, dr, gw, namespace, se, service, sidecar, vs } from '../fixtures/analysis/builders';
import { expectGenerated } from '../support/generated-file';
import { ap, app, pa, principal } from '../fixtures/analysis/security-builders';

/** A small set of manifests that makes the analysis report one code. */
interface Scenario {
  /** What is wrong in the manifests. */
  readonly what: string;
  readonly findings: () => Finding[];
}

const ratingsRoute = (destination: any) => vs('ratings', { hosts: ['ratings'], http: [{ route: [{ destination }] }] });
const pod = (name: string, opts: { annotations?: any; containers?: any[] } = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: name }, ...(opts.annotations ? { annotations: opts.annotations } : {}) },
  spec: { containers: opts.containers ?? [{ name: 'app', image: 'app' }] },
});
// A Deployment with an injected sidecar, behind two Services with one port each.
const meshedDeploymentWith = (a: any, b: any) => {
  const d = deployment('ratings-v1', { app: 'ratings', version: 'v1' });
  d.spec.template.metadata.labels['sidecar.istio.io/inject'] = 'true';
  return [
    d,
    service('ratings', { ports: [{ name: 'http', ...a }] }),
    service('ratings-admin', { ports: [{ name: 'http-admin', ...b }] }),
  ].map((o) => (o.kind === 'Service' ? { ...o, spec: { ...o.spec, selector: { app: 'ratings' } } } : o));
};
const tlsGateway = (name: string, credentialName: string) =>
  gw(name, {
    selector: { istio: 'ingressgateway' },
    servers: [
      { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: [`${name}.example.com`], tls: { mode: 'SIMPLE', credentialName } },
    ],
  });
const gateway = (name: string, host: string) =>
  gw(name, { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [host] }] });

// One scenario per catalogued code, keyed by the code it must produce.
const SCENARIOS: Record<string, Scenario> = {
  IST0001: {
    what: 'an analyzer throws',
    findings: () => {
      const broken = jest.spyOn(portNameAnalyzer, 'analyze').mockImplementation(() => {
        throw new Error('boom');
      });
      try {
        return analyze([service('ratings')]);
      } finally {
        broken.mockRestore();
      }
    },
  },
  IST0101: {
    what: 'a route to a subset no DestinationRule defines',
    findings: () => analyze([service('ratings'), ratingsRoute({ host: 'ratings', subset: 'v7' })]),
  },
  IST0102: {
    what: 'a Namespace with a workload and no injection label',
    findings: () => analyze([namespace('teller'), deployment('teller', { app: 'teller' }, 'teller')]),
  },
  IST0106: {
    what: 'an unknown field in a VirtualService spec',
    findings: () => analyze([service('ratings'), vs('ratings', { hosts: ['ratings'], htp: [] })]),
  },
  IST0109: {
    what: 'two mesh VirtualServices for one host',
    findings: () =>
      analyze([
        service('ratings'),
        ratingsRoute({ host: 'ratings' }),
        vs('ratings-too', { hosts: ['ratings'], http: [{ route: [{ destination: { host: 'ratings' } }] }] }),
      ]),
  },
  IST0110: {
    what: 'two Sidecars selecting the same workload',
    findings: () => analyze([deployment('teller', { app: 'teller' }), sidecar('a', { app: 'teller' }), sidecar('b', { app: 'teller' })]),
  },
  IST0111: {
    what: 'two Sidecars without workload selector in one namespace',
    findings: () => analyze([sidecar('a'), sidecar('b')]),
  },
  IST0112: {
    what: 'a route without port to a Service with two ports',
    findings: () =>
      analyze([
        service('ratings', {
          ports: [
            { name: 'http', port: 9080 },
            { name: 'http-admin', port: 9090 },
          ],
        }),
        ratingsRoute({ host: 'ratings' }),
      ]),
  },
  IST0118: {
    what: 'a Service port named without a protocol',
    findings: () => analyze([service('ratings', { ports: [{ name: 'web', port: 9080 }] })]),
  },
  IST0128: {
    what: 'SIMPLE TLS without caCertificates on the traffic policy',
    findings: () => analyze([service('ratings'), dr('ratings', { host: 'ratings', trafficPolicy: { tls: { mode: 'SIMPLE' } } })]),
  },
  IST0129: {
    what: 'SIMPLE TLS without caCertificates on one port',
    findings: () =>
      analyze([
        service('ratings'),
        dr('ratings', { host: 'ratings', trafficPolicy: { portLevelSettings: [{ port: { number: 9080 }, tls: { mode: 'SIMPLE' } }] } }),
      ]),
  },
  IST0130: {
    what: 'a second rule without match',
    findings: () =>
      analyze([
        service('ratings'),
        vs('ratings', {
          hosts: ['ratings'],
          http: [{ route: [{ destination: { host: 'ratings' } }] }, { route: [{ destination: { host: 'ratings' } }] }],
        }),
      ]),
  },
  IST0131: {
    what: 'the same match twice in one rule',
    findings: () =>
      analyze([
        service('ratings'),
        vs('ratings', {
          hosts: ['ratings'],
          http: [{ match: [{ uri: { exact: '/a' } }, { uri: { exact: '/a' } }], route: [{ destination: { host: 'ratings' } }] }],
        }),
      ]),
  },
  IST0132: {
    what: 'a VirtualService bound to a Gateway that serves none of its hosts',
    findings: () =>
      analyze([
        service('ratings'),
        gateway('front', 'shop.example.com'),
        vs('ratings', { hosts: ['ratings.example.com'], gateways: ['front'], http: [{ route: [{ destination: { host: 'ratings' } }] }] }),
      ]),
  },
  IST0133: {
    what: 'a deprecated field the webhook warns about (mirrorPercent)',
    findings: () =>
      analyze([
        service('ratings'),
        vs('ratings', {
          hosts: ['ratings'],
          http: [{ route: [{ destination: { host: 'ratings' } }], mirror: { host: 'ratings' }, mirrorPercent: 10 }],
        }),
      ]),
  },
  IST0145: {
    what: 'two Gateways with the same selector, port and host',
    findings: () => analyze([gateway('front', 'shop.example.com'), gateway('front-too', 'shop.example.com')]),
  },
  IST0167: {
    what: 'a Sidecar in an ambient namespace',
    findings: () => analyze([namespace('default', { 'istio.io/dataplane-mode': 'ambient' }), sidecar('a')]),
  },
  IST0173: {
    what: 'a subset whose labels match no pod template',
    findings: () =>
      analyze([
        service('ratings'),
        deployment('ratings-v1', { app: 'ratings', version: 'v1' }),
        dr('ratings', { host: 'ratings', subsets: [{ name: 'v2', labels: { version: 'v2' } }] }),
      ]),
  },
  IST0174: {
    what: 'a DestinationRule for a host no Service provides',
    findings: () => analyze([service('ratings'), dr('nothing', { host: 'nothing' })]),
  },
  // Issue 14: istioctl analyze codes decidable from manifests.
  IST0002: {
    what: 'a fault delay given as an integer percent',
    findings: () =>
      analyze([
        service('ratings'),
        vs('ratings', {
          hosts: ['ratings'],
          http: [{ fault: { delay: { percent: 20, fixedDelay: '2s' } }, route: [{ destination: { host: 'ratings' } }] }],
        }),
      ]),
  },
  IST0107: {
    what: 'a pod annotation on a Service',
    findings: () => analyze([service('ratings', { annotations: { 'sidecar.istio.io/proxyCPU': '100m' } })]),
  },
  IST0108: {
    what: 'a misspelt Istio annotation',
    findings: () => analyze([service('ratings', { annotations: { 'networking.istio.io/exportTO': '.' } })]),
  },
  IST0116: {
    what: 'two Services giving one port of a meshed Deployment two protocols',
    findings: () => analyze(meshedDeploymentWith({ port: 9080, protocol: 'TCP' }, { port: 9080, protocol: 'UDP' })),
  },
  IST0125: {
    what: 'a port list annotation with a word in it',
    findings: () => analyze([pod('ratings', { annotations: { 'traffic.sidecar.istio.io/excludeInboundPorts': '9080,admin' } })]),
  },
  IST0134: {
    what: 'a TCP ServiceEntry without addresses',
    findings: () =>
      analyze([se('db', { hosts: ['db.example.com'], ports: [{ number: 5432, name: 'tcp-pg', protocol: 'TCP' }], resolution: 'DNS' })]),
  },
  IST0135: {
    what: 'the deprecated inject annotation on a Pod',
    findings: () => analyze([pod('ratings', { annotations: { 'sidecar.istio.io/inject': 'true' } })]),
  },
  IST0137: {
    what: 'two Services sending different ports to one target port of a meshed Deployment',
    findings: () => analyze(meshedDeploymentWith({ port: 9080, targetPort: 8080 }, { port: 80, targetPort: 8080 })),
  },
  IST0138: {
    what: 'two Gateways for the same pods serving one credential',
    findings: () => analyze([tlsGateway('front', 'shop-cert'), tlsGateway('front-too', 'shop-cert')]),
  },
  IST0140: {
    what: 'a gateway route without subset to a host a mesh VirtualService splits into subsets',
    findings: () =>
      analyze([
        service('ratings'),
        gateway('front', '*'),
        dr('ratings', { host: 'ratings', subsets: [{ name: 'v1', labels: { version: 'v1' } }] }),
        ratingsRoute({ host: 'ratings', subset: 'v1' }),
        vs('edge', { hosts: ['shop.example.com'], gateways: ['front'], http: [{ route: [{ destination: { host: 'ratings' } }] }] }),
      ]),
  },
  IST0144: {
    what: 'an application container running as user 1337',
    findings: () => analyze([pod('ratings', { containers: [{ name: 'app', image: 'app', securityContext: { runAsUser: 1337 } }] })]),
  },
  IST0150: {
    what: "an ExternalName Service with a port named 'tcp'",
    findings: () => {
      const svc = service('payments', { ports: [{ name: 'tcp', port: 443 }] });
      return analyze([{ ...svc, spec: { type: 'ExternalName', externalName: 'pay.example.com', ports: svc.spec.ports } }]);
    },
  },
  IST0165: {
    what: 'a VirtualService naming a Gateway Istio generated for a Gateway API Gateway',
    findings: () =>
      analyze([
        service('ratings'),
        vs('edge', {
          hosts: ['shop.example.com'],
          gateways: ['edge-ns/front~istio-autogenerated-k8s-gateway~http'],
          http: [{ route: [{ destination: { host: 'ratings' } }] }],
        }),
      ]),
  },
  IST0177: {
    what: 'two ServiceEntries giving one host and port two protocols',
    findings: () =>
      analyze([
        se('api-http', { hosts: ['api.example.com'], ports: [{ number: 8443, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' }),
        se('api-tls', { hosts: ['api.example.com'], ports: [{ number: 8443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS' }),
      ]),
  },
  CDK0001: {
    what: 'the same Service twice',
    findings: () => analyze([service('ratings'), service('ratings')]),
  },
  CDK0003: {
    what: 'a route delegating to a VirtualService with hosts',
    findings: () =>
      analyze([
        service('ratings'),
        vs('ratings', { hosts: ['ratings'], http: [{ delegate: { name: 'ratings-users' } }] }),
        vs('ratings-users', { hosts: ['ratings.default.svc.cluster.local'], http: [{ route: [{ destination: { host: 'ratings' } }] }] }),
      ]),
  },
  CDK0002: {
    what: 'a document without metadata.name',
    findings: () => MeshAnalysis.analyze([{ object: { kind: 'Service' }, source: { file: 'ratings.yaml' } }]),
  },
  // Security (issue 16).
  IST0127: {
    what: 'an AuthorizationPolicy selecting no workload',
    findings: () => analyze([...app('ratings'), ap('p', { selector: { matchLabels: { app: 'ratingz' } } })]),
  },
  IST0149: {
    what: 'routing on a JWT claim through a gateway whose pods no RequestAuthentication selects',
    findings: () => {
      const pod = deployment('ingressgateway', { istio: 'ingressgateway' }, 'istio-system');
      const route = vs('front', {
        hosts: ['*'],
        gateways: ['front'],
        http: [{ match: [{ headers: { '@request.auth.claims.group': { exact: 'a' } } }], route: [{ destination: { host: 'ratings' } }] }],
      });
      return analyze([service('ratings'), gateway('front', '*'), route, pod]);
    },
  },
  CDK0161: {
    what: 'a gateway route to a workload that allows only another caller',
    findings: () =>
      analyze([
        ...app('ratings'),
        gateway('front', '*'),
        vs('front', { hosts: ['*'], gateways: ['front'], http: [{ route: [{ destination: { host: 'ratings' } }] }] }),
        ap('ratings', {
          selector: { matchLabels: { app: 'ratings' } },
          rules: [{ from: [{ source: { principals: [principal('default', 'ratings')] } }] }],
        }),
      ]),
  },
  CDK0162: {
    what: 'tls DISABLE toward a STRICT namespace',
    findings: () =>
      analyze([
        ...app('ratings'),
        pa('default', { mtls: { mode: 'STRICT' } }),
        dr('ratings', { host: 'ratings', trafficPolicy: { tls: { mode: 'DISABLE' } } }),
      ]),
  },
  CDK0163: {
    what: 'a default deny without any ALLOW rule',
    findings: () => analyze([...app('ratings'), ap('deny-all', {})]),
  },
  CDK0164: {
    what: 'a principal of a service account no workload runs as',
    findings: () =>
      analyze([...app('ratings'), ap('p', { rules: [{ from: [{ source: { principals: [principal('default', 'ratingz')] } }] }] })]),
  },
};

describe('finding code catalogue', () => {
  test('codes, titles and descriptions are well-formed and unique', () => {
    expect(FINDING_CODES.length).toBeGreaterThan(0);
    for (const c of FINDING_CODES) {
      expect(c.code).toMatch(/^(IST|CDK)\d{4}$/);
      expect(c.title).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      // One sentence in our own words.
      expect(c.description).toMatch(/^[A-Z][^\n]*\.$/);
      expect(c.description.slice(0, -1)).not.toMatch(/\.\s/);
      expect(findingCode(c.code)).toBe(c);
    }
    expect(new Set(FINDING_CODES.map((c) => c.code)).size).toBe(FINDING_CODES.length);
    expect(new Set(FINDING_CODES.map((c) => c.title)).size).toBe(FINDING_CODES.length);
    expect(findingCode('IST9999')).toBeUndefined();
    // Constants read as what they report: the key is the title.
    for (const [key, c] of Object.entries(CODES)) expect(c.title).toBe(key);
    expect(CODES.ReferencedResourceNotFound.code).toBe('IST0101');
  });

  test("the README's tables of codes and of istioctl's coverage are what the catalogue generates", () => {
    const actual = fs.readFileSync(README, 'utf8');
    const expected = withGeneratedTables(actual);
    expectGenerated(
      'README.md',
      actual,
      expected,
      'Its table of finding codes or of istioctl coverage differs from lib/analysis/codes.ts: run `npm run docs:codes` and commit README.md.',
    );
    for (const c of FINDING_CODES) expect(actual).toContain(`| ${c.code} | ${c.severity} | ${c.title} |`);
    for (const c of FINDING_CODES.filter((f) => f.code.startsWith('IST'))) {
      expect(actual).toContain(`| ${c.code} | ${c.title} | ${c.severity} | yes |`);
    }
    for (const c of UNIMPLEMENTED_ISTIOCTL_CODES) expect(actual).toContain(`| ${c.code} | ${c.title} | ${c.severity} | no | ${c.reason} |`);
  });

  test("the coverage lists each of istioctl's 68 codes once: reported, or not with a reason", () => {
    const reported = FINDING_CODES.filter((c) => c.code.startsWith('IST')).map((c) => c.code);
    const missing = UNIMPLEMENTED_ISTIOCTL_CODES.map((c) => c.code);
    // Istio 1.30's messages.yaml has 67 codes; IST0177 comes from 1.31.
    expect(reported.length + missing.length).toBe(68);
    expect(new Set([...reported, ...missing]).size).toBe(68);
    for (const c of UNIMPLEMENTED_ISTIOCTL_CODES) {
      expect(c.code).toMatch(/^IST0\d{3}$/);
      expect(c.title).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(c.reason.length).toBeGreaterThan(10);
    }
    const table = coverageTable(
      [CODES.ReferencedResourceNotFound, CODES.DuplicateObject],
      [{ code: 'IST0103', title: 'PodMissingProxy', severity: CODES.SchemaWarning.severity, reason: 'Needs | pods' }],
    );
    expect(table.split('\n').slice(2)).toEqual([
      '| IST0101 | ReferencedResourceNotFound | error | yes |  |',
      '| IST0103 | PodMissingProxy | warning | no | Needs \\| pods |',
      '',
      '1 of the 2 istioctl codes are reported.',
      '',
    ]);
  });

  test('the table script rewrites only the text between the markers', () => {
    const table = codesTable([{ code: 'CDK9999', severity: CODES.InternalError.severity, title: 'Pipe', description: 'a | b.' }]);
    expect(table).toBe('| Code | Severity | Title | What it means |\n| --- | --- | --- | --- |\n| CDK9999 | error | Pipe | a \\| b. |\n');
    const readme = 'intro\n<!-- codes:start: note -->\nold\ntable\n<!-- codes:end -->\nrest\n';
    expect(withCodesTable(readme, 'new\n')).toBe('intro\n<!-- codes:start: note -->\nnew\n<!-- codes:end -->\nrest\n');
    expect(() => withCodesTable('no markers\n', 'new\n')).toThrow(/codes:start/);
    expect(() => withCodesTable('<!-- codes:start -->\nno end\n', 'new\n')).toThrow(/codes:end/);
  });

  test.each(FINDING_CODES.map((c) => [c.code, c.title, c] as const))('%s (%s) is produced by a scenario', (code, _title, entry) => {
    const scenario = SCENARIOS[code];
    if (!scenario) throw new Error(`no scenario in test/analysis/codes.test.ts produces ${code}; add one`);
    const produced = scenario.findings().filter((f) => f.code === code);
    expect(produced.length).toBeGreaterThan(0);
    // Without warningsAsErrors, a finding has its code's severity.
    for (const f of produced) expect(f.severity).toBe(entry.severity);
  });

  test('every code the scenarios produce is in the catalogue', () => {
    const produced = new Set<string>(Object.keys(SCENARIOS));
    for (const scenario of Object.values(SCENARIOS)) for (const f of scenario.findings()) produced.add(f.code);
    expect([...produced].filter((code) => findingCode(code) === undefined)).toEqual([]);
  });

  test('lib/ writes no finding code as a string literal outside codes.ts', () => {
    const lib = path.join(__dirname, '..', '..', 'lib');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (entry.name.endsWith('.ts') && file !== path.join(lib, 'analysis', 'codes.ts')) {
          // Comments may name codes; code may not.
          const source = fs
            .readFileSync(file, 'utf8')
            .replace(/\/\*[\s\S]*?\*\//g, '')
            .replace(/^\s*\/\/.*$/gm, '');
          for (const m of source.matchAll(/['"`](?:IST|CDK)\d{4}\b/g)) offenders.push(`${path.relative(lib, file)}: ${m[0]}`);
        }
      }
    };
    walk(lib);
    expect(offenders).toEqual([]);
  });
});
