import { fixture } from './fixtures';
import { analyze, expectCase, RuleCase, variant } from './helpers';

const SE = fixture('ServiceEntry');
const STATIC = { 'spec.resolution': 'STATIC' };

const CASES: RuleCase[] = [
  {
    rule: 'hosts are valid wildcard domains',
    bad: { 'spec.hosts[0]': 'api..styletransfer.example.com' },
    good: { 'spec.hosts[0]': 'api.styletransfer.example.com.' },
    field: 'spec.hosts[0]',
    message: 'is not a valid host',
  },
  {
    rule: 'partial wildcard hosts warn unless DYNAMIC_DNS',
    bad: { 'spec.hosts[0]': '*styletransfer.example.com', 'spec.resolution': 'NONE' },
    good: {
      'spec.hosts[0]': '*styletransfer.example.com',
      'spec.resolution': 'DYNAMIC_DNS',
      'spec.ports': [{ number: 443, name: 'tls', protocol: 'TLS' }],
    },
    field: 'spec.hosts[0]',
    message: 'is a partial wildcard',
    severity: 'warning',
  },
  {
    rule: 'workloadSelector keys have no wildcard',
    bad: { ...STATIC, 'spec.workloadSelector.labels': { 'app*': 'vm' } },
    good: { ...STATIC, 'spec.workloadSelector.labels': { app: 'vm' } },
    field: 'spec.workloadSelector.labels.app*',
    message: 'may not contain a wildcard',
  },
  {
    rule: 'workloadSelector keys are not empty',
    bad: { ...STATIC, 'spec.workloadSelector.labels': { '': 'vm' } },
    good: { ...STATIC, 'spec.workloadSelector.labels': { app: 'vm' } },
    field: 'spec.workloadSelector.labels',
    message: 'label keys may not be empty',
  },
  {
    rule: 'empty workloadSelector warns',
    bad: { ...STATIC, 'spec.workloadSelector': { labels: {} } },
    good: { ...STATIC, 'spec.workloadSelector.labels': { app: 'vm' } },
    field: 'spec.workloadSelector.labels',
    message: 'selects every workload',
    severity: 'warning',
  },
  {
    rule: 'workloadSelector with resolution NONE warns',
    bad: { 'spec.resolution': 'NONE', 'spec.addresses': ['10.0.0.1'], 'spec.workloadSelector.labels': { app: 'vm' } },
    good: { ...STATIC, 'spec.addresses': ['10.0.0.1'], 'spec.workloadSelector.labels': { app: 'vm' } },
    field: 'spec.workloadSelector',
    message: 'is not used with resolution NONE',
    severity: 'warning',
  },
  {
    rule: 'addresses are IPs or CIDRs',
    bad: { 'spec.addresses': ['styletransfer'] },
    good: { 'spec.addresses': ['240.0.0.1'] },
    field: 'spec.addresses[0]',
    message: 'must be an IP address or CIDR block',
  },
  {
    rule: "port names are DNS labels (Istio's, which allow upper case)",
    bad: { 'spec.ports[0].name': 'http_web' },
    good: { 'spec.ports[0].name': 'HTTP-web' },
    field: 'spec.ports[0].name',
    message: 'must be a DNS-1123 label',
  },
  {
    rule: 'port protocol known or empty',
    bad: { 'spec.ports[0].protocol': 'HTTP/1.1' },
    good: { 'spec.ports[0].protocol': undefined, 'spec.hosts': ['api.styletransfer.example.com'] },
    field: 'spec.ports[0].protocol',
    message: 'is not a known protocol',
  },
  {
    rule: 'TCP port without addresses warns when no IP is auto-allocated',
    bad: { 'spec.resolution': 'NONE', 'spec.ports': [{ number: 5432, name: 'pg', protocol: 'TCP' }] },
    good: { 'spec.resolution': 'NONE', 'spec.ports': [{ number: 5432, name: 'pg', protocol: 'TCP' }], 'spec.addresses': ['10.1.0.0/16'] },
    field: 'spec.ports[0]',
    message: 'without spec.addresses can only be matched by port',
    severity: 'warning',
  },
  {
    rule: 'auto-allocation is switched off by the label whatever its case',
    bad: {
      'metadata.labels': { 'networking.istio.io/enable-autoallocate-ip': 'False' },
      'spec.ports': [{ number: 5432, name: 'pg', protocol: 'TCP' }],
    },
    good: { 'spec.ports': [{ number: 5432, name: 'pg', protocol: 'TCP' }] },
    field: 'spec.ports[0]',
    message: 'without spec.addresses',
    severity: 'warning',
  },
  {
    rule: 'auto-allocation can be switched off by label',
    bad: {
      'metadata.labels': { 'networking.istio.io/enable-autoallocate-ip': 'false' },
      'spec.ports': [{ number: 5432, name: 'pg', protocol: 'TCP' }],
    },
    good: { 'spec.ports': [{ number: 5432, name: 'pg', protocol: 'TCP' }] },
    field: 'spec.ports[0]',
    message: 'without spec.addresses',
    severity: 'warning',
  },
  {
    rule: 'STATIC endpoints are IPs',
    bad: { ...STATIC, 'spec.endpoints': [{ address: 'vm1.example.com' }] },
    good: { ...STATIC, 'spec.endpoints': [{ address: '10.0.0.7' }] },
    field: 'spec.endpoints[0].address',
    message: 'must be an IP address',
  },
  {
    rule: 'STATIC unix endpoints need exactly one service port',
    bad: { ...STATIC, 'spec.endpoints': [{ address: 'unix:///var/run/a.sock' }] },
    good: {
      ...STATIC,
      'spec.ports': [{ number: 80, name: 'http', protocol: 'HTTP' }],
      'spec.endpoints': [{ address: 'unix:///var/run/a.sock' }],
    },
    field: 'spec.endpoints[0].address',
    message: 'must then declare exactly one port',
  },
  {
    rule: 'endpoint ports are declared service ports',
    bad: { ...STATIC, 'spec.endpoints': [{ address: '10.0.0.7', ports: { grpc: 8080 } }] },
    good: { ...STATIC, 'spec.endpoints': [{ address: '10.0.0.7', ports: { http: 8080 } }] },
    field: 'spec.endpoints[0].ports.grpc',
    message: 'is not a port of this ServiceEntry',
  },
  {
    rule: 'endpoint labels valid',
    bad: { ...STATIC, 'spec.endpoints': [{ address: '10.0.0.7', labels: { version: 'v 1' } }] },
    good: { ...STATIC, 'spec.endpoints': [{ address: '10.0.0.7', labels: { version: 'v1' } }] },
    field: 'spec.endpoints[0].labels.version',
    message: 'is not a valid label value',
  },
  {
    rule: 'DNS endpoints are IPs or host names',
    bad: { 'spec.endpoints': [{ address: '*.example.com' }] },
    good: { 'spec.endpoints': [{ address: 'eu.styletransfer.example.com' }] },
    field: 'spec.endpoints[0].address',
    message: 'must be an IP address or a host name with DNS resolution',
  },
  {
    rule: 'DNS without endpoints needs non-wildcard hosts',
    bad: { 'spec.hosts[0]': '*.styletransfer.example.com' },
    good: { 'spec.hosts[0]': '*.styletransfer.example.com', 'spec.endpoints': [{ address: 'eu.styletransfer.example.com' }] },
    field: 'spec.hosts[0]',
    message: 'is a wildcard, which DNS resolution cannot resolve without endpoints',
  },
  {
    rule: 'DNS with addresses, several hosts and a TCP-carried port (HTTPS counts) warns',
    bad: {
      'spec.hosts': ['a.example.com', 'b.example.com'],
      'spec.addresses': ['10.0.0.1'],
      'spec.ports': [{ number: 443, name: 'https', protocol: 'HTTPS' }],
    },
    good: {
      'spec.hosts': ['a.example.com', 'b.example.com'],
      'spec.addresses': ['10.0.0.1'],
      'spec.ports': [{ number: 80, name: 'http', protocol: 'HTTP' }],
    },
    field: 'spec.addresses',
    message: 'cannot be told apart by host',
    severity: 'warning',
  },
  {
    rule: 'several hosts with resolution need HTTP or TLS ports',
    bad: {
      'spec.hosts': ['a.example.com', 'b.example.com'],
      'spec.ports': [{ number: 9000, name: 'tcp', protocol: 'TCP' }],
    },
    good: {
      'spec.hosts': ['a.example.com', 'b.example.com'],
      'spec.ports': [{ number: 443, name: 'tls', protocol: 'TLS' }],
    },
    field: 'spec.ports[0].protocol',
    message: 'several hosts with resolution DNS need HTTP or TLS ports',
  },
  {
    rule: 'DYNAMIC_DNS: wildcard hosts only',
    bad: { 'spec.resolution': 'DYNAMIC_DNS', 'spec.ports': [{ number: 443, name: 'tls', protocol: 'TLS' }] },
    good: {
      'spec.resolution': 'DYNAMIC_DNS',
      'spec.hosts[0]': '*.styletransfer.example.com',
      'spec.ports': [{ number: 443, name: 'tls', protocol: 'TLS' }],
    },
    field: 'spec.hosts[0]',
    message: 'must be a wildcard host with resolution DYNAMIC_DNS',
  },
  {
    rule: 'DYNAMIC_DNS: no addresses',
    bad: {
      'spec.resolution': 'DYNAMIC_DNS',
      'spec.hosts[0]': '*.example.com',
      'spec.addresses': ['10.0.0.1'],
      'spec.ports': [{ number: 443, name: 'tls', protocol: 'TLS' }],
    },
    good: {
      'spec.resolution': 'DYNAMIC_DNS',
      'spec.hosts[0]': '*.example.com',
      'spec.ports': [{ number: 443, name: 'tls', protocol: 'TLS' }],
    },
    field: 'spec.addresses',
    message: 'may not be set with resolution DYNAMIC_DNS',
  },
  {
    rule: 'DYNAMIC_DNS: no endpoints',
    bad: {
      'spec.resolution': 'DYNAMIC_DNS',
      'spec.hosts[0]': '*.example.com',
      'spec.endpoints': [{ address: '10.0.0.1' }],
      'spec.ports': [{ number: 443, name: 'tls', protocol: 'TLS' }],
    },
    good: {
      'spec.resolution': 'DYNAMIC_DNS',
      'spec.hosts[0]': '*.example.com',
      'spec.ports': [{ number: 443, name: 'tls', protocol: 'TLS' }],
    },
    field: 'spec.endpoints',
    message: 'may not be set with resolution DYNAMIC_DNS',
  },
  {
    rule: 'DYNAMIC_DNS: HTTP/TLS/GRPC/HTTP2 ports only',
    bad: {
      'spec.resolution': 'DYNAMIC_DNS',
      'spec.hosts[0]': '*.example.com',
      'spec.ports': [{ number: 443, name: 'https', protocol: 'HTTPS' }],
    },
    good: {
      'spec.resolution': 'DYNAMIC_DNS',
      'spec.hosts[0]': '*.example.com',
      'spec.ports': [{ number: 443, name: 'tls', protocol: 'TLS' }],
    },
    field: 'spec.ports[0].protocol',
    message: 'must be HTTP, HTTP2, GRPC or TLS with resolution DYNAMIC_DNS',
  },
  {
    rule: 'DYNAMIC_DNS: MESH_INTERNAL not with a waypoint',
    bad: {
      'metadata.labels': { 'istio.io/use-waypoint': 'egress' },
      'spec.location': 'MESH_INTERNAL',
      'spec.resolution': 'DYNAMIC_DNS',
      'spec.hosts[0]': '*.example.com',
      'spec.ports': [{ number: 443, name: 'tls', protocol: 'TLS' }],
    },
    good: {
      'metadata.labels': { 'istio.io/use-waypoint': 'egress' },
      'spec.resolution': 'DYNAMIC_DNS',
      'spec.hosts[0]': '*.example.com',
      'spec.ports': [{ number: 443, name: 'tls', protocol: 'TLS' }],
    },
    field: 'spec.location',
    message: 'may not use a waypoint',
  },
  {
    rule: "exportTo may be '~' alone",
    bad: { 'spec.exportTo': ['~', '.'] },
    good: { 'spec.exportTo': ['~'] },
    field: 'spec.exportTo',
    message: "may not combine '~' with other entries",
  },
];

describe('ServiceEntry webhook rules', () => {
  test('the Bookinfo-shaped ServiceEntry has no findings', () => {
    expect(analyze(SE)).toEqual([]);
  });

  test.each(CASES.map((c) => [c.rule, c] as const))('%s', (_rule, c) => expectCase(SE, c));

  test.each<[string, Record<string, unknown>]>([
    [
      "a lower-case 'tcp' port without addresses (Istio compares the protocol as written)",
      { 'spec.resolution': 'NONE', 'spec.ports': [{ number: 5432, name: 'pg', protocol: 'tcp' }] },
    ],
    [
      "DYNAMIC_DNS, MESH_INTERNAL and use-waypoint 'none' (no waypoint)",
      {
        'metadata.labels': { 'istio.io/use-waypoint': 'none' },
        'spec.location': 'MESH_INTERNAL',
        'spec.resolution': 'DYNAMIC_DNS',
        'spec.hosts[0]': '*.example.com',
        'spec.ports': [{ number: 443, name: 'tls', protocol: 'TLS' }],
      },
    ],
  ])('accepts %s', (_what, changes) => {
    expect(analyze(variant(SE, changes))).toEqual([]);
  });
});
