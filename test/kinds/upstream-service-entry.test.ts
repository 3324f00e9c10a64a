/**
 * Istio's ServiceEntry validation tests (TestValidateServiceEntries, the WorkloadEntry cases that
 * apply to ServiceEntry endpoints, Test_validateExportTo, TestValidatePortName in
 * pkg/config/validation), situation by situation, in our own fixtures: each must get Istio's verdict.
 */
import { sameVerdicts, Situation } from './upstream';

function se(spec: Record<string, unknown>, labels?: Record<string, string>): any {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'ServiceEntry',
    metadata: { name: 'payments', namespace: 'bank', ...(labels ? { labels } : {}) },
    spec,
  };
}

const port = (number: number, name: string, protocol?: string, extra: Record<string, unknown> = {}) => ({
  number,
  name,
  ...(protocol === undefined ? {} : { protocol }),
  ...extra,
});
const TWO_HTTP = [port(80, 'http-one', 'http'), port(8080, 'http-two', 'http')];

const SERVICE_ENTRY: Situation[] = [
  {
    situation: 'DNS with a wildcard host and named endpoints',
    object: se({
      hosts: ['*.payments.example'],
      ports: TWO_HTTP,
      endpoints: [
        { address: 'eu.payments.example', ports: { 'http-one': 8080 } },
        { address: 'us.payments.example', ports: { 'http-two': 9080 } },
      ],
      resolution: 'DNS',
    }),
    verdict: 'clean',
  },
  {
    situation: 'DNS_ROUND_ROBIN with one endpoint',
    object: se({
      hosts: ['*.payments.example'],
      ports: TWO_HTTP,
      endpoints: [{ address: 'api.payments.example', ports: { 'http-one': 8080 } }],
      resolution: 'DNS_ROUND_ROBIN',
    }),
    verdict: 'clean',
  },
  {
    situation: 'DNS endpoints labelled with tlsMode',
    object: se({
      hosts: ['*.payments.example'],
      ports: TWO_HTTP,
      endpoints: [{ address: 'eu.payments.example', ports: { 'http-one': 8080 }, labels: { 'security.istio.io/tlsMode': 'istio' } }],
      resolution: 'DNS',
    }),
    verdict: 'clean',
  },
  {
    situation: 'DNS, one host, an address and an HTTPS port',
    object: se({
      hosts: ['pay.example'],
      addresses: ['10.10.10.10'],
      ports: [...TWO_HTTP, port(443, 'https', 'https')],
      resolution: 'DNS',
    }),
    verdict: 'clean',
  },
  {
    situation: 'DNS, two hosts, an address and an HTTPS port',
    object: se({
      hosts: ['pay.example', 'cards.example'],
      addresses: ['10.10.10.10'],
      ports: [...TWO_HTTP, port(443, 'https', 'https')],
      resolution: 'DNS',
    }),
    verdict: 'warning',
    field: 'spec.addresses',
  },
  ...['TCP', 'TLS', 'MONGO', 'REDIS', 'MYSQL'].map((protocol): Situation => ({
    situation: `DNS, two hosts, an address and a ${protocol} port (multiplexed by TCP)`,
    object: se({
      hosts: ['pay.example', 'cards.example'],
      addresses: ['10.10.10.10'],
      ports: [port(9000, 'data', protocol)],
      resolution: 'DNS',
    }),
    // Two hosts with a port that is neither HTTP nor TLS are an error of their own; TLS only warns.
    verdict: protocol === 'TLS' ? 'warning' : 'error',
    warnsAt: 'spec.addresses',
  })),
  {
    situation: 'DNS with an address, a wildcard host and endpoints',
    object: se({
      hosts: ['*.payments.example'],
      addresses: ['10.10.10.10'],
      ports: TWO_HTTP,
      endpoints: [{ address: 'eu.payments.example', ports: { 'http-one': 8080 } }],
      resolution: 'DNS',
    }),
    verdict: 'clean',
  },
  {
    situation: 'DNS with an IP endpoint',
    object: se({
      hosts: ['*.payments.example'],
      ports: TWO_HTTP,
      endpoints: [
        { address: '1.1.1.1', ports: { 'http-one': 8080 } },
        { address: 'us.payments.example', ports: { 'http-two': 9080 } },
      ],
      resolution: 'DNS',
    }),
    verdict: 'clean',
  },
  {
    situation: 'DYNAMIC_DNS with a wildcard host',
    object: se({ hosts: ['*.payments.example'], ports: TWO_HTTP, resolution: 'DYNAMIC_DNS' }),
    verdict: 'clean',
  },
  {
    situation: 'no hosts',
    object: se({ ports: [port(80, 'http-one', 'http')], endpoints: [{ address: 'eu.payments.example' }], resolution: 'DNS' }),
    verdict: 'error',
  },
  {
    situation: "host '-'",
    object: se({ hosts: ['-'], ports: [port(80, 'http-one', 'http')], endpoints: [{ address: 'eu.payments.example' }], resolution: 'DNS' }),
    verdict: 'error',
  },
  {
    situation: "host '*' among others",
    object: se({
      hosts: ['pay.example', '*'],
      ports: [port(80, 'http-one', 'http')],
      endpoints: [{ address: 'eu.payments.example' }],
      resolution: 'DNS',
    }),
    verdict: 'error',
  },
  {
    situation: 'a short host beside a domain',
    object: se({
      hosts: ['payments', 'pay.example'],
      ports: [port(80, 'http-one', 'http')],
      endpoints: [{ address: 'eu.payments.example', ports: { 'http-one': 9080 } }],
      resolution: 'DNS',
    }),
    verdict: 'clean',
  },
  {
    situation: 'an endpoint port the entry does not declare',
    object: se({
      hosts: ['pay.example'],
      ports: [port(80, 'http-one', 'http'), port(81, 'http-two', 'http')],
      endpoints: [{ address: 'us.payments.example', ports: { 'http-missing': 9080 } }],
      resolution: 'DNS',
    }),
    verdict: 'error',
    field: 'spec.endpoints[0].ports.http-missing',
  },
  {
    situation: 'DNS with a wildcard endpoint address',
    object: se({ hosts: ['*.payments.example'], ports: TWO_HTTP, endpoints: [{ address: '*.eu.payments.example' }], resolution: 'DNS' }),
    verdict: 'error',
  },
  {
    situation: 'DNS with a wildcard host and no endpoints',
    object: se({ hosts: ['*.payments.example'], ports: TWO_HTTP, resolution: 'DNS' }),
    verdict: 'error',
  },
  {
    situation: 'DNS with a domain and no endpoints',
    object: se({ hosts: ['pay.example'], ports: TWO_HTTP, resolution: 'DNS' }),
    verdict: 'clean',
  },
  {
    situation: 'DNS with a unix socket endpoint',
    object: se({
      hosts: ['*.payments.example'],
      ports: [port(80, 'http-one', 'http')],
      endpoints: [{ address: 'unix:///var/run/pay.sock' }],
      resolution: 'DNS',
    }),
    verdict: 'error',
  },
  { situation: 'NONE', object: se({ hosts: ['pay.example'], ports: TWO_HTTP, resolution: 'NONE' }), verdict: 'clean' },
  {
    situation: 'NONE with endpoints',
    object: se({ hosts: ['pay.example'], ports: TWO_HTTP, endpoints: [{ address: 'eu.payments.example' }], resolution: 'NONE' }),
    verdict: 'error',
  },
  {
    situation: 'NONE with a CIDR',
    object: se({ hosts: ['pay.example'], addresses: ['172.1.2.16/16'], ports: TWO_HTTP, resolution: 'NONE' }),
    verdict: 'clean',
  },
  {
    situation: 'STATIC with a CIDR and IP endpoints',
    object: se({
      hosts: ['pay.example'],
      addresses: ['172.1.2.16/16'],
      ports: TWO_HTTP,
      endpoints: [
        { address: '1.1.1.1', ports: { 'http-one': 8080 } },
        { address: '2.2.2.2', ports: { 'http-two': 9080 } },
      ],
      resolution: 'STATIC',
    }),
    verdict: 'clean',
  },
  {
    situation: 'STATIC with an address and IP endpoints',
    object: se({
      hosts: ['pay.example'],
      addresses: ['172.1.2.16'],
      ports: TWO_HTTP,
      endpoints: [{ address: '1.1.1.1' }, { address: '2.2.2.2' }],
      resolution: 'STATIC',
    }),
    verdict: 'clean',
  },
  {
    situation: 'STATIC with a host name endpoint',
    object: se({
      hosts: ['pay.example'],
      addresses: ['172.1.2.16'],
      ports: TWO_HTTP,
      endpoints: [{ address: 'pay.example' }, { address: '2.2.2.2' }],
      resolution: 'STATIC',
    }),
    verdict: 'error',
    field: 'spec.endpoints[0].address',
  },
  {
    situation: 'STATIC without endpoints',
    object: se({ hosts: ['pay.example'], addresses: ['172.1.2.16'], ports: TWO_HTTP, resolution: 'STATIC' }),
    verdict: 'clean',
  },
  {
    situation: 'STATIC with an undeclared endpoint port',
    object: se({
      hosts: ['pay.example'],
      addresses: ['172.1.2.16'],
      ports: TWO_HTTP,
      endpoints: [{ address: '2.2.2.2', ports: { 'http-missing': 9080 } }],
      resolution: 'STATIC',
    }),
    verdict: 'error',
  },
  {
    situation: 'two ports with one name',
    object: se({ hosts: ['pay.example'], ports: [port(80, 'http-same', 'http'), port(8080, 'http-same', 'http')], resolution: 'NONE' }),
    verdict: 'error',
    field: 'spec.ports[1].name',
  },
  {
    situation: 'two ports with one number',
    object: se({ hosts: ['pay.example'], ports: [port(80, 'http-one', 'http'), port(80, 'http-two', 'http')], resolution: 'NONE' }),
    verdict: 'error',
  },
  {
    situation: 'STATIC with a unix socket endpoint',
    object: se({
      hosts: ['uds.bank.local'],
      ports: [port(6553, 'grpc-pay', 'grpc')],
      endpoints: [{ address: 'unix:///var/run/pay.sock' }],
      resolution: 'STATIC',
    }),
    verdict: 'clean',
  },
  {
    situation: 'STATIC with an abstract unix socket endpoint',
    object: se({
      hosts: ['uds.bank.local'],
      ports: [port(6553, 'grpc-pay', 'grpc')],
      endpoints: [{ address: 'unix://@pay' }],
      resolution: 'STATIC',
    }),
    verdict: 'clean',
  },
  {
    situation: 'a relative unix socket path',
    object: se({
      hosts: ['uds.bank.local'],
      ports: [port(6553, 'grpc-pay', 'grpc')],
      endpoints: [{ address: 'unix://./run/pay.sock' }],
      resolution: 'STATIC',
    }),
    verdict: 'error',
  },
  {
    situation: 'a unix socket endpoint with ports',
    object: se({
      hosts: ['uds.bank.local'],
      ports: [port(6553, 'grpc-pay', 'grpc')],
      endpoints: [{ address: 'unix:///var/run/pay.sock', ports: { 'grpc-pay': 6553 } }],
      resolution: 'STATIC',
    }),
    verdict: 'error',
  },
  {
    situation: 'a unix socket endpoint with two service ports',
    object: se({
      hosts: ['uds.bank.local'],
      ports: [port(6553, 'grpc-pay', 'grpc'), port(80, 'http-pay', 'http')],
      endpoints: [{ address: 'unix:///var/run/pay.sock' }],
      resolution: 'STATIC',
    }),
    verdict: 'error',
  },
  {
    situation: 'a port without protocol, with a CIDR',
    object: se({
      hosts: ['pay.example'],
      addresses: ['172.1.2.16/16'],
      ports: [port(80, 'http-one', 'http'), port(8080, 'http-two')],
      resolution: 'NONE',
    }),
    verdict: 'clean',
  },
  {
    situation: 'a workloadSelector with resolution NONE (unset)',
    object: se({ hosts: ['pay.example'], workloadSelector: { labels: { app: 'payments' } }, ports: [port(80, 'http-one', 'http')] }),
    verdict: 'warning',
  },
  {
    situation: 'a workloadSelector without labels',
    object: se({ hosts: ['pay.example'], ports: TWO_HTTP, workloadSelector: {} }),
    verdict: 'warning',
  },
  {
    situation: 'a workloadSelector and endpoints',
    object: se({
      hosts: ['pay.example'],
      workloadSelector: { labels: { app: 'payments' } },
      ports: [port(80, 'http-one', 'http')],
      endpoints: [{ address: '1.1.1.1' }],
    }),
    verdict: 'error',
  },
  {
    situation: 'a workloadSelector with resolution NONE (explicit)',
    object: se({
      hosts: ['pay.example'],
      workloadSelector: { labels: { app: 'payments' } },
      ports: [port(80, 'http-one', 'http')],
      resolution: 'NONE',
    }),
    verdict: 'warning',
  },
  {
    situation: 'a workloadSelector with resolution DNS',
    object: se({
      hosts: ['pay.example'],
      workloadSelector: { labels: { app: 'payments' } },
      ports: [port(80, 'http-one', 'http')],
      resolution: 'DNS',
    }),
    verdict: 'clean',
  },
  {
    situation: 'a workloadSelector with an empty key',
    object: se({ hosts: ['pay.example'], workloadSelector: { labels: { '': 'payments' } }, ports: [port(80, 'http-one', 'http')] }),
    verdict: 'error',
  },
  {
    situation: 'two ports with one targetPort',
    object: se({
      hosts: ['pay.example'],
      ports: [port(80, 'http-one', 'http', { targetPort: 80 }), port(81, 'http-two', 'http', { targetPort: 80 })],
      resolution: 'DNS',
    }),
    verdict: 'clean',
  },
  {
    situation: 'a targetPort',
    object: se({ hosts: ['pay.example'], ports: [port(80, 'http-one', 'http', { targetPort: 81 })], resolution: 'DNS' }),
    verdict: 'clean',
  },
  {
    situation: 'targetPort 65536',
    object: se({ hosts: ['pay.example'], ports: [port(80, 'http-one', 'http', { targetPort: 65536 })], resolution: 'DNS' }),
    verdict: 'error',
  },
  {
    situation: 'a targetPort with a workloadSelector and resolution NONE',
    object: se({
      hosts: ['pay.example'],
      workloadSelector: { labels: { app: 'payments' } },
      ports: [port(80, 'http-one', 'http', { targetPort: 1234 })],
    }),
    verdict: 'warning',
  },
  {
    situation: 'an endpoint port number',
    object: se({
      hosts: ['pay.example'],
      ports: [port(80, 'http-one', 'http', { targetPort: 81 })],
      endpoints: [{ address: '1.1.1.1', ports: { 'http-one': 8081 } }],
      resolution: 'STATIC',
    }),
    verdict: 'clean',
  },
  {
    situation: 'an endpoint port number 65536',
    object: se({
      hosts: ['pay.example'],
      ports: [port(80, 'http-one', 'http', { targetPort: 81 })],
      endpoints: [{ address: '1.1.1.1', ports: { 'http-one': 65536 } }],
      resolution: 'STATIC',
    }),
    verdict: 'error',
  },
  {
    situation: 'a port without protocol, no addresses, NONE',
    object: se({
      hosts: ['pay.example'],
      addresses: [],
      ports: [port(80, 'http-one', 'http'), port(8080, 'http-two')],
      resolution: 'NONE',
    }),
    verdict: 'warning',
    field: 'spec.ports[1]',
  },
  {
    situation: 'a TCP port, no addresses, NONE',
    object: se({
      hosts: ['pay.example'],
      addresses: [],
      ports: [port(80, 'http-one', 'http'), port(81, 'tcp-one', 'TCP')],
      resolution: 'NONE',
    }),
    verdict: 'warning',
    field: 'spec.ports[1]',
  },
  {
    situation: 'DNS_ROUND_ROBIN with two endpoints',
    object: se({
      hosts: ['pay.example'],
      ports: [port(8081, 'http-one', 'http')],
      endpoints: [{ address: 'api.payments.example' }, { address: '1.1.1.2' }],
      resolution: 'DNS_ROUND_ROBIN',
    }),
    verdict: 'error',
  },
  {
    situation: 'DNS_ROUND_ROBIN with no endpoints',
    object: se({ hosts: ['pay.example'], ports: [port(8081, 'http-one', 'http')], endpoints: [], resolution: 'DNS_ROUND_ROBIN' }),
    verdict: 'clean',
  },
  {
    situation: 'a partial wildcard host',
    object: se({ hosts: ['*.payments.example', '*cards.example'], ports: [port(443, 'https-pay', 'HTTPS')], resolution: 'NONE' }),
    verdict: 'warning',
    field: 'spec.hosts[1]',
  },
  {
    situation: 'a STATIC endpoint with a network and no address',
    object: se({
      hosts: ['www.pay.example'],
      ports: [port(443, 'https-pay', 'HTTPS')],
      endpoints: [{ network: 'cluster-2' }],
      resolution: 'STATIC',
    }),
    verdict: 'warning',
    field: 'spec.endpoints[0].address',
  },
  {
    situation: 'a DNS endpoint with a network and no address',
    object: se({
      hosts: ['www.pay.example'],
      ports: [port(443, 'https-pay', 'HTTPS')],
      endpoints: [{ network: 'cluster-2' }],
      resolution: 'DNS',
    }),
    verdict: 'error',
    field: 'spec.endpoints[0].address',
  },
  {
    situation: 'DYNAMIC_DNS with a TCP port',
    object: se({
      hosts: ['*.payments.example'],
      ports: [port(80, 'http-one', 'http'), port(81, 'tcp-one', 'TCP')],
      resolution: 'DYNAMIC_DNS',
    }),
    verdict: 'error',
  },
  {
    situation: 'DYNAMIC_DNS with a GRPC port',
    object: se({ hosts: ['*.bank.svc.cluster.local'], ports: [port(9090, 'grpc', 'GRPC')], resolution: 'DYNAMIC_DNS' }),
    verdict: 'clean',
  },
  {
    situation: 'DYNAMIC_DNS with a plain host',
    object: se({ hosts: ['pay.example'], ports: [port(80, 'http-one', 'http')], resolution: 'DYNAMIC_DNS' }),
    verdict: 'error',
  },
  {
    situation: 'DYNAMIC_DNS with endpoints',
    object: se({
      hosts: ['*.payments.example'],
      ports: [port(80, 'http-one', 'http')],
      endpoints: [{ address: 'eu.payments.example' }],
      resolution: 'DYNAMIC_DNS',
    }),
    verdict: 'error',
  },
  {
    situation: 'DYNAMIC_DNS with an address',
    object: se({ hosts: ['*.payments.example'], addresses: ['10.10.10.10'], ports: TWO_HTTP, resolution: 'DYNAMIC_DNS' }),
    verdict: 'error',
  },
  {
    situation: 'DYNAMIC_DNS without hosts',
    object: se({ hosts: [], ports: [port(80, 'http-one', 'http')], resolution: 'DYNAMIC_DNS' }),
    verdict: 'error',
  },
  {
    situation: 'DYNAMIC_DNS with two wildcard hosts',
    object: se({ hosts: ['*.payments.example', '*.cards.example'], ports: [port(80, 'http-one', 'http')], resolution: 'DYNAMIC_DNS' }),
    verdict: 'clean',
  },
  {
    situation: 'DYNAMIC_DNS inside the mesh',
    object: se({
      hosts: ['*.payments.example'],
      ports: [port(80, 'http-one', 'http')],
      resolution: 'DYNAMIC_DNS',
      location: 'MESH_INTERNAL',
    }),
    verdict: 'clean',
  },
  {
    situation: 'DYNAMIC_DNS inside the mesh behind a waypoint',
    object: se(
      { hosts: ['*.payments.example'], ports: [port(80, 'http-one', 'http')], resolution: 'DYNAMIC_DNS', location: 'MESH_INTERNAL' },
      { 'istio.io/use-waypoint': 'bank-waypoint' },
    ),
    verdict: 'error',
    field: 'spec.location',
  },
  {
    situation: 'DYNAMIC_DNS with a null port',
    object: se({ hosts: ['*.payments.example'], location: 'MESH_EXTERNAL', ports: [null], resolution: 'DYNAMIC_DNS' }),
    verdict: 'error',
  },
  { situation: 'a null port', object: se({ hosts: ['pay.example'], ports: [null], resolution: 'NONE' }), verdict: 'error' },
  {
    situation: 'DNS with an address and a null port',
    object: se({ hosts: ['pay.example'], addresses: ['1.2.3.4'], ports: [null], resolution: 'DNS' }),
    verdict: 'error',
  },
];

const HTTPS_PORT = [port(443, 'https', 'HTTPS')];
const staticEntry = (endpoint: Record<string, unknown>) =>
  se({ hosts: ['pay.example'], ports: HTTPS_PORT, endpoints: [endpoint], resolution: 'STATIC' });
const dnsEntry = (endpoint: Record<string, unknown>) =>
  se({ hosts: ['pay.example'], ports: HTTPS_PORT, endpoints: [endpoint], resolution: 'DNS' });
const WORKLOAD_ENTRY: Situation[] = [
  { situation: 'an IP address', object: staticEntry({ address: '1.2.3.4' }), verdict: 'clean' },
  { situation: 'no address', object: staticEntry({}), verdict: 'error' },
  { situation: 'an empty address', object: staticEntry({ address: '' }), verdict: 'error' },
  { situation: 'no address but a network', object: staticEntry({ network: 'network-2' }), verdict: 'warning' },
  { situation: 'a unix socket', object: staticEntry({ address: 'unix:///var/run/pay.sock' }), verdict: 'clean' },
  {
    situation: 'a unix socket with ports',
    object: staticEntry({ address: 'unix:///var/run/pay.sock', ports: { https: 7777 } }),
    verdict: 'error',
  },
  { situation: 'a host name (DNS resolution)', object: dnsEntry({ address: 'pay.example', ports: { https: 7777 } }), verdict: 'clean' },
  {
    situation: "a host name with ':port' (DNS resolution)",
    object: dnsEntry({ address: 'pay.example:9443', ports: { https: 7777 } }),
    verdict: 'error',
  },
  { situation: 'an IP address with ports', object: staticEntry({ address: '172.16.1.1', ports: { https: 7777 } }), verdict: 'clean' },
];

const vsExport = (exportTo: string[]) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'payments', namespace: 'ns5' },
  spec: { hosts: ['payments'], exportTo, http: [{ route: [{ destination: { host: 'payments' } }] }] },
});
const seExport = (exportTo: string[]) => ({
  ...se({ hosts: ['pay.example'], ports: HTTPS_PORT, resolution: 'DNS', exportTo }),
  metadata: { name: 'payments', namespace: 'ns5' },
});
const drExport = (exportTo: string[]) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'payments', namespace: 'ns5' },
  spec: { host: 'payments', workloadSelector: { matchLabels: { app: 'payments' } }, exportTo },
});
const EXPORT_TO: Situation[] = [
  { situation: 'no exportTo', object: vsExport([]), verdict: 'clean' },
  { situation: "'*'", object: vsExport(['*']), verdict: 'clean' },
  { situation: "'.' and another namespace", object: vsExport(['.', 'ns1']), verdict: 'clean' },
  { situation: 'several namespaces, the own one among them', object: vsExport(['ns1', 'ns2', 'ns5']), verdict: 'clean' },
  { situation: "'~' on a ServiceEntry", object: seExport(['~']), verdict: 'clean' },
  { situation: "'~' on a VirtualService", object: vsExport(['~', 'ns1']), verdict: 'error' },
  { situation: "'.' with '*'", object: vsExport(['.', '*']), verdict: 'error' },
  { situation: "'*' with a namespace", object: vsExport(['*', 'ns1']), verdict: 'error' },
  { situation: "'.' with the own namespace", object: vsExport(['.', 'ns5']), verdict: 'error' },
  { situation: 'a namespace twice', object: vsExport(['ns1', 'ns2', 'ns1']), verdict: 'error' },
  { situation: "'~' twice on a ServiceEntry", object: seExport(['~', '~', 'ns1']), verdict: 'error' },
  { situation: 'a namespace with an underscore', object: vsExport(['ns1_']), verdict: 'error' },
  { situation: "'~' with a namespace on a ServiceEntry", object: seExport(['~', 'ns1']), verdict: 'error' },
  { situation: "'*' on a DestinationRule with a selector", object: drExport(['*']), verdict: 'error' },
  { situation: "'.' on a DestinationRule with a selector", object: drExport(['.']), verdict: 'clean' },
  { situation: 'another namespace on a DestinationRule with a selector', object: drExport(['otherns']), verdict: 'error' },
  { situation: "'.' and another namespace on a DestinationRule with a selector", object: drExport(['.', 'otherns']), verdict: 'error' },
  { situation: 'an upper-case namespace (Istio allows it)', object: vsExport(['Payments']), verdict: 'clean' },
];

const portNamed = (name: string) => se({ hosts: ['pay.example'], ports: [port(443, name, 'HTTPS')], resolution: 'DNS' });
const PORT_NAME: Situation[] = [
  { situation: 'a plain name', object: portNamed('https'), verdict: 'clean' },
  { situation: 'a name with a dash', object: portNamed('https-pay'), verdict: 'clean' },
  { situation: 'an upper-case name', object: portNamed('HTTPS'), verdict: 'clean' },
  { situation: 'an empty name', object: portNamed(''), verdict: 'error' },
  { situation: 'a name ending with a dash', object: portNamed('https-'), verdict: 'error' },
  { situation: 'a name with an underscore', object: portNamed('https_pay'), verdict: 'error' },
  { situation: 'a name of 64 characters', object: portNamed('p'.repeat(64)), verdict: 'error' },
];

sameVerdicts('ServiceEntry', SERVICE_ENTRY);
sameVerdicts('ServiceEntry endpoints (workload entries)', WORKLOAD_ENTRY);
sameVerdicts('exportTo', EXPORT_TO);
sameVerdicts('port names', PORT_NAME);
