/**
 * Istio's Gateway validation tests (TestValidateGateway, TestValidateK8sGateway, TestValidateServer,
 * TestValidateServerPort, TestValidateTlsOptions in pkg/config/validation), situation by situation,
 * in our own fixtures: each must get Istio's verdict. Knowing differences are in docs/istio-parity.md.
 */
import { sameVerdicts, Situation } from './upstream';

function gateway(servers: any[], metadata: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'bank-gateway', namespace: 'bank', ...metadata },
    spec: { selector: { istio: 'ingressgateway' }, servers },
  };
}

const http = (number = 8080, extra: Record<string, unknown> = {}) => ({ number, name: 'web', protocol: 'HTTP', ...extra });
const server = (s: Record<string, unknown>) => gateway([{ hosts: ['bank.example.com'], port: http(), ...s }]);

const GATEWAY: Situation[] = [
  { situation: 'no servers', object: gateway([]), verdict: 'error', field: 'spec.servers' },
  { situation: 'one plain HTTP server on a domain', object: server({}), verdict: 'clean' },
  {
    situation: 'two servers with distinct port names',
    object: gateway([
      { hosts: ['bank.example.com'], port: http(8080) },
      { hosts: ['pay.example.com'], port: { number: 8081, name: 'web-alt', protocol: 'HTTP' } },
    ]),
    verdict: 'clean',
  },
  { situation: "'~/host' without gateway semantics", object: server({ hosts: ['~/bank.example.com'] }), verdict: 'error' },
  { situation: 'port above 65535', object: server({ port: http(66000) }), verdict: 'error' },
  {
    situation: 'two servers share a port name',
    object: gateway([
      { hosts: ['bank.example.com'], port: http(80) },
      { hosts: ['pay.example.com'], port: http(8080) },
    ]),
    verdict: 'error',
    field: 'spec.servers[1].port.name',
  },
  { situation: 'wildcard in a middle label', object: server({ hosts: ['bank.*.example.com'] }), verdict: 'error' },
  { situation: 'httpsRedirect on an HTTP server', object: server({ tls: { httpsRedirect: true } }), verdict: 'clean' },
  {
    situation: 'httpsRedirect on an HTTPS server',
    object: server({ port: { number: 80, name: 'secure', protocol: 'HTTPS' }, tls: { httpsRedirect: true } }),
    verdict: 'warning',
  },
  {
    situation: 'partial wildcard host on a TLS server',
    object: server({ hosts: ['*bank.com'], port: { number: 443, name: 'tls', protocol: 'TLS' }, tls: { mode: 'ISTIO_MUTUAL' } }),
    verdict: 'error',
  },
];

const SEMANTICS = { annotations: { 'internal.istio.io/gateway-semantics': 'gateway' } };
const K8S_GATEWAY: Situation[] = [
  {
    situation: "'~/host' on a gateway converted from the Gateway API",
    object: gateway([{ hosts: ['~/bank.example.com'], port: http() }], SEMANTICS),
    verdict: 'clean',
  },
  {
    situation: 'a dotted name on a gateway converted from the Gateway API',
    object: gateway([{ hosts: ['bank.example.com'], port: http() }], { name: 'bank.gateway', ...SEMANTICS }),
    verdict: 'clean',
  },
  {
    situation: 'a dotted name without gateway semantics',
    object: gateway([{ hosts: ['bank.example.com'], port: http() }], { name: 'bank.gateway' }),
    verdict: 'error',
    field: 'metadata.name',
  },
];

const SERVER: Situation[] = [
  { situation: 'no hosts', object: server({ hosts: [] }), verdict: 'error' },
  { situation: 'no port', object: gateway([{ hosts: ['bank.example.com'] }]), verdict: 'error' },
  { situation: 'an IP address as host', object: server({ hosts: ['10.1.2.3'] }), verdict: 'clean' },
  { situation: "'ns/host'", object: server({ hosts: ['bank/bank.example.com'] }), verdict: 'clean' },
  { situation: "'*/host'", object: server({ hosts: ['*/bank.example.com'] }), verdict: 'clean' },
  { situation: "'./host'", object: server({ hosts: ['./bank.example.com'] }), verdict: 'clean' },
  { situation: "'~/host'", object: server({ hosts: ['~/bank.example.com'] }), verdict: 'error' },
  { situation: "'ns/host' with a middle wildcard", object: server({ hosts: ['bank/a.*.example.com'] }), verdict: 'error' },
  { situation: 'a short name', object: server({ hosts: ['bank'] }), verdict: 'error' },
  { situation: 'SIMPLE TLS on an HTTP server', object: server({ tls: { mode: 'SIMPLE' } }), verdict: 'error' },
  {
    situation: 'HTTPS without tls',
    object: server({ port: { number: 10000, name: 'secure', protocol: 'HTTPS' } }),
    verdict: 'error',
  },
  { situation: 'bind to an IP', object: server({ bind: '127.0.0.1' }), verdict: 'clean' },
  { situation: 'abstract unix socket with a port number', object: server({ bind: 'unix://@bank' }), verdict: 'error' },
  { situation: 'abstract unix socket with port 0', object: server({ bind: 'unix://@bank', port: http(0) }), verdict: 'clean' },
  { situation: 'bind to a host name', object: server({ bind: 'bank.local', port: http(0) }), verdict: 'error' },
  {
    situation: 'absolute unix socket path with port 0',
    object: server({ bind: 'unix:///var/run/bank.sock', port: http(0) }),
    verdict: 'clean',
  },
  { situation: 'relative unix socket path', object: server({ bind: 'unix://run/bank.sock', port: http(0) }), verdict: 'error' },
  { situation: 'unix socket path naming a directory', object: server({ bind: 'unix:///var/run/', port: http(0) }), verdict: 'error' },
];

const SERVER_PORT: Situation[] = [
  { situation: 'a port without protocol or name', object: server({ port: { number: 8080 } }), verdict: 'error' },
  {
    situation: 'lower-case protocol and a capitalised name',
    object: server({ port: { number: 1, name: 'Web', protocol: 'http' } }),
    verdict: 'clean',
  },
  { situation: 'unknown protocol', object: server({ port: { number: 1, name: 'web', protocol: 'kafka' } }), verdict: 'error' },
  { situation: 'port 2^30', object: server({ port: http(2 ** 30) }), verdict: 'error' },
  { situation: 'port 0 without a unix bind', object: server({ port: http(0) }), verdict: 'error' },
  { situation: "port 0 with a bind that is not 'unix://'", object: server({ port: http(0), bind: 'uds:///tmp' }), verdict: 'error' },
];

const https = (tls: Record<string, unknown>) => server({ port: { number: 443, name: 'secure', protocol: 'HTTPS' }, tls });
const CERT = 'cert.pem';
const KEY = 'key.pem';
const CA = 'ca.pem';
const pair = (serverCertificate?: string, privateKey?: string) => ({ serverCertificate, privateKey });

const TLS_OPTIONS: Situation[] = [
  { situation: 'empty settings (PASSTHROUGH)', object: https({}), verdict: 'clean' },
  {
    situation: 'SIMPLE with certificate and key',
    object: https({ mode: 'SIMPLE', serverCertificate: CERT, privateKey: KEY }),
    verdict: 'clean',
  },
  {
    situation: 'SIMPLE with a client CA bundle too',
    object: https({ mode: 'SIMPLE', serverCertificate: CERT, privateKey: KEY, caCertificates: CA }),
    verdict: 'clean',
  },
  { situation: 'SIMPLE with a secret', object: https({ mode: 'SIMPLE', credentialName: 'bank-cert' }), verdict: 'clean' },
  {
    situation: 'SIMPLE with a secret and a key pair',
    object: https({ mode: 'SIMPLE', credentialName: 'bank-cert', serverCertificate: CERT, privateKey: KEY }),
    verdict: 'error',
  },
  {
    situation: 'SIMPLE with a key only',
    object: https({ mode: 'SIMPLE', privateKey: KEY }),
    verdict: 'error',
    field: 'spec.servers[0].tls.serverCertificate',
  },
  {
    situation: 'SIMPLE with a certificate only',
    object: https({ mode: 'SIMPLE', serverCertificate: CERT }),
    verdict: 'error',
    field: 'spec.servers[0].tls.privateKey',
  },
  {
    // Istio's webhook only warns, but its CRD (maxItems: 2) rejects the object first.
    situation: 'SIMPLE with three tlsCertificates (CRD maxItems)',
    object: https({ mode: 'SIMPLE', tlsCertificates: [pair(CERT, KEY), pair('b.pem', 'b.key'), pair('c.pem', 'c.key')] }),
    verdict: 'error',
  },
  {
    situation: 'SIMPLE with a key pair and tlsCertificates',
    object: https({ mode: 'SIMPLE', serverCertificate: CERT, privateKey: KEY, tlsCertificates: [pair(CERT, KEY), pair('b.pem', 'b.key')] }),
    verdict: 'error',
  },
  {
    situation: 'SIMPLE tlsCertificates entry without certificate',
    object: https({ mode: 'SIMPLE', tlsCertificates: [pair(undefined, KEY), pair('b.pem', 'b.key')] }),
    verdict: 'error',
    field: 'spec.servers[0].tls.tlsCertificates[0].serverCertificate',
  },
  {
    situation: 'SIMPLE tlsCertificates entry without key',
    object: https({ mode: 'SIMPLE', tlsCertificates: [pair(CERT), pair('b.pem', 'b.key')] }),
    verdict: 'error',
    field: 'spec.servers[0].tls.tlsCertificates[0].privateKey',
  },
  {
    situation: 'SIMPLE with a secret and a lone key',
    object: https({ mode: 'SIMPLE', credentialName: 'bank-cert', privateKey: KEY }),
    verdict: 'clean',
  },
  {
    situation: 'SIMPLE with a secret and a lone certificate',
    object: https({ mode: 'SIMPLE', credentialName: 'bank-cert', serverCertificate: CERT }),
    verdict: 'clean',
  },
  {
    situation: 'MUTUAL with files',
    object: https({ mode: 'MUTUAL', serverCertificate: CERT, privateKey: KEY, caCertificates: CA }),
    verdict: 'clean',
  },
  {
    situation: 'MUTUAL with a secret and a CA',
    object: https({ mode: 'MUTUAL', credentialName: 'bank-cert', caCertificates: CA }),
    verdict: 'clean',
  },
  {
    situation: 'MUTUAL with a secret and a key pair',
    object: https({ mode: 'MUTUAL', credentialName: 'bank-cert', serverCertificate: CERT, privateKey: KEY, caCertificates: CA }),
    verdict: 'error',
  },
  {
    situation: 'MUTUAL with a secret and tlsCertificates',
    object: https({ mode: 'MUTUAL', credentialName: 'bank-cert', caCertificates: CA, tlsCertificates: [pair(CERT, KEY)] }),
    verdict: 'error',
  },
  {
    situation: 'MUTUAL with a key but no certificate',
    object: https({ mode: 'MUTUAL', privateKey: KEY, caCertificates: CA }),
    verdict: 'error',
  },
  {
    situation: 'MUTUAL with credentialNames and a key pair',
    object: https({ mode: 'MUTUAL', serverCertificate: CERT, privateKey: KEY, credentialNames: ['bank-cert'] }),
    verdict: 'error',
  },
  {
    situation: 'MUTUAL with credentialNames and tlsCertificates',
    object: https({ mode: 'MUTUAL', credentialNames: ['bank-cert'], tlsCertificates: [{ ...pair(CERT, KEY), caCertificates: CA }] }),
    verdict: 'error',
  },
  {
    situation: 'MUTUAL with tlsCertificates and a CA',
    object: https({ mode: 'MUTUAL', caCertificates: CA, tlsCertificates: [pair(CERT, KEY)] }),
    verdict: 'clean',
  },
  {
    situation: 'MUTUAL with a secret and a lone key',
    object: https({ mode: 'MUTUAL', credentialName: 'bank-cert', privateKey: KEY, caCertificates: CA }),
    verdict: 'clean',
  },
  {
    situation: 'MUTUAL without a client CA',
    object: https({ mode: 'MUTUAL', serverCertificate: CERT, privateKey: KEY }),
    verdict: 'error',
    field: 'spec.servers[0].tls.caCertificates',
  },
  { situation: 'MUTUAL with nothing', object: https({ mode: 'MUTUAL' }), verdict: 'error', field: 'spec.servers[0].tls.caCertificates' },
  {
    // Istio's webhook only warns, but its CRD (maxItems: 2) rejects the object first.
    situation: 'MUTUAL with three tlsCertificates (CRD maxItems)',
    object: https({
      mode: 'MUTUAL',
      caCertificates: CA,
      tlsCertificates: [pair(CERT, KEY), pair('b.pem', 'b.key'), pair('c.pem', 'c.key')],
    }),
    verdict: 'error',
  },
  {
    situation: 'MUTUAL with a key pair and tlsCertificates',
    object: https({ mode: 'MUTUAL', serverCertificate: CERT, privateKey: KEY, caCertificates: CA, tlsCertificates: [pair(CERT, KEY)] }),
    verdict: 'error',
  },
  {
    situation: 'MUTUAL tlsCertificates entry without certificate',
    object: https({ mode: 'MUTUAL', caCertificates: CA, tlsCertificates: [pair(undefined, KEY), pair('b.pem', 'b.key')] }),
    verdict: 'error',
  },
  {
    situation: 'MUTUAL tlsCertificates entry without key',
    object: https({ mode: 'MUTUAL', caCertificates: CA, tlsCertificates: [pair(CERT), pair('b.pem', 'b.key')] }),
    verdict: 'error',
  },
  {
    situation: 'MUTUAL with tlsCertificates but no CA',
    object: https({ mode: 'MUTUAL', tlsCertificates: [pair(CERT, KEY), pair('b.pem', 'b.key')] }),
    verdict: 'error',
    field: 'spec.servers[0].tls.caCertificates',
  },
  { situation: 'OPTIONAL_MUTUAL with nothing', object: https({ mode: 'OPTIONAL_MUTUAL' }), verdict: 'error' },
  { situation: 'PASSTHROUGH with a secret', object: https({ mode: 'PASSTHROUGH', credentialName: 'bank-cert' }), verdict: 'warning' },
  { situation: 'PASSTHROUGH with a CRL only', object: https({ mode: 'PASSTHROUGH', caCrl: 'crl.pem' }), verdict: 'warning' },
  { situation: 'ISTIO_MUTUAL with nothing', object: https({ mode: 'ISTIO_MUTUAL' }), verdict: 'clean' },
  { situation: 'ISTIO_MUTUAL with a certificate', object: https({ mode: 'ISTIO_MUTUAL', serverCertificate: CERT }), verdict: 'error' },
  {
    situation: 'ISTIO_MUTUAL with files and a CA',
    object: https({ mode: 'ISTIO_MUTUAL', serverCertificate: CERT, privateKey: KEY, caCertificates: CA }),
    verdict: 'error',
  },
  { situation: 'ISTIO_MUTUAL with a key', object: https({ mode: 'ISTIO_MUTUAL', privateKey: KEY }), verdict: 'error' },
  { situation: 'ISTIO_MUTUAL with a secret', object: https({ mode: 'ISTIO_MUTUAL', credentialName: 'bank-cert' }), verdict: 'error' },
  {
    situation: 'an unknown cipher suite',
    object: https({ mode: 'SIMPLE', credentialName: 'bank-cert', cipherSuites: ['no-such-cipher'] }),
    verdict: 'warning',
  },
  {
    situation: 'a known cipher suite',
    object: https({ mode: 'SIMPLE', credentialName: 'bank-cert', cipherSuites: ['ECDHE-ECDSA-AES128-SHA'] }),
    verdict: 'clean',
  },
  {
    situation: "cipher operators ('-X', '+X', '!X') and ALL",
    object: https({
      mode: 'SIMPLE',
      credentialName: 'bank-cert',
      cipherSuites: ['-ECDHE-ECDSA-AES128-SHA', '+AES128-SHA', '!DES-CBC3-SHA', 'ALL'],
    }),
    verdict: 'clean',
  },
  {
    situation: 'a PSK cipher suite Istio does not list',
    object: https({ mode: 'SIMPLE', credentialName: 'bank-cert', cipherSuites: ['PSK-AES128-CBC-SHA'] }),
    verdict: 'warning',
  },
  {
    situation: 'a cipher suite listed twice',
    object: https({ mode: 'SIMPLE', credentialName: 'bank-cert', cipherSuites: ['ECDHE-ECDSA-AES128-SHA', 'ECDHE-ECDSA-AES128-SHA'] }),
    verdict: 'warning',
  },
  {
    situation: 'an unknown cipher suite and no certificates',
    object: https({ mode: 'SIMPLE', cipherSuites: ['no-such-cipher'] }),
    verdict: 'error',
  },
  {
    situation: 'a CRL in SIMPLE mode',
    object: https({ mode: 'SIMPLE', caCrl: 'crl.pem' }),
    verdict: 'error',
    field: 'spec.servers[0].tls.caCrl',
  },
  { situation: 'a CRL with a secret', object: https({ mode: 'SIMPLE', caCrl: 'crl.pem', credentialName: 'bank-cert' }), verdict: 'clean' },
  {
    situation: 'MUTUAL with a certificate but no key',
    object: https({ mode: 'MUTUAL', serverCertificate: CERT, caCertificates: CA }),
    verdict: 'error',
    field: 'spec.servers[0].tls.privateKey',
  },
  {
    situation: 'MUTUAL with credentialNames only',
    object: https({ mode: 'MUTUAL', credentialNames: ['bank-rsa', 'bank-ecdsa'] }),
    verdict: 'clean',
  },
];

sameVerdicts('Gateway', GATEWAY);
sameVerdicts('Gateway with gateway semantics', K8S_GATEWAY);
sameVerdicts('Gateway server', SERVER);
sameVerdicts('Gateway server port', SERVER_PORT);
sameVerdicts('Gateway server TLS options', TLS_OPTIONS);
