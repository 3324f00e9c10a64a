/**
 * Istio's Sidecar validation tests (TestValidateSidecar in pkg/config/validation), situation by
 * situation, in our own fixtures: each must get Istio's verdict. Istio's table runs most ingress
 * situations twice (an IPv4 and an IPv6 default endpoint); both forms appear here, not every pair.
 */
import { sameVerdicts, Situation } from './upstream';

// Istio's test validates its Sidecars in namespace 'bar'; ours live in 'vault'.
function sidecar(spec: Record<string, unknown>): any {
  return { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'teller', namespace: 'vault' }, spec };
}

const ALL = { hosts: ['*/*'] };
const egress = (...listeners: Record<string, unknown>[]) => sidecar({ egress: listeners });
const port = (number: number, protocol?: string, name?: string) => ({
  number,
  ...(protocol ? { protocol } : {}),
  ...(name ? { name } : {}),
});
const ingress = (listener: Record<string, unknown>, extra: Record<string, unknown> = { egress: [ALL] }) =>
  sidecar({ ingress: [{ port: port(9080, 'HTTP', 'web'), defaultEndpoint: '127.0.0.1:8080', ...listener }], ...extra });
const tlsIngress = (tls: Record<string, unknown>, protocol = 'TCP') => ingress({ port: port(9080, protocol, 'web'), tls });
const POOL = { http: { http1MaxPendingRequests: 512, http2MaxRequests: 512, maxRequestsPerConnection: 64, maxRetries: 8 } };

const SIDECAR: Situation[] = [
  { situation: 'nothing configured', object: sidecar({}), verdict: 'error', field: 'spec' },
  { situation: "egress to '*/*'", object: egress(ALL), verdict: 'clean' },
  {
    situation: 'a workload selector without labels',
    object: sidecar({ egress: [ALL], workloadSelector: {} }),
    verdict: 'warning',
    field: 'spec.workloadSelector',
  },
  { situation: "egress to the own namespace './*'", object: egress({ hosts: ['./*'] }), verdict: 'clean' },
  { situation: 'egress to a host of the own namespace', object: egress({ hosts: ['./ledger.example.com'] }), verdict: 'clean' },
  { situation: "egress to nothing '~/*'", object: egress({ hosts: ['~/*'] }), verdict: 'clean' },
  {
    situation: "an egress host without namespace ('*')",
    object: egress({ hosts: ['*'] }),
    verdict: 'error',
    field: 'spec.egress[0].hosts[0]',
  },
  { situation: "an egress host '/'", object: egress({ hosts: ['/'] }), verdict: 'error', field: 'spec.egress[0].hosts[0]' },
  { situation: 'an egress listener without hosts', object: egress({ hosts: [] }), verdict: 'error' },
  {
    situation: 'two egress listeners without port',
    object: egress({ hosts: ['*/ledger.example.com'] }, { hosts: ['audit/teller.example.com'] }),
    verdict: 'error',
  },
  {
    situation: 'the listener without port is not the last',
    object: egress({ hosts: ['*/ledger.example.com'] }, { port: port(8080, 'http', 'h8080'), hosts: ['audit/teller.example.com'] }),
    verdict: 'error',
    field: 'spec.egress[0].port',
  },
  {
    situation: 'an unknown protocol and a port above 65535',
    object: egress({ port: port(1000000, 'http1'), hosts: ['audit/teller.example.com'] }),
    verdict: 'error',
  },
  { situation: 'a port without name', object: egress({ port: port(8080, 'http'), hosts: ['audit/teller.example.com'] }), verdict: 'clean' },
  {
    situation: 'an egress listener on an abstract-looking unix socket path',
    object: egress({ port: port(0, 'http', 'uds'), bind: 'unix:///@ledger/sock', hosts: ['audit/teller.example.com'] }),
    verdict: 'clean',
  },
  {
    situation: 'an egress listener on a unix socket file',
    object: egress({ port: port(0, 'http', 'uds'), bind: 'unix:///var/run/ledger', hosts: ['audit/teller.example.com'] }),
    verdict: 'clean',
  },
  {
    situation: 'an ingress listener bound to a unix socket',
    object: sidecar({ ingress: [{ port: port(0, 'http', 'uds'), bind: 'unix:///@ledger/sock', defaultEndpoint: '127.0.0.1:9999' }] }),
    verdict: 'error',
  },
  {
    situation: 'port 0 with a bind that is no unix socket',
    object: egress({ port: port(0, 'http', 'uds'), bind: 'file:///@ledger/sock', hosts: ['audit/teller.example.com'] }),
    verdict: 'error',
    field: 'spec.egress[0].bind',
  },
  {
    situation: 'a unix socket listener captured by iptables',
    object: egress({
      port: port(0, 'http', 'uds'),
      bind: 'unix:///@ledger/sock',
      captureMode: 'IPTABLES',
      hosts: ['audit/teller.example.com'],
    }),
    verdict: 'error',
    field: 'spec.egress[0].captureMode',
  },
  {
    situation: 'two egress listeners on one unix socket',
    object: egress(
      { port: port(0, 'http', 'uds'), bind: 'unix:///@ledger/sock', hosts: ['audit/teller.example.com'] },
      { port: port(0, 'http', 'uds'), bind: 'unix:///@ledger/sock', hosts: ['audit/teller.example.com'] },
    ),
    verdict: 'error',
    field: 'spec.egress[1].bind',
  },
  {
    situation: 'two egress listeners on one port',
    object: egress(
      { port: port(90, 'http', 'web'), hosts: ['audit/a.example.com'] },
      { port: port(90, 'tcp', 'tcp'), hosts: ['ledger/a.example.com'] },
    ),
    verdict: 'error',
    field: 'spec.egress[1].port.number',
  },
  {
    situation: 'an ingress listener without port',
    object: sidecar({ ingress: [{ defaultEndpoint: '127.0.0.1:110' }], egress: [ALL] }),
    verdict: 'error',
  },
  {
    situation: 'two ingress listeners on one port',
    object: sidecar({
      ingress: [
        { port: port(90, 'http', 'web'), defaultEndpoint: '[::1]:110' },
        { port: port(90, 'tcp', 'raw'), defaultEndpoint: '[::1]:110' },
      ],
      egress: [ALL],
    }),
    verdict: 'error',
    field: 'spec.ingress[1].port.number',
  },
  { situation: 'an ingress listener without default endpoint', object: ingress({ defaultEndpoint: undefined }), verdict: 'clean' },
  { situation: 'a default endpoint on another IPv4 host', object: ingress({ defaultEndpoint: '10.1.1.1:90' }), verdict: 'error' },
  { situation: 'a default endpoint on another IPv6 host', object: ingress({ defaultEndpoint: '[2001:db8::1]:90' }), verdict: 'error' },
  { situation: "a default endpoint 'unix:///'", object: ingress({ defaultEndpoint: 'unix:///' }), verdict: 'error' },
  { situation: 'a default endpoint whose IPv4 port is no number', object: ingress({ defaultEndpoint: '127.0.0.1:web' }), verdict: 'error' },
  { situation: 'a default endpoint whose IPv6 port is no number', object: ingress({ defaultEndpoint: '[::1]:web' }), verdict: 'error' },
  { situation: 'ingress to IPv4 loopback, egress to all', object: ingress({}), verdict: 'clean' },
  { situation: 'ingress to IPv6 loopback, egress to all', object: ingress({ defaultEndpoint: '[::1]:8080' }), verdict: 'clean' },
  { situation: 'ingress only', object: ingress({}, {}), verdict: 'clean' },
  { situation: 'an outbound traffic policy only', object: sidecar({ outboundTrafficPolicy: { mode: 'ALLOW_ANY' } }), verdict: 'clean' },
  { situation: 'an ingress port without protocol', object: ingress({ port: port(9080, undefined, 'web') }), verdict: 'clean' },
  {
    situation: 'ALLOW_ANY without egress proxy',
    object: sidecar({ outboundTrafficPolicy: { mode: 'ALLOW_ANY' }, egress: [ALL] }),
    verdict: 'clean',
  },
  {
    situation: 'an egress proxy with REGISTRY_ONLY (the default)',
    object: sidecar({
      outboundTrafficPolicy: { egressProxy: { host: 'proxy.bank', subset: 'edge', port: { number: 3128 } } },
      egress: [ALL],
    }),
    verdict: 'error',
  },
  {
    situation: 'an egress proxy with ALLOW_ANY',
    object: sidecar({
      outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { host: 'proxy.bank', subset: 'edge', port: { number: 3128 } } },
      egress: [ALL],
    }),
    verdict: 'clean',
  },
  {
    situation: 'an egress proxy host that is no host name',
    object: sidecar({
      outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { host: 'proxy*3128', subset: 'edge', port: { number: 3128 } } },
      egress: [ALL],
    }),
    verdict: 'error',
  },
  {
    situation: 'an egress proxy without port',
    object: sidecar({ outboundTrafficPolicy: { mode: 'ALLOW_ANY', egressProxy: { host: 'proxy.bank', subset: 'edge' } }, egress: [ALL] }),
    verdict: 'error',
  },
  { situation: "'*/*' next to another host", object: egress({ hosts: ['*/*', 'audit/a.example.com'] }), verdict: 'warning' },
  {
    situation: 'a host of any namespace next to one of a namespace',
    object: egress({ hosts: ['*/b.example.com', 'audit/a.example.com'] }),
    verdict: 'clean',
  },
  { situation: "'ns/*' next to a host of ns", object: egress({ hosts: ['audit/*', 'audit/a.example.com'] }), verdict: 'warning' },
  { situation: 'a partial wildcard host', object: egress({ hosts: ['audit/*a.example.com'] }), verdict: 'error' },
  { situation: "'./*' next to a host of the own namespace", object: egress({ hosts: ['./*', 'vault/a.example.com'] }), verdict: 'warning' },
  { situation: 'ingress TLS in ISTIO_MUTUAL', object: tlsIngress({ mode: 'ISTIO_MUTUAL' }, 'HTTP'), verdict: 'error' },
  { situation: 'ingress TLS in AUTO_PASSTHROUGH', object: tlsIngress({ mode: 'AUTO_PASSTHROUGH' }, 'HTTP'), verdict: 'error' },
  { situation: 'ingress TLS on a TCP port', object: tlsIngress({ mode: 'SIMPLE' }), verdict: 'error' },
  { situation: 'ingress TLS with httpsRedirect', object: tlsIngress({ mode: 'SIMPLE', httpsRedirect: true }), verdict: 'error' },
  {
    situation: 'ingress TLS with subjectAltNames',
    object: tlsIngress({ mode: 'SIMPLE', subjectAltNames: ['teller.bank'] }),
    verdict: 'error',
  },
  { situation: 'ingress TLS with credentialName', object: tlsIngress({ mode: 'SIMPLE', credentialName: 'teller-cert' }), verdict: 'error' },
  {
    situation: 'ingress TLS with credentialNames',
    object: tlsIngress({ mode: 'SIMPLE', credentialNames: ['teller-cert'] }),
    verdict: 'error',
  },
  {
    situation: 'ingress TLS with tlsCertificates',
    object: tlsIngress({
      mode: 'SIMPLE',
      tlsCertificates: [
        { serverCertificate: '/etc/certs/a.crt', privateKey: '/etc/certs/a.key' },
        { serverCertificate: '/etc/certs/b.crt', privateKey: '/etc/certs/b.key' },
      ],
    }),
    verdict: 'error',
  },
  { situation: 'an inbound connection pool', object: sidecar({ inboundConnectionPool: POOL }), verdict: 'clean' },
  {
    situation: 'a port-level pool with a top-level one',
    object: sidecar({ ingress: [{ port: port(9080, 'HTTP', 'web'), connectionPool: POOL }], inboundConnectionPool: POOL }),
    verdict: 'clean',
  },
  {
    situation: 'a port-level pool alone',
    object: sidecar({ ingress: [{ port: port(9080, 'HTTP', 'web'), connectionPool: POOL }] }),
    verdict: 'clean',
  },
  {
    situation: 'HTTP pool settings on a TCP port',
    object: sidecar({ ingress: [{ port: port(9080, 'TCP', 'raw'), connectionPool: POOL }] }),
    verdict: 'warning',
    field: 'spec.ingress[0].connectionPool.http',
  },
  { situation: 'an empty top-level pool', object: sidecar({ inboundConnectionPool: {} }), verdict: 'error' },
  {
    situation: 'an empty port-level pool',
    object: sidecar({ ingress: [{ port: port(9080, 'TCP', 'raw'), connectionPool: {} }] }),
    verdict: 'error',
  },
];

sameVerdicts('Sidecar', SIDECAR);
