import { analyze, expectCase, parseYaml, RuleCase } from './helpers';

// A Sidecar of the bank's teller workloads: inbound on 9080, outbound to its own namespace and istio-system.
const [TELLER] = parseYaml(`
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: teller
  namespace: bank
spec:
  workloadSelector:
    labels:
      app: teller
  ingress:
  - port:
      number: 9080
      protocol: HTTP
      name: http-teller
    defaultEndpoint: 127.0.0.1:8080
  egress:
  - port:
      number: 5432
      protocol: TCP
      name: tcp-ledger
    hosts:
    - ledger/ledger-db.ledger.svc.cluster.local
  - hosts:
    - ./*
    - istio-system/*
  outboundTrafficPolicy:
    mode: REGISTRY_ONLY
`);

const CASES: RuleCase[] = [
  {
    rule: 'a Sidecar configures something',
    bad: { 'spec.ingress': undefined, 'spec.egress': undefined, 'spec.outboundTrafficPolicy': undefined },
    good: { 'spec.ingress': undefined, 'spec.egress': undefined },
    field: 'spec',
    message: 'a Sidecar needs at least one of egress, ingress, outboundTrafficPolicy or inboundConnectionPool',
  },
  {
    rule: 'selector label keys without wildcard',
    bad: { 'spec.workloadSelector.labels': { 'app*': 'teller' } },
    good: { 'spec.workloadSelector.labels': { 'app.kubernetes.io/name': 'teller' } },
    field: 'spec.workloadSelector.labels.app*',
    message: 'may not contain a wildcard',
  },
  {
    rule: 'a selector without labels warns',
    bad: { 'spec.workloadSelector.labels': {} },
    good: { 'spec.workloadSelector.labels': { app: 'teller', version: 'v1' } },
    field: 'spec.workloadSelector',
    message: 'applies to every workload in the namespace',
    severity: 'warning',
  },
  {
    rule: 'ingress port names are DNS-1123 labels',
    bad: { 'spec.ingress[0].port.name': 'http_teller' },
    good: { 'spec.ingress[0].port.name': 'http-teller-2' },
    field: 'spec.ingress[0].port.name',
    message: 'must be a DNS-1123 label',
  },
  {
    rule: 'ingress protocols are known',
    bad: { 'spec.ingress[0].port.protocol': 'HTTP3' },
    good: { 'spec.ingress[0].port.protocol': 'http2' },
    field: 'spec.ingress[0].port.protocol',
    message: 'is not a known protocol',
  },
  {
    rule: 'ingress ports are 1..65535',
    bad: { 'spec.ingress[0].port.number': 0 },
    good: { 'spec.ingress[0].port.number': 65535 },
    field: 'spec.ingress[0].port.number',
    message: 'must be a port number between 1 and 65535',
  },
  {
    rule: 'ingress ports are unique',
    bad: { 'spec.ingress[1]': { port: { number: 9080, protocol: 'TCP', name: 'tcp' } } },
    good: { 'spec.ingress[1]': { port: { number: 9081, protocol: 'TCP', name: 'tcp' } } },
    field: 'spec.ingress[1].port.number',
    message: 'ports must be unique',
  },
  {
    rule: 'ingress targetPort has no effect',
    bad: { 'spec.ingress[0].port.targetPort': 8080 },
    good: { 'spec.ingress[0].port.targetPort': 0 },
    field: 'spec.ingress[0].port.targetPort',
    message: 'has no effect on Sidecars',
  },
  {
    rule: 'ingress bind is an IP',
    bad: { 'spec.ingress[0].bind': 'localhost' },
    good: { 'spec.ingress[0].bind': '0.0.0.0' },
    field: 'spec.ingress[0].bind',
    message: 'must be an IP address',
  },
  {
    rule: 'defaultEndpoint is loopback, any or a unix socket',
    bad: { 'spec.ingress[0].defaultEndpoint': '10.0.0.1:8080' },
    good: { 'spec.ingress[0].defaultEndpoint': '[::1]:8080' },
    field: 'spec.ingress[0].defaultEndpoint',
    message: "must be '127.0.0.1:<port>'",
  },
  {
    rule: 'defaultEndpoint port in range',
    bad: { 'spec.ingress[0].defaultEndpoint': ':0' },
    good: { 'spec.ingress[0].defaultEndpoint': ':8080' },
    field: 'spec.ingress[0].defaultEndpoint',
    message: 'must end with a port number between 1 and 65535',
  },
  {
    rule: 'defaultEndpoint unix socket is absolute',
    bad: { 'spec.ingress[0].defaultEndpoint': 'unix://run/teller.sock' },
    good: { 'spec.ingress[0].defaultEndpoint': 'unix:///run/teller.sock' },
    field: 'spec.ingress[0].defaultEndpoint',
    message: 'must be an absolute path to a socket file',
  },
  {
    rule: 'ingress TLS needs a TLS port',
    bad: { 'spec.ingress[0].tls': { mode: 'SIMPLE', serverCertificate: '/etc/c.pem', privateKey: '/etc/k.pem' } },
    good: {
      'spec.ingress[0].port.protocol': 'HTTPS',
      'spec.ingress[0].tls': { mode: 'SIMPLE', serverCertificate: '/etc/c.pem', privateKey: '/etc/k.pem' },
    },
    field: 'spec.ingress[0].tls',
    message: 'TLS settings need an HTTPS or TLS port',
  },
  {
    rule: 'ingress TLS has no credentialName',
    bad: { 'spec.ingress[0].port.protocol': 'HTTPS', 'spec.ingress[0].tls': { mode: 'SIMPLE', credentialName: 'teller-cert' } },
    good: {
      'spec.ingress[0].port.protocol': 'HTTPS',
      'spec.ingress[0].tls': { mode: 'SIMPLE', serverCertificate: '/etc/c.pem', privateKey: '/etc/k.pem' },
    },
    field: 'spec.ingress[0].tls.credentialName',
    message: 'is not supported in Sidecar ingress TLS',
  },
  {
    rule: 'ingress TLS mode not ISTIO_MUTUAL',
    bad: { 'spec.ingress[0].port.protocol': 'TLS', 'spec.ingress[0].tls': { mode: 'ISTIO_MUTUAL' } },
    good: {
      'spec.ingress[0].port.protocol': 'TLS',
      'spec.ingress[0].tls': { mode: 'MUTUAL', serverCertificate: '/etc/c.pem', privateKey: '/etc/k.pem', caCertificates: '/etc/ca.pem' },
    },
    field: 'spec.ingress[0].tls.mode',
    message: 'is not allowed in Sidecar ingress TLS',
  },
  {
    rule: 'ingress TLS follows the server TLS rules (SIMPLE needs a key)',
    bad: { 'spec.ingress[0].port.protocol': 'HTTPS', 'spec.ingress[0].tls': { mode: 'SIMPLE', serverCertificate: '/etc/c.pem' } },
    good: {
      'spec.ingress[0].port.protocol': 'HTTPS',
      'spec.ingress[0].tls': { mode: 'SIMPLE', serverCertificate: '/etc/c.pem', privateKey: '/etc/k.pem' },
    },
    field: 'spec.ingress[0].tls.privateKey',
    message: 'is required in SIMPLE mode',
  },
  {
    rule: 'HTTP pool on a TCP ingress port warns',
    bad: { 'spec.ingress[0].port.protocol': 'TCP', 'spec.ingress[0].connectionPool': { http: { http1MaxPendingRequests: 10 } } },
    good: { 'spec.ingress[0].connectionPool': { http: { http1MaxPendingRequests: 10 } } },
    field: 'spec.ingress[0].connectionPool.http',
    message: 'applies only to HTTP ports',
    severity: 'warning',
  },
  {
    rule: 'inbound connection pool follows the DestinationRule pool rules',
    bad: { 'spec.inboundConnectionPool': { http: { maxRetries: -1 } } },
    good: { 'spec.inboundConnectionPool': { http: { maxRetries: 0 } } },
    field: 'spec.inboundConnectionPool.http.maxRetries',
    message: 'must be >= 0',
  },
  {
    rule: 'the catch-all egress listener is last',
    bad: { 'spec.egress[2]': { port: { number: 443, protocol: 'TLS', name: 'tls' }, hosts: ['*/api.example.com'] } },
    good: {
      'spec.egress[1]': { port: { number: 443, protocol: 'TLS', name: 'tls' }, hosts: ['*/api.example.com'] },
      'spec.egress[2]': { hosts: ['./*'] },
    },
    field: 'spec.egress[1].port',
    message: 'the egress listener without port must be the last one',
  },
  {
    rule: 'egress ports are unique',
    bad: { 'spec.egress[0].port.name': 'tcp-a', 'spec.egress[1]': { port: { number: 5432, name: 'tcp-b' }, hosts: ['./*'] } },
    good: { 'spec.egress[0].port.name': 'tcp-a', 'spec.egress[1]': { port: { number: 5433, name: 'tcp-b' }, hosts: ['./*'] } },
    field: 'spec.egress[1].port.number',
    message: 'ports must be unique',
  },
  {
    rule: 'egress port 0 needs a unix socket bind',
    bad: { 'spec.egress[0].port.number': 0 },
    good: { 'spec.egress[0].port.number': 0, 'spec.egress[0].bind': 'unix:///var/run/ledger.sock' },
    field: 'spec.egress[0].bind',
    message: 'a listener on port 0 needs a unix socket bind address',
  },
  {
    rule: 'unix socket egress listeners capture DEFAULT or NONE',
    bad: { 'spec.egress[0].port.number': 0, 'spec.egress[0].bind': 'unix:///var/run/l.sock', 'spec.egress[0].captureMode': 'IPTABLES' },
    good: { 'spec.egress[0].port.number': 0, 'spec.egress[0].bind': 'unix:///var/run/l.sock', 'spec.egress[0].captureMode': 'NONE' },
    field: 'spec.egress[0].captureMode',
    message: 'must be DEFAULT or NONE',
  },
  {
    rule: 'egress listeners list hosts',
    bad: { 'spec.egress[1].hosts': [] },
    good: { 'spec.egress[1].hosts': ['*/*'] },
    field: 'spec.egress[1].hosts',
    message: 'an egress listener needs at least one host',
  },
  {
    rule: 'egress hosts are namespace/host',
    bad: { 'spec.egress[1].hosts[1]': 'istio-system' },
    good: { 'spec.egress[1].hosts[1]': '~/*' },
    field: 'spec.egress[1].hosts[1]',
    message: "must be '<namespace>/<host>'",
  },
  {
    rule: 'egress hosts are fully qualified',
    bad: { 'spec.egress[1].hosts[1]': 'ledger/ledger-db' },
    good: { 'spec.egress[1].hosts[1]': 'ledger/ledger-db.ledger' },
    field: 'spec.egress[1].hosts[1]',
    message: 'uses a short name',
  },
  {
    rule: 'egress host namespaces are labels',
    bad: { 'spec.egress[1].hosts[1]': 'Ledger_NS/*' },
    good: { 'spec.egress[1].hosts[1]': 'ledger-ns/*' },
    field: 'spec.egress[1].hosts[1]',
    message: "has an invalid namespace 'Ledger_NS'",
  },
  {
    rule: 'egress hosts have no partial wildcards',
    bad: { 'spec.egress[1].hosts[1]': '*/api*.example.com' },
    good: { 'spec.egress[1].hosts[1]': '*/*.example.com' },
    field: 'spec.egress[1].hosts[1]',
    message: 'is not a valid host',
  },
  {
    rule: 'duplicate egress hosts warn',
    bad: { 'spec.egress[1].hosts[1]': 'bank/*' },
    good: { 'spec.egress[1].hosts[1]': 'ledger/*' },
    field: 'spec.egress[1].hosts[1]',
    message: 'duplicates another egress host',
    severity: 'warning',
  },
  {
    rule: '*/* with other hosts warns',
    bad: { 'spec.egress[1].hosts[1]': '*/*' },
    good: { 'spec.egress[1].hosts': ['*/*'] },
    field: 'spec.egress[1].hosts',
    message: "'*/*' already selects every host",
    severity: 'warning',
  },
  {
    rule: 'egressProxy only with ALLOW_ANY',
    bad: { 'spec.outboundTrafficPolicy.egressProxy': { host: 'proxy.bank.svc.cluster.local', port: { number: 3128 } } },
    good: {
      'spec.outboundTrafficPolicy.mode': 'ALLOW_ANY',
      'spec.outboundTrafficPolicy.egressProxy': { host: 'proxy.bank.svc.cluster.local', port: { number: 3128 } },
    },
    field: 'spec.outboundTrafficPolicy.egressProxy',
    message: 'may only be set with mode ALLOW_ANY',
  },
  {
    rule: 'egressProxy needs a port',
    bad: {
      'spec.outboundTrafficPolicy.mode': 'ALLOW_ANY',
      'spec.outboundTrafficPolicy.egressProxy': { host: 'proxy.bank.svc.cluster.local' },
    },
    good: {
      'spec.outboundTrafficPolicy.mode': 'ALLOW_ANY',
      'spec.outboundTrafficPolicy.egressProxy': { host: 'proxy.bank.svc.cluster.local', port: { number: 3128 } },
    },
    field: 'spec.outboundTrafficPolicy.egressProxy.port',
    message: 'is required',
  },
];

describe('Sidecar webhook rules', () => {
  test('the base Sidecar is clean', () => {
    expect(analyze(TELLER)).toEqual([]);
  });

  test.each(CASES.map((c) => [c.rule, c]))('%s', (_rule, c) => expectCase(TELLER, c));

  test('a bad selector stops the other rules, as in Istio (a wildcard value is reported once, by the CRD rule)', () => {
    const bad = { ...TELLER, spec: { ...TELLER.spec, workloadSelector: { labels: { app: '*' } }, egress: [{ hosts: [] }] } };
    expect(analyze(bad).map((f) => f.field)).toEqual(['spec.workloadSelector.labels.app']);
  });
});
