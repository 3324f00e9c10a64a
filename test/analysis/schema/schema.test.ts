import { Severity } from '../../../lib/analysis/finding';
import { checkSchema } from '../../../lib/analysis/schema-check';
import { BOOKINFO, fixture } from '../../kinds/fixtures';
import { copy, expectCase, parseYaml, RuleCase, variant } from '../../kinds/helpers';

const VS = fixture('VirtualService', 'addedvalues');
const DR = fixture('DestinationRule', 'addedvalues');
const GW = fixture('Gateway');
const SE = fixture('ServiceEntry');

function schemaFindings(object: any) {
  return checkSchema({ object, source: { file: 'mesh.yaml' } });
}

describe('schema: registration and scope', () => {
  test('Bookinfo-shaped objects have no findings', () => {
    for (const object of BOOKINFO) expect(schemaFindings(object)).toEqual([]);
  });

  test('non-Istio objects are ignored', () => {
    expect(schemaFindings({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { bogus: 1 } })).toEqual([]);
  });

  test('v1beta1 and v1alpha3 are validated with the same schema', () => {
    for (const apiVersion of ['networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3']) {
      const bad = variant(VS, { apiVersion, 'spec.http[0].rout': [] });
      expect(schemaFindings(bad).map((f) => f.field)).toEqual(['spec.http[0].rout']);
    }
  });

  test('a finding names the object, the source and the field', () => {
    const bad = variant(VS, { 'metadata.namespace': 'bank', 'spec.http[0].timeout': '0.5ms' });
    expect(schemaFindings(bad)).toEqual([
      {
        severity: Severity.ERROR,
        code: 'IST0106',
        kind: 'VirtualService',
        namespace: 'bank',
        name: 'addedvalues',
        file: 'mesh.yaml',
        constructPath: undefined,
        field: 'spec.http[0].timeout',
        message: "spec.http[0].timeout ('0.5ms') must be a valid duration greater than 1ms",
      },
    ]);
  });
});

describe('schema: acceptance cases', () => {
  test('a typo in a field name is rejected with a suggestion', () => {
    const bad = copy(VS);
    bad.spec.http[1].rout = bad.spec.http[1].route;
    delete bad.spec.http[1].route;
    const messages = schemaFindings(bad).map((f) => f.message);
    expect(messages).toContain("spec.http[1].rout: unknown field (did you mean 'route'?)");
  });

  test('timeout 0.5ms breaks the CRD CEL rule', () => {
    const f = schemaFindings(variant(VS, { 'spec.http[0].timeout': '0.5ms' }));
    expect(f.map((x) => x.message)).toEqual(["spec.http[0].timeout ('0.5ms') must be a valid duration greater than 1ms"]);
  });

  test('a YAML document with a typo is rejected the same way', () => {
    const [object] = parseYaml(`
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: addedvalues
spec:
  host: addedvalues
  subset:
  - name: v1
`);
    expect(schemaFindings(object).map((f) => f.message)).toEqual(["spec.subset: unknown field (did you mean 'subsets'?)"]);
  });
});

const base = { vs: VS, dr: DR, gw: GW, se: SE };
const CASES: (RuleCase & { base: keyof typeof base })[] = [
  {
    base: 'vs',
    rule: 'unknown field without a close match',
    bad: { 'spec.http[0].zzzqqq': 1 },
    good: {},
    field: 'spec.http[0].zzzqqq',
    message: 'unknown field',
  },
  {
    base: 'vs',
    rule: 'only apiVersion, kind, metadata, spec, status at the top level',
    bad: { specs: {} },
    good: { status: { anything: true } },
    field: 'specs',
    message: "unknown top-level field (did you mean 'spec'?)",
  },
  {
    base: 'vs',
    rule: 'apiVersion must be a served version',
    bad: { apiVersion: 'networking.istio.io/v2' },
    good: { apiVersion: 'networking.istio.io/v1alpha3' },
    field: 'apiVersion',
    message: 'is not served for VirtualService',
  },
  {
    base: 'vs',
    rule: 'type: array',
    bad: { 'spec.hosts': 'addedvalues' },
    good: { 'spec.hosts': ['addedvalues'] },
    field: 'spec.hosts',
    message: "('addedvalues') must be an array",
  },
  {
    base: 'vs',
    rule: 'type: integer',
    bad: { 'spec.http[1].route[0].weight': '50' },
    good: { 'spec.http[1].route[0].weight': 60 },
    field: 'spec.http[1].route[0].weight',
    message: "('50') must be an integer",
  },
  {
    base: 'vs',
    rule: 'type: string',
    bad: { 'spec.http[0].timeout': 5 },
    good: { 'spec.http[0].timeout': '5s' },
    field: 'spec.http[0].timeout',
    message: '(5) must be a string',
  },
  {
    base: 'vs',
    rule: 'type: boolean',
    bad: { 'spec.http[0].match[0].ignoreUriCase': 'yes' },
    good: { 'spec.http[0].match[0].ignoreUriCase': true },
    field: 'spec.http[0].match[0].ignoreUriCase',
    message: "('yes') must be a boolean",
  },
  {
    base: 'vs',
    rule: 'type: object',
    bad: { 'spec.http[0].retries': 3 },
    good: { 'spec.http[0].retries': { attempts: 3 } },
    field: 'spec.http[0].retries',
    message: '(3) must be an object',
  },
  {
    base: 'vs',
    rule: 'format int32',
    bad: { 'spec.http[1].route[0].weight': 3000000000 },
    good: { 'spec.http[1].route[0].weight': 100 },
    field: 'spec.http[1].route[0].weight',
    message: 'must fit in a 32-bit integer',
  },
  {
    base: 'vs',
    rule: 'format byte (base64)',
    bad: { 'spec.http[0].directResponse': { status: 200, body: { bytes: 'not base64!' } }, 'spec.http[0].route': undefined },
    good: { 'spec.http[0].directResponse': { status: 200, body: { bytes: 'aGVsbG8=' } }, 'spec.http[0].route': undefined },
    field: 'spec.http[0].directResponse.body.bytes',
    message: 'must be base64-encoded',
  },
  {
    base: 'vs',
    rule: 'required field',
    bad: { 'spec.http[0].route[0].destination.host': undefined },
    good: {},
    field: 'spec.http[0].route[0].destination.host',
    message: 'required field is missing',
  },
  {
    base: 'vs',
    rule: 'oneOf: at most one of exact, prefix, regex',
    bad: { 'spec.http[0].match[0].headers.end-user.exact': 'yunqi' },
    good: { 'spec.http[0].match[0].headers.end-user': { exact: 'yunqi' } },
    field: 'spec.http[0].match[0].headers.end-user',
    message: 'only one of exact, prefix, regex may be set (found exact, prefix)',
  },
  {
    base: 'dr',
    rule: 'oneOf inside allOf (consistentHash)',
    bad: { 'spec.trafficPolicy.loadBalancer.consistentHash': { httpHeaderName: 'x-user', useSourceIp: true } },
    good: { 'spec.trafficPolicy.loadBalancer.consistentHash': { httpHeaderName: 'x-user' } },
    field: 'spec.trafficPolicy.loadBalancer.consistentHash',
    message: 'only one of httpHeaderName, httpCookie, useSourceIp, httpQueryParameterName may be set',
  },
  {
    base: 'dr',
    rule: 'enum',
    bad: { 'spec.trafficPolicy.tls.mode': 'istio_mutual' },
    good: {
      'spec.trafficPolicy.tls.mode': 'MUTUAL',
      'spec.trafficPolicy.tls.clientCertificate': '/c.pem',
      'spec.trafficPolicy.tls.privateKey': '/k.pem',
    },
    field: 'spec.trafficPolicy.tls.mode',
    message: "('istio_mutual') must be one of DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL",
  },
  {
    base: 'dr',
    rule: 'maximum',
    bad: { 'spec.trafficPolicy.loadBalancer.warmup': { duration: '10s', minimumPercent: 101 } },
    good: { 'spec.trafficPolicy.loadBalancer.warmup': { duration: '10s', minimumPercent: 100 } },
    field: 'spec.trafficPolicy.loadBalancer.warmup.minimumPercent',
    message: '(101) must be <= 100',
  },
  {
    base: 'dr',
    rule: 'minimum',
    bad: { 'spec.trafficPolicy.outlierDetection.consecutive5xxErrors': -1 },
    good: { 'spec.trafficPolicy.outlierDetection.consecutive5xxErrors': 0 },
    field: 'spec.trafficPolicy.outlierDetection.consecutive5xxErrors',
    message: '(-1) must be >= 0',
  },
  {
    base: 'dr',
    rule: 'CEL on map keys: no wildcard in workloadSelector keys',
    bad: { 'spec.workloadSelector.matchLabels': { 'app*': 'x' } },
    good: { 'spec.workloadSelector.matchLabels': { app: 'x' } },
    field: 'spec.workloadSelector.matchLabels',
    message: 'wildcard not allowed in label key match',
  },
  {
    base: 'dr',
    rule: 'CEL on map values: no wildcard in workloadSelector values',
    bad: { 'spec.workloadSelector.matchLabels': { app: 'x*' } },
    good: { 'spec.workloadSelector.matchLabels': { app: 'x' } },
    field: 'spec.workloadSelector.matchLabels.app',
    message: "('x*') wildcard not allowed in label value match",
  },
  {
    base: 'dr',
    rule: 'CEL duration in a nested traffic policy',
    bad: { 'spec.subsets[0].trafficPolicy.connectionPool.tcp.connectTimeout': 'soon' },
    good: { 'spec.subsets[0].trafficPolicy.connectionPool.tcp.connectTimeout': '250ms' },
    field: 'spec.subsets[0].trafficPolicy.connectionPool.tcp.connectTimeout',
    message: "('soon') must be a valid duration greater than 1ms",
  },
  {
    base: 'gw',
    rule: 'maxItems',
    bad: {
      'spec.servers[0].port': { number: 443, name: 'https', protocol: 'HTTPS' },
      'spec.servers[0].tls': { mode: 'SIMPLE', credentialNames: ['a', 'b', 'c'] },
    },
    good: {
      'spec.servers[0].port': { number: 443, name: 'https', protocol: 'HTTPS' },
      'spec.servers[0].tls': { mode: 'SIMPLE', credentialNames: ['a', 'b'] },
    },
    field: 'spec.servers[0].tls.credentialNames',
    message: 'must have at most 2 items (has 3)',
  },
  {
    base: 'gw',
    rule: 'CEL: credentialName and credentialNames are exclusive',
    bad: {
      'spec.servers[0].port': { number: 443, name: 'https', protocol: 'HTTPS' },
      'spec.servers[0].tls': { mode: 'SIMPLE', credentialName: 'a', credentialNames: ['b'] },
    },
    good: {
      'spec.servers[0].port': { number: 443, name: 'https', protocol: 'HTTPS' },
      'spec.servers[0].tls': { mode: 'SIMPLE', credentialName: 'a' },
    },
    field: 'spec.servers[0].tls',
    message: 'only one of credentialName or credentialNames can be set',
  },
  {
    base: 'gw',
    rule: 'CEL: credentialNames and tlsCertificates are exclusive',
    bad: {
      'spec.servers[0].port': { number: 443, name: 'https', protocol: 'HTTPS' },
      'spec.servers[0].tls': { mode: 'SIMPLE', credentialNames: ['b'], tlsCertificates: [{ serverCertificate: '/c', privateKey: '/k' }] },
    },
    good: {
      'spec.servers[0].port': { number: 443, name: 'https', protocol: 'HTTPS' },
      'spec.servers[0].tls': { mode: 'SIMPLE', credentialNames: ['b'] },
    },
    field: 'spec.servers[0].tls',
    message: 'only one of credentialNames or tlsCertificates can be set',
  },
  {
    base: 'se',
    rule: 'required spec field (hosts)',
    bad: { 'spec.hosts': undefined },
    good: {},
    field: 'spec.hosts',
    message: 'required field is missing',
  },
  {
    base: 'se',
    rule: 'minItems',
    bad: { 'spec.hosts': [] },
    good: {},
    field: 'spec.hosts',
    message: 'must have at least 1 item(s)',
  },
  {
    base: 'se',
    rule: 'maxLength',
    bad: { 'spec.addresses': ['1'.repeat(65)] },
    good: { 'spec.addresses': ['10.1.2.3'] },
    field: 'spec.addresses[0]',
    message: 'must be at most 64 characters long',
  },
  {
    base: 'se',
    rule: 'list-type map: port names unique',
    bad: { 'spec.ports[1].name': 'http' },
    good: { 'spec.ports[1].name': 'https-alt' },
    field: 'spec.ports[1].name',
    message: "duplicate entry (name='http' is already used by spec.ports[0])",
  },
  {
    base: 'se',
    rule: 'CEL: port numbers unique',
    bad: { 'spec.ports[1].number': 80 },
    good: { 'spec.ports[1].number': 8443 },
    field: 'spec.ports',
    message: 'port number cannot be duplicated',
  },
  {
    base: 'se',
    rule: 'CEL: port range',
    bad: { 'spec.ports[1].number': 70000 },
    good: { 'spec.ports[1].number': 65535 },
    field: 'spec.ports[1].number',
    message: '(70000) port must be between 1-65535',
  },
  {
    base: 'se',
    rule: 'CEL: host may not be *',
    bad: { 'spec.hosts[0]': '*' },
    good: { 'spec.hosts[0]': 'styletransfer.example.com' },
    field: 'spec.hosts[0]',
    message: "('*') hostname cannot be wildcard",
  },
  {
    base: 'se',
    rule: 'CEL: CIDR addresses only for NONE/STATIC',
    bad: { 'spec.addresses': ['10.0.0.0/24'] },
    good: { 'spec.addresses': ['10.0.0.1'] },
    field: 'spec',
    message: 'CIDR addresses are allowed only for NONE/STATIC resolution types',
  },
  {
    base: 'se',
    rule: 'CEL: workloadSelector and endpoints exclusive',
    bad: { 'spec.resolution': 'STATIC', 'spec.endpoints': [{ address: '10.0.0.1' }], 'spec.workloadSelector': { labels: { app: 'x' } } },
    good: { 'spec.resolution': 'STATIC', 'spec.endpoints': [{ address: '10.0.0.1' }] },
    field: 'spec',
    message: 'only one of WorkloadSelector or Endpoints can be set',
  },
  {
    base: 'se',
    rule: 'CEL: NONE mode has no endpoints',
    bad: { 'spec.resolution': 'NONE', 'spec.endpoints': [{ address: '10.0.0.1' }] },
    good: { 'spec.resolution': 'STATIC', 'spec.endpoints': [{ address: '10.0.0.1' }] },
    field: 'spec',
    message: 'NONE mode cannot set endpoints',
  },
  {
    base: 'se',
    rule: 'CEL: DNS_ROUND_ROBIN has at most one endpoint',
    bad: { 'spec.resolution': 'DNS_ROUND_ROBIN', 'spec.endpoints': [{ address: 'a.example.com' }, { address: 'b.example.com' }] },
    good: { 'spec.resolution': 'DNS_ROUND_ROBIN', 'spec.endpoints': [{ address: 'a.example.com' }] },
    field: 'spec',
    message: 'DNS_ROUND_ROBIN mode cannot have multiple endpoints',
  },
  {
    base: 'se',
    rule: 'CEL: endpoint needs address or network',
    bad: { 'spec.resolution': 'STATIC', 'spec.endpoints': [{ labels: { a: 'b' } }] },
    good: { 'spec.resolution': 'STATIC', 'spec.endpoints': [{ address: '10.1.0.1', labels: { a: 'b' } }] },
    field: 'spec.endpoints[0]',
    message: 'Address is required',
  },
  {
    base: 'se',
    rule: 'CEL: UDS endpoints are absolute',
    bad: {
      'spec.resolution': 'STATIC',
      'spec.ports': [{ number: 80, name: 'http', protocol: 'HTTP' }],
      'spec.endpoints': [{ address: 'unix://sock' }],
    },
    good: {
      'spec.resolution': 'STATIC',
      'spec.ports': [{ number: 80, name: 'http', protocol: 'HTTP' }],
      'spec.endpoints': [{ address: 'unix:///sock' }],
    },
    field: 'spec.endpoints[0].address',
    message: "('unix://sock') UDS must be an absolute path or abstract socket",
  },
  {
    base: 'se',
    rule: 'CEL: UDS is not a directory',
    bad: {
      'spec.resolution': 'STATIC',
      'spec.ports': [{ number: 80, name: 'http', protocol: 'HTTP' }],
      'spec.endpoints': [{ address: 'unix:///run/' }],
    },
    good: {
      'spec.resolution': 'STATIC',
      'spec.ports': [{ number: 80, name: 'http', protocol: 'HTTP' }],
      'spec.endpoints': [{ address: 'unix:///run/s' }],
    },
    field: 'spec.endpoints[0].address',
    message: 'UDS may not be a dir',
  },
  {
    base: 'se',
    rule: 'CEL: UDS endpoints have no ports',
    bad: {
      'spec.resolution': 'STATIC',
      'spec.ports': [{ number: 80, name: 'http', protocol: 'HTTP' }],
      'spec.endpoints': [{ address: 'unix:///s', ports: { http: 80 } }],
    },
    good: {
      'spec.resolution': 'STATIC',
      'spec.ports': [{ number: 80, name: 'http', protocol: 'HTTP' }],
      'spec.endpoints': [{ address: 'unix:///s' }],
    },
    field: 'spec.endpoints[0]',
    message: 'UDS may not include ports',
  },
  {
    base: 'se',
    rule: 'CEL: endpoint port names valid',
    bad: { 'spec.resolution': 'STATIC', 'spec.endpoints': [{ address: '10.0.0.1', ports: { 'http port': 8080 } }] },
    good: { 'spec.resolution': 'STATIC', 'spec.endpoints': [{ address: '10.0.0.1', ports: { http: 8080 } }] },
    field: 'spec.endpoints[0].ports',
    message: 'port name must be valid',
  },
  {
    base: 'se',
    rule: 'CEL: no wildcard in workloadSelector values',
    bad: { 'spec.resolution': 'STATIC', 'spec.workloadSelector.labels': { app: '*' } },
    good: { 'spec.resolution': 'STATIC', 'spec.workloadSelector.labels': { app: 'vm' } },
    field: 'spec.workloadSelector.labels.app',
    message: "('*') wildcard is not supported in selector",
  },
  {
    base: 'se',
    rule: 'maxProperties',
    bad: {
      'spec.resolution': 'STATIC',
      'spec.endpoints': [{ address: '10.0.0.1', ports: Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`p${i}`, 80])) }],
    },
    good: { 'spec.resolution': 'STATIC', 'spec.endpoints': [{ address: '10.0.0.1', ports: { http: 80 } }] },
    field: 'spec.endpoints[0].ports',
    message: 'must have at most 128 entries (has 129)',
  },
];

describe('schema: one case per keyword and CEL rule', () => {
  test.each(CASES.map((c) => [c.rule, c] as const))('%s', (_rule, c) => expectCase(base[c.base], c));

  test('null values are pruned, not reported', () => {
    expect(schemaFindings(variant(VS, { 'spec.http[0].timeout': null }))).toEqual([]);
  });

  test('a ServiceEntry without spec is rejected', () => {
    expect(schemaFindings(variant(SE, { spec: undefined })).map((f) => f.message)).toEqual(['spec: required field is missing']);
  });
});
