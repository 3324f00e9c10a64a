import { fixture } from './fixtures';
import { analyze, expectCase, RuleCase, variant } from './helpers';

const GW = fixture('Gateway');
const S = 'spec.servers[0]';
const HTTPS = { number: 443, name: 'https', protocol: 'HTTPS' };
const TLS = { number: 443, name: 'tls', protocol: 'TLS' };

const CASES: RuleCase[] = [
  {
    rule: 'metadata.name is a DNS-1123 label (no dots)',
    bad: { 'metadata.name': 'a.b' },
    good: { 'metadata.name': 'a-b' },
    field: 'metadata.name',
    message: "('a.b') must be a DNS-1123 label for a Gateway",
  },
  {
    rule: 'at least one server',
    bad: { 'spec.servers': [] },
    good: {},
    field: 'spec.servers',
    message: 'needs at least one server',
  },
  {
    rule: 'servers are not null',
    bad: { 'spec.servers[1]': null },
    good: {},
    field: 'spec.servers[1]',
    message: 'a server may not be null',
  },
  {
    rule: 'port names unique across servers',
    bad: { 'spec.servers[1]': { port: { number: 8081, name: 'http', protocol: 'HTTP' }, hosts: ['*'] } },
    good: { 'spec.servers[1]': { port: { number: 8081, name: 'http-alt', protocol: 'HTTP' }, hosts: ['*'] } },
    field: 'spec.servers[1].port.name',
    message: 'duplicates spec.servers[0].port.name',
  },
  {
    rule: 'port name required',
    bad: { [`${S}.port.name`]: '' },
    good: { [`${S}.port.name`]: 'web' },
    field: `${S}.port.name`,
    message: 'is required',
  },
  {
    rule: 'protocol must parse',
    bad: { [`${S}.port.protocol`]: 'HTTP3' },
    good: { [`${S}.port.protocol`]: 'http2' },
    field: `${S}.port.protocol`,
    message: 'is not a known protocol',
  },
  {
    rule: 'port number 1..65535',
    bad: { [`${S}.port.number`]: 0 },
    good: { [`${S}.port.number`]: 80 },
    field: `${S}.port.number`,
    message: 'must be a port number between 1 and 65535',
  },
  {
    rule: 'targetPort not allowed',
    bad: { [`${S}.port.targetPort`]: 8080 },
    good: {},
    field: `${S}.port.targetPort`,
    message: 'is not supported on Gateway servers',
  },
  {
    rule: 'at least one host',
    bad: { [`${S}.hosts`]: [] },
    good: { [`${S}.hosts`]: ['bank.example.com'] },
    field: `${S}.hosts`,
    message: 'needs at least one host',
  },
  {
    rule: 'no short names',
    bad: { [`${S}.hosts`]: ['productpage'] },
    good: { [`${S}.hosts`]: ['productpage.bank.example.com'] },
    field: `${S}.hosts[0]`,
    message: 'is a short name',
  },
  {
    rule: 'namespace part is *, . or a label',
    bad: { [`${S}.hosts`]: ['bank_eu/shop.example.com'] },
    good: { [`${S}.hosts`]: ['./shop.example.com', '*/*.example.com', 'Bank/shop.example.com'] },
    field: `${S}.hosts[0]`,
    message: "has an invalid namespace 'bank_eu'",
  },
  {
    rule: 'host part is a valid domain',
    bad: { [`${S}.hosts`]: ['shop..example.com'] },
    good: { [`${S}.hosts`]: ['10.0.0.1', 'shop.example.com'] },
    field: `${S}.hosts[0]`,
    message: 'is not a valid host',
  },
  {
    rule: 'no partial wildcards',
    bad: { [`${S}.hosts`]: ['*shop.example.com'] },
    good: { [`${S}.hosts`]: ['*.shop.example.com'] },
    field: `${S}.hosts[0]`,
    message: 'uses a partial wildcard',
  },
  {
    rule: 'host has at most one slash',
    bad: { [`${S}.hosts`]: ['a/b/c.example.com'] },
    good: { [`${S}.hosts`]: ['a/c.example.com'] },
    field: `${S}.hosts[0]`,
    message: "must be '<host>' or '<namespace>/<host>'",
  },
  {
    rule: 'bind is an IP',
    bad: { [`${S}.bind`]: 'localhost' },
    good: { [`${S}.bind`]: '0.0.0.0' },
    field: `${S}.bind`,
    message: 'must be an IP address or a unix domain socket',
  },
  {
    rule: 'bind unix socket needs port 0',
    bad: { [`${S}.bind`]: 'unix:///var/run/gw.sock' },
    good: { [`${S}.bind`]: 'unix:///var/run/gw.sock', [`${S}.port.number`]: 0 },
    field: `${S}.port.number`,
    message: 'must be 0 when binding to a unix domain socket',
  },
  {
    rule: 'bind unix socket path absolute',
    bad: { [`${S}.bind`]: 'unix://gw.sock', [`${S}.port.number`]: 0 },
    good: { [`${S}.bind`]: 'unix:///gw.sock', [`${S}.port.number`]: 0 },
    field: `${S}.bind`,
    message: 'must be an absolute unix socket path',
  },
  {
    rule: 'HTTPS server requires tls',
    bad: { [`${S}.port`]: HTTPS },
    good: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', credentialName: 'shop-cert' } },
    field: `${S}.tls`,
    message: 'is required for HTTPS servers',
  },
  {
    rule: 'plain HTTP server: tls only for httpsRedirect',
    bad: { [`${S}.tls`]: { mode: 'SIMPLE', credentialName: 'shop-cert' } },
    good: { [`${S}.tls`]: { httpsRedirect: true } },
    field: `${S}.tls`,
    message: 'plain-text HTTP servers may only use tls for httpsRedirect',
  },
  {
    rule: 'non-HTTP, non-TLS servers carry no tls',
    bad: { [`${S}.port`]: { number: 3306, name: 'mysql', protocol: 'MYSQL' }, [`${S}.tls`]: { mode: 'SIMPLE', credentialName: 'x' } },
    good: { [`${S}.port`]: { number: 3306, name: 'mysql', protocol: 'MYSQL' } },
    field: `${S}.tls`,
    message: 'is not allowed on MYSQL servers',
  },
  {
    rule: 'httpsRedirect on a non-HTTP server warns',
    bad: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', credentialName: 'shop-cert', httpsRedirect: true } },
    good: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', credentialName: 'shop-cert' } },
    field: `${S}.tls.httpsRedirect`,
    message: 'only has an effect on HTTP servers',
    severity: 'warning',
  },
  {
    rule: 'ISTIO_MUTUAL uses no certificates',
    bad: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'ISTIO_MUTUAL', credentialName: 'shop-cert' } },
    good: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'ISTIO_MUTUAL' } },
    field: `${S}.tls.credentialName`,
    message: 'may not be set with mode ISTIO_MUTUAL',
  },
  {
    rule: 'only one certificate source (credentialName + files)',
    bad: {
      [`${S}.port`]: HTTPS,
      [`${S}.tls`]: { mode: 'SIMPLE', credentialName: 'shop-cert', serverCertificate: '/c.pem', privateKey: '/k.pem' },
    },
    good: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', serverCertificate: '/c.pem', privateKey: '/k.pem' } },
    field: `${S}.tls`,
    message: 'only one certificate source may be set (found credentialName, serverCertificate/privateKey)',
  },
  {
    rule: 'only one certificate source (credentialName + tlsCertificates, which CEL misses)',
    bad: {
      [`${S}.port`]: HTTPS,
      [`${S}.tls`]: { mode: 'SIMPLE', credentialName: 'shop-cert', tlsCertificates: [{ serverCertificate: '/c', privateKey: '/k' }] },
    },
    good: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', tlsCertificates: [{ serverCertificate: '/c', privateKey: '/k' }] } },
    field: `${S}.tls`,
    message: 'found credentialName, tlsCertificates',
  },
  {
    rule: 'SIMPLE without credentialName needs serverCertificate',
    bad: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', privateKey: '/k.pem' } },
    good: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', privateKey: '/k.pem', serverCertificate: '/c.pem' } },
    field: `${S}.tls.serverCertificate`,
    message: 'is required in SIMPLE mode without credentialName',
  },
  {
    rule: 'SIMPLE without credentialName needs privateKey',
    bad: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', serverCertificate: '/c.pem' } },
    good: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', privateKey: '/k.pem', serverCertificate: '/c.pem' } },
    field: `${S}.tls.privateKey`,
    message: 'is required in SIMPLE mode without credentialName',
  },
  {
    rule: 'MUTUAL without credentialName needs caCertificates',
    bad: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'MUTUAL', serverCertificate: '/c.pem', privateKey: '/k.pem' } },
    good: {
      [`${S}.port`]: HTTPS,
      [`${S}.tls`]: { mode: 'MUTUAL', serverCertificate: '/c.pem', privateKey: '/k.pem', caCertificates: '/ca.pem' },
    },
    field: `${S}.tls.caCertificates`,
    message: 'is required in MUTUAL mode without credentialName',
  },
  {
    rule: 'caCrl not with credentialName (outside SIMPLE/MUTUAL, where the secret carries the CRL)',
    bad: { [`${S}.port`]: TLS, [`${S}.tls`]: { mode: 'PASSTHROUGH', credentialName: 'shop-cert', caCrl: '/crl.pem' } },
    good: { [`${S}.port`]: TLS, [`${S}.tls`]: { mode: 'PASSTHROUGH' } },
    field: `${S}.tls.caCrl`,
    message: 'may not be combined with credentialName',
  },
  {
    rule: 'PASSTHROUGH with only a CRL warns',
    bad: { [`${S}.port`]: TLS, [`${S}.tls`]: { mode: 'PASSTHROUGH', caCrl: '/crl.pem' } },
    good: { [`${S}.port`]: TLS, [`${S}.tls`]: { mode: 'PASSTHROUGH' } },
    field: `${S}.tls`,
    message: 'certificates are ignored in PASSTHROUGH mode',
    severity: 'warning',
  },
  {
    rule: 'MUTUAL: caCertCredentialName does not stand in for caCertificates',
    bad: {
      [`${S}.port`]: HTTPS,
      [`${S}.tls`]: { mode: 'MUTUAL', serverCertificate: '/c.pem', privateKey: '/k.pem', caCertCredentialName: 'shop-ca' },
    },
    good: {
      [`${S}.port`]: HTTPS,
      [`${S}.tls`]: {
        mode: 'MUTUAL',
        serverCertificate: '/c.pem',
        privateKey: '/k.pem',
        caCertificates: '/ca.pem',
        caCertCredentialName: 'shop-ca',
      },
    },
    field: `${S}.tls.caCertificates`,
    message: 'is required in MUTUAL mode without credentialName',
  },
  {
    rule: 'MUTUAL with tlsCertificates still needs caCertificates',
    bad: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'MUTUAL', tlsCertificates: [{ serverCertificate: '/c', privateKey: '/k' }] } },
    good: {
      [`${S}.port`]: HTTPS,
      [`${S}.tls`]: { mode: 'MUTUAL', tlsCertificates: [{ serverCertificate: '/c', privateKey: '/k' }], caCertificates: '/ca' },
    },
    field: `${S}.tls.caCertificates`,
    message: 'is required in MUTUAL mode',
  },
  {
    rule: 'each tlsCertificates pair needs its private key',
    bad: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', tlsCertificates: [{ serverCertificate: '/c' }] } },
    good: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', tlsCertificates: [{ serverCertificate: '/c', privateKey: '/k' }] } },
    field: `${S}.tls.tlsCertificates[0].privateKey`,
    message: 'is required in SIMPLE mode',
  },
  {
    rule: 'a unix socket listener with a port number still has the port range checked',
    bad: { [`${S}.bind`]: 'unix:///var/run/gw.sock', [`${S}.port.number`]: 70000 },
    good: { [`${S}.bind`]: 'unix:///var/run/gw.sock', [`${S}.port.number`]: 0 },
    field: `${S}.port.number`,
    message: 'must be a port number between 1 and 65535',
  },
  {
    rule: 'cipher suites are checked in ISTIO_MUTUAL mode too',
    bad: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'ISTIO_MUTUAL', cipherSuites: ['TLS_RSA_WITH_RC4_128_SHA'] } },
    good: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'ISTIO_MUTUAL' } },
    field: `${S}.tls.cipherSuites[0]`,
    message: 'is not a cipher suite Envoy supports',
    severity: 'warning',
  },
  {
    rule: 'caCrl not in SIMPLE mode',
    bad: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', serverCertificate: '/c.pem', privateKey: '/k.pem', caCrl: '/crl.pem' } },
    good: {
      [`${S}.port`]: HTTPS,
      [`${S}.tls`]: { mode: 'MUTUAL', serverCertificate: '/c.pem', privateKey: '/k.pem', caCertificates: '/ca.pem', caCrl: '/crl.pem' },
    },
    field: `${S}.tls.caCrl`,
    message: 'is not supported in SIMPLE mode',
  },
  {
    rule: 'PASSTHROUGH with certificates warns',
    bad: {
      [`${S}.port`]: { number: 443, name: 'tls', protocol: 'TLS' },
      [`${S}.tls`]: { mode: 'PASSTHROUGH', credentialName: 'shop-cert' },
    },
    good: { [`${S}.port`]: { number: 443, name: 'tls', protocol: 'TLS' }, [`${S}.tls`]: { mode: 'PASSTHROUGH' } },
    field: `${S}.tls`,
    message: 'certificates are ignored in PASSTHROUGH mode',
    severity: 'warning',
  },
  {
    rule: 'more than 2 tlsCertificates warns',
    bad: {
      [`${S}.port`]: HTTPS,
      [`${S}.tls`]: { mode: 'SIMPLE', tlsCertificates: [1, 2, 3].map((i) => ({ serverCertificate: `/c${i}`, privateKey: `/k${i}` })) },
    },
    good: {
      [`${S}.port`]: HTTPS,
      [`${S}.tls`]: { mode: 'SIMPLE', tlsCertificates: [1, 2].map((i) => ({ serverCertificate: `/c${i}`, privateKey: `/k${i}` })) },
    },
    field: `${S}.tls.tlsCertificates`,
    message: 'more than 2 certificates',
    severity: 'warning',
  },
  {
    rule: 'old minProtocolVersion without cipherSuites warns',
    bad: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', credentialName: 'c', minProtocolVersion: 'TLSV1_0' } },
    good: {
      [`${S}.port`]: HTTPS,
      [`${S}.tls`]: { mode: 'SIMPLE', credentialName: 'c', minProtocolVersion: 'TLSV1_0', cipherSuites: ['ECDHE-RSA-AES128-SHA'] },
    },
    field: `${S}.tls.minProtocolVersion`,
    message: 'without cipherSuites',
    severity: 'warning',
  },
  {
    rule: 'unknown cipher suites warn',
    bad: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', credentialName: 'c', cipherSuites: ['TLS_RSA_WITH_RC4_128_SHA'] } },
    good: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', credentialName: 'c', cipherSuites: ['ECDHE-ECDSA-AES256-GCM-SHA384'] } },
    field: `${S}.tls.cipherSuites[0]`,
    message: 'is not a cipher suite Envoy supports',
    severity: 'warning',
  },
  {
    rule: 'duplicate cipher suites warn',
    bad: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', credentialName: 'c', cipherSuites: ['AES128-SHA', 'AES128-SHA'] } },
    good: { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', credentialName: 'c', cipherSuites: ['AES128-SHA', 'AES256-SHA'] } },
    field: `${S}.tls.cipherSuites[1]`,
    message: 'is listed twice',
    severity: 'warning',
  },
];

describe('Gateway webhook rules', () => {
  test('the Bookinfo-shaped Gateway has no findings', () => {
    expect(analyze(GW)).toEqual([]);
  });

  test("a Gateway named 'a.b' is rejected naming metadata.name", () => {
    expect(analyze(variant(GW, { 'metadata.name': 'a.b' })).map((f) => f.field)).toEqual(['metadata.name']);
  });

  test.each(CASES.map((c) => [c.rule, c] as const))('%s', (_rule, c) => expectCase(GW, c));

  test.each<[string, Record<string, unknown>]>([
    [
      'a CRL next to a secret in MUTUAL mode (the secret is used, nothing else is checked)',
      { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'MUTUAL', credentialName: 'shop-cert', caCrl: '/crl.pem' } },
    ],
    [
      'a lone privateKey next to a secret (a key pair counts as a source only when complete)',
      { [`${S}.port`]: HTTPS, [`${S}.tls`]: { mode: 'SIMPLE', credentialName: 'shop-cert', privateKey: '/k.pem' } },
    ],
    [
      'httpsRedirect on an HTTP2 server',
      { [`${S}.port`]: { number: 80, name: 'http2', protocol: 'HTTP2' }, [`${S}.tls`]: { httpsRedirect: true } },
    ],
    ['TLS passthrough settings on a plain HTTP server', { [`${S}.tls`]: { mode: 'PASSTHROUGH' } }],
  ])('accepts %s', (_what, changes) => {
    expect(analyze(variant(GW, changes))).toEqual([]);
  });
});
