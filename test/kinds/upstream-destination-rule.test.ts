/**
 * Istio's DestinationRule validation tests (TestValidateDestinationRule, TestValidateTrafficPolicy,
 * TestValidateConnectionPool, TestValidateLoadBalancer, TestValidateOutlierDetection in
 * pkg/config/validation; TestValidateTLS, TestValidateLocalityLbSetting, TestValidateLocalities in
 * its agent package), situation by situation, in our own fixtures: each must get Istio's verdict.
 */
import { sameVerdicts, Situation } from './upstream';

function dr(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'accounts', namespace: 'bank', ...metadata },
    spec: { host: 'accounts', ...spec },
  };
}

const SUBSETS = [
  { name: 'v1', labels: { version: 'v1' } },
  { name: 'v2', labels: { version: 'v2' } },
];
const GOOD_POLICY = {
  loadBalancer: { simple: 'ROUND_ROBIN' },
  connectionPool: { tcp: { maxConnections: 7 }, http: { http2MaxRequests: 11 } },
  outlierDetection: { minHealthPercent: 20 },
};
const policy = (p: Record<string, unknown>) => dr({ trafficPolicy: p });
const tls = (t: Record<string, unknown>) => policy({ tls: t });

const DESTINATION_RULE: Situation[] = [
  { situation: 'host and two subsets', object: dr({ subsets: SUBSETS }), verdict: 'clean' },
  { situation: 'an empty workloadSelector', object: dr({ subsets: SUBSETS, workloadSelector: {} }), verdict: 'warning' },
  { situation: 'an empty host', object: dr({ host: '', subsets: SUBSETS }), verdict: 'error', field: 'spec.host' },
  {
    situation: 'an empty subset name',
    object: dr({ subsets: [{ name: '', labels: { version: 'v1' } }, SUBSETS[1]] }),
    verdict: 'error',
  },
  {
    situation: 'two subsets with one name',
    object: dr({
      subsets: [
        { name: 'blue', labels: { version: 'v1' } },
        { name: 'blue', labels: { version: 'v2' } },
      ],
    }),
    verdict: 'error',
    field: 'spec.subsets[1].name',
  },
  { situation: 'a full top-level traffic policy', object: dr({ subsets: SUBSETS, trafficPolicy: GOOD_POLICY }), verdict: 'clean' },
  {
    situation: 'an empty connection pool at top level',
    object: dr({ subsets: SUBSETS, trafficPolicy: { ...GOOD_POLICY, connectionPool: {} } }),
    verdict: 'error',
  },
  {
    situation: 'a full subset traffic policy',
    object: dr({ subsets: [{ ...SUBSETS[0], trafficPolicy: GOOD_POLICY }, SUBSETS[1]] }),
    verdict: 'clean',
  },
  {
    situation: 'an empty connection pool in a subset',
    object: dr({ subsets: [{ ...SUBSETS[0], trafficPolicy: { ...GOOD_POLICY, connectionPool: {} } }, SUBSETS[1]] }),
    verdict: 'error',
    field: 'spec.subsets[0].trafficPolicy.connectionPool',
  },
  {
    situation: 'full traffic policies at both levels',
    object: dr({ trafficPolicy: GOOD_POLICY, subsets: [{ ...SUBSETS[0], trafficPolicy: GOOD_POLICY }, SUBSETS[1]] }),
    verdict: 'clean',
  },
  // Client TLS with and without insecureSkipVerify.
  {
    situation: 'SIMPLE with a CA file and SANs',
    object: tls({ mode: 'SIMPLE', caCertificates: 'ca.pem', subjectAltNames: ['accounts.bank.svc'] }),
    verdict: 'clean',
  },
  {
    situation: 'SIMPLE with a secret and SANs',
    object: tls({ mode: 'SIMPLE', credentialName: 'accounts-ca', subjectAltNames: ['accounts.bank.svc'] }),
    verdict: 'clean',
  },
  {
    situation: 'SIMPLE with a CA file, SANs and insecureSkipVerify false',
    object: tls({ mode: 'SIMPLE', caCertificates: 'ca.pem', subjectAltNames: ['accounts.bank.svc'], insecureSkipVerify: false }),
    verdict: 'clean',
  },
  {
    situation: 'SIMPLE with a secret, SANs and insecureSkipVerify false',
    object: tls({ mode: 'SIMPLE', credentialName: 'accounts-ca', subjectAltNames: ['accounts.bank.svc'], insecureSkipVerify: false }),
    verdict: 'clean',
  },
  {
    situation: 'SIMPLE with a secret and insecureSkipVerify',
    object: tls({ mode: 'SIMPLE', credentialName: 'accounts-ca', insecureSkipVerify: true }),
    verdict: 'error',
  },
  {
    situation: 'SIMPLE with a CA file and insecureSkipVerify',
    object: tls({ mode: 'SIMPLE', caCertificates: 'ca.pem', insecureSkipVerify: true }),
    verdict: 'error',
  },
  {
    situation: 'SIMPLE with SANs and insecureSkipVerify',
    object: tls({ mode: 'SIMPLE', subjectAltNames: ['accounts.bank.svc'], insecureSkipVerify: true }),
    verdict: 'error',
  },
  {
    situation: 'MUTUAL with files and SANs',
    object: tls({
      mode: 'MUTUAL',
      caCertificates: 'ca.pem',
      privateKey: 'key.pem',
      clientCertificate: 'cert.pem',
      subjectAltNames: ['accounts.bank.svc'],
    }),
    verdict: 'clean',
  },
  {
    situation: 'MUTUAL with a secret and SANs',
    object: tls({ mode: 'MUTUAL', credentialName: 'accounts-client', subjectAltNames: ['accounts.bank.svc'] }),
    verdict: 'clean',
  },
  {
    situation: 'MUTUAL with files, SANs and insecureSkipVerify false',
    object: tls({
      mode: 'MUTUAL',
      caCertificates: 'ca.pem',
      privateKey: 'key.pem',
      clientCertificate: 'cert.pem',
      subjectAltNames: ['accounts.bank.svc'],
      insecureSkipVerify: false,
    }),
    verdict: 'clean',
  },
  {
    situation: 'MUTUAL with a secret, SANs and insecureSkipVerify false',
    object: tls({ mode: 'MUTUAL', credentialName: 'accounts-client', subjectAltNames: ['accounts.bank.svc'], insecureSkipVerify: false }),
    verdict: 'clean',
  },
  {
    situation: 'MUTUAL with a CA file and insecureSkipVerify',
    object: tls({
      mode: 'MUTUAL',
      caCertificates: 'ca.pem',
      privateKey: 'key.pem',
      clientCertificate: 'cert.pem',
      insecureSkipVerify: true,
    }),
    verdict: 'error',
  },
  {
    situation: 'MUTUAL with a secret and insecureSkipVerify (the secret may hold only the client certificate)',
    object: tls({ mode: 'MUTUAL', credentialName: 'accounts-client', insecureSkipVerify: true }),
    verdict: 'clean',
  },
  {
    situation: 'MUTUAL with client files and insecureSkipVerify, no CA',
    object: tls({ mode: 'MUTUAL', privateKey: 'key.pem', clientCertificate: 'cert.pem', insecureSkipVerify: true }),
    verdict: 'clean',
  },
  {
    situation: 'MUTUAL with SANs and insecureSkipVerify',
    object: tls({
      mode: 'MUTUAL',
      privateKey: 'key.pem',
      clientCertificate: 'cert.pem',
      subjectAltNames: ['accounts.bank.svc'],
      insecureSkipVerify: true,
    }),
    verdict: 'error',
  },
];

const portLevel = (p: Record<string, unknown>) => policy({ portLevelSettings: [p] });
const TRAFFIC_POLICY: Situation[] = [
  { situation: 'load balancer, pool and outlier detection', object: policy(GOOD_POLICY), verdict: 'clean' },
  { situation: 'an empty traffic policy', object: policy({}), verdict: 'error', field: 'spec.trafficPolicy' },
  {
    situation: 'a port-level setting without port',
    object: portLevel(GOOD_POLICY),
    verdict: 'error',
    field: 'spec.trafficPolicy.portLevelSettings[0].port',
  },
  { situation: 'an empty connection pool', object: policy({ ...GOOD_POLICY, connectionPool: {} }), verdict: 'error' },
  {
    situation: 'a max connection duration under 1ms',
    object: policy({ loadBalancer: { simple: 'ROUND_ROBIN' }, connectionPool: { tcp: { maxConnectionDuration: '0.0005ms' } } }),
    verdict: 'error',
  },
  { situation: 'minHealthPercent -1', object: policy({ ...GOOD_POLICY, outlierDetection: { minHealthPercent: -1 } }), verdict: 'error' },
  {
    situation: 'h2 UPGRADE with useClientProtocol',
    object: policy({ connectionPool: { http: { h2UpgradePolicy: 'UPGRADE', useClientProtocol: true } } }),
    verdict: 'error',
  },
  // Where Istio joins results as plain errors, warnings are dropped.
  {
    situation: 'deprecated consecutiveErrors in a port-level setting (warning dropped)',
    object: portLevel({ port: { number: 8080 }, outlierDetection: { consecutiveErrors: 5 } }),
    verdict: 'clean',
  },
  {
    situation: 'deprecated consecutiveErrors in a subset (warning dropped)',
    object: dr({ subsets: [{ ...SUBSETS[0], trafficPolicy: { outlierDetection: { consecutiveErrors: 5 } } }] }),
    verdict: 'clean',
  },
  {
    situation: 'failover without outlier detection in a port-level setting (warning dropped)',
    object: portLevel({ port: { number: 8080 }, loadBalancer: { localityLbSetting: { failover: [{ from: 'us-east', to: 'eu-west' }] } } }),
    verdict: 'clean',
  },
];

const pool = (p: Record<string, unknown>) => policy({ connectionPool: p });
const HTTP_POOL = { http1MaxPendingRequests: 2, http2MaxRequests: 11, maxRequestsPerConnection: 5, maxRetries: 4, maxConcurrentStreams: 5 };
const CONNECTION_POOL: Situation[] = [
  {
    situation: 'tcp and http settings',
    object: pool({ tcp: { maxConnections: 7, connectTimeout: '2s' }, http: { ...HTTP_POOL, idleTimeout: '30s' } }),
    verdict: 'clean',
  },
  { situation: 'tcp settings only', object: pool({ tcp: { maxConnections: 7, connectTimeout: '2s' } }), verdict: 'clean' },
  { situation: 'http settings only', object: pool({ http: { ...HTTP_POOL, idleTimeout: '30s' } }), verdict: 'clean' },
  { situation: 'http settings without idle timeout', object: pool({ http: HTTP_POOL }), verdict: 'clean' },
  { situation: 'no settings', object: pool({}), verdict: 'error' },
  { situation: 'maxConnections -1', object: pool({ tcp: { maxConnections: -1 } }), verdict: 'error' },
  { situation: 'connect timeout with a nanosecond part', object: pool({ tcp: { connectTimeout: '2.000000005s' } }), verdict: 'error' },
  { situation: 'http1MaxPendingRequests -1', object: pool({ http: { http1MaxPendingRequests: -1 } }), verdict: 'error' },
  { situation: 'http2MaxRequests -1', object: pool({ http: { http2MaxRequests: -1 } }), verdict: 'error' },
  { situation: 'maxRequestsPerConnection -1', object: pool({ http: { maxRequestsPerConnection: -1 } }), verdict: 'error' },
  { situation: 'maxRetries -1', object: pool({ http: { maxRetries: -1 } }), verdict: 'error' },
  { situation: 'http idle timeout with a nanosecond part', object: pool({ http: { idleTimeout: '30.000000005s' } }), verdict: 'error' },
  { situation: 'tcp idle timeout 0s (disabled)', object: pool({ tcp: { idleTimeout: '0s' } }), verdict: 'clean' },
  { situation: 'maxConcurrentStreams -1', object: pool({ http: { maxConcurrentStreams: -1 } }), verdict: 'error' },
];

const lb = (l: Record<string, unknown>) => policy({ loadBalancer: l });
const cookie = (attributes: Record<string, string>[]) =>
  lb({ consistentHash: { httpCookie: { name: 'session', ttl: '3600s', attributes } } });
const LOAD_BALANCER: Situation[] = [
  { situation: 'simple ROUND_ROBIN', object: lb({ simple: 'ROUND_ROBIN' }), verdict: 'clean' },
  {
    // Istio's test checks only that this is valid; the deprecated minimumRingSize also warns.
    situation: 'consistent hash on a cookie with the deprecated minimumRingSize',
    object: lb({ consistentHash: { minimumRingSize: 1024, httpCookie: { name: 'session', ttl: '3600s' } } }),
    verdict: 'warning',
  },
  {
    situation: 'consistent hash on a cookie without name',
    object: lb({ consistentHash: { minimumRingSize: 1024, httpCookie: { name: '', ttl: '3600s' } } }),
    verdict: 'error',
  },
  { situation: 'maglev table size not prime', object: lb({ consistentHash: { maglev: { tableSize: 1000 } } }), verdict: 'error' },
  {
    situation: 'cookie with distinct attributes',
    object: cookie([
      { name: 'SameSite', value: 'Strict' },
      { name: 'Secure', value: 'true' },
      { name: 'HttpOnly', value: 'true' },
    ]),
    verdict: 'clean',
  },
  {
    situation: 'cookie with a repeated attribute',
    object: cookie([
      { name: 'SameSite', value: 'Strict' },
      { name: 'SameSite', value: 'Lax' },
    ]),
    verdict: 'error',
  },
  {
    situation: 'cookie with an empty attribute name',
    object: cookie([{ name: '', value: 'x' }]),
    verdict: 'error',
  },
];

const od = (o: Record<string, unknown>) => policy({ outlierDetection: o });
const OUTLIER_DETECTION: Situation[] = [
  {
    situation: 'interval, ejection time and percent',
    object: od({ interval: '2s', baseEjectionTime: '2s', maxEjectionPercent: 50 }),
    verdict: 'clean',
  },
  { situation: 'interval with a nanosecond part', object: od({ interval: '2.000000005s' }), verdict: 'error' },
  { situation: 'ejection time with a nanosecond part', object: od({ baseEjectionTime: '2.000000005s' }), verdict: 'error' },
  { situation: 'maxEjectionPercent 105', object: od({ maxEjectionPercent: 105 }), verdict: 'error' },
  { situation: 'minHealthPercent -1', object: od({ minHealthPercent: -1 }), verdict: 'error' },
  { situation: 'minHealthPercent 101', object: od({ minHealthPercent: 101 }), verdict: 'error' },
  { situation: 'deprecated consecutiveErrors', object: od({ consecutiveErrors: 101 }), verdict: 'warning' },
  { situation: 'local-origin failures without splitting them', object: od({ consecutiveLocalOriginFailures: 10 }), verdict: 'error' },
];

// With a secret, SIMPLE and MUTUAL refuse any certificate file beside it (MUTUAL its CRL too).
const withSecret = (mode: string, secret: string, files: Record<string, string>): Situation[] => [
  { situation: `${mode} with a secret only`, object: tls({ mode, credentialName: secret }), verdict: 'clean' },
  ...Object.entries(files).map(([field, file]): Situation => ({
    situation: `${mode} with a secret and ${field}`,
    object: tls({ mode, credentialName: secret, [field]: file }),
    verdict: 'error',
  })),
];
const FILES = { clientCertificate: 'cert.pem', privateKey: 'key.pem', caCertificates: 'ca.pem' };
const CLIENT_TLS: Situation[] = [
  ...withSecret('SIMPLE', 'accounts-ca', FILES),
  ...withSecret('MUTUAL', 'accounts-client', { ...FILES, caCrl: 'crl.pem' }),
  {
    situation: 'MUTUAL with certificate and key files',
    object: tls({ mode: 'MUTUAL', clientCertificate: 'cert.pem', privateKey: 'key.pem' }),
    verdict: 'clean',
  },
  { situation: 'MUTUAL with a certificate but no key', object: tls({ mode: 'MUTUAL', clientCertificate: 'cert.pem' }), verdict: 'error' },
  { situation: 'MUTUAL with a key but no certificate', object: tls({ mode: 'MUTUAL', privateKey: 'key.pem' }), verdict: 'error' },
];

const locality = (l: Record<string, unknown> | undefined, outlierDetection?: Record<string, unknown>) =>
  policy({
    loadBalancer: { simple: 'ROUND_ROBIN', ...(l ? { localityLbSetting: l } : {}) },
    ...(outlierDetection ? { outlierDetection } : {}),
  });
const OD = { consecutive5xxErrors: 5 };
const LOCALITY_LB: Situation[] = [
  { situation: 'no locality setting', object: locality(undefined), verdict: 'clean' },
  {
    situation: 'distribute weights over 100',
    object: locality({ distribute: [{ from: 'eu/paris/a', to: { 'eu/paris/a': 80, 'eu/lyon': 25 } }] }, OD),
    verdict: 'error',
  },
  {
    situation: 'distribute weights under 100',
    object: locality({ distribute: [{ from: 'eu/paris/a', to: { 'eu/paris/a': 80, 'eu/lyon': 15 } }] }, OD),
    verdict: 'error',
  },
  {
    situation: 'a distribute weight of 0',
    object: locality({ distribute: [{ from: 'eu/paris/a', to: { 'eu/paris/a': 0, 'eu/lyon': 100 } }] }, OD),
    verdict: 'error',
  },
  {
    situation: 'distribute and failover together',
    object: locality(
      { distribute: [{ from: 'eu/paris/a', to: { 'eu/paris/a': 80, 'eu/lyon': 20 } }], failover: [{ from: 'eu', to: 'us' }] },
      OD,
    ),
    verdict: 'error',
  },
  { situation: 'failover to its own region', object: locality({ failover: [{ from: 'eu', to: 'eu' }] }, OD), verdict: 'error' },
  { situation: "failover from '*'", object: locality({ failover: [{ from: '*', to: 'us' }] }, OD), verdict: 'error' },
  { situation: "failover to '*'", object: locality({ failover: [{ from: 'eu', to: '*' }] }, OD), verdict: 'error' },
  { situation: 'failover from a zone', object: locality({ failover: [{ from: 'eu/paris', to: 'us' }] }, OD), verdict: 'error' },
  { situation: 'failover to a zone', object: locality({ failover: [{ from: 'eu', to: 'us/boston' }] }, OD), verdict: 'error' },
  {
    situation: 'failoverPriority without outlier detection',
    object: locality({
      failoverPriority: [
        'topology.istio.io/network',
        'topology.kubernetes.io/region',
        'topology.kubernetes.io/zone',
        'topology.istio.io/subzone',
      ],
    }),
    verdict: 'warning',
    field: 'spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority',
  },
  {
    situation: 'failover without outlier detection',
    object: locality({
      failover: [
        { from: 'us-east', to: 'eu-west' },
        { from: 'us-west', to: 'eu-east' },
      ],
    }),
    verdict: 'warning',
    field: 'spec.trafficPolicy.loadBalancer.localityLbSetting.failover',
  },
  {
    situation: 'failover with a topology label in failoverPriority',
    object: locality({ failover: [{ from: 'eu', to: 'us' }], failoverPriority: ['topology.kubernetes.io/region'] }, OD),
    verdict: 'error',
  },
];

const froms = (...from: string[]) => locality({ distribute: from.map((f) => ({ from: f, to: { eu: 100 } })) }, OD);
const LOCALITIES: Situation[] = [
  { situation: 'two wildcards', object: froms('*/paris/*'), verdict: 'error' },
  { situation: 'a wildcard before the end', object: froms('*/paris'), verdict: 'error' },
  { situation: "'*' overlaps a subzone", object: froms('*', 'eu/paris/a'), verdict: 'error' },
  { situation: 'a region overlaps its subzone', object: froms('eu', 'eu/paris/a'), verdict: 'error' },
  { situation: "'region/*' overlaps a subzone", object: froms('eu/*', 'eu/paris/a'), verdict: 'error' },
  { situation: 'a zone overlaps its subzone', object: froms('eu/paris', 'eu/paris/a'), verdict: 'error' },
  { situation: "'region/zone/*' overlaps a subzone", object: froms('eu/paris/*', 'eu/paris/a'), verdict: 'error' },
  { situation: 'disjoint localities', object: froms('eu/*', 'us/*', 'ap/tokyo/a', 'af/cairo', 'sa/lima/*'), verdict: 'clean' },
  {
    situation: 'destinations of one entry overlap',
    object: locality({ distribute: [{ from: 'eu/paris', to: { eu: 50, 'eu/lyon': 50 } }] }, OD),
    verdict: 'error',
  },
];

sameVerdicts('DestinationRule', DESTINATION_RULE);
sameVerdicts('traffic policy', TRAFFIC_POLICY);
sameVerdicts('connection pool', CONNECTION_POOL);
sameVerdicts('load balancer', LOAD_BALANCER);
sameVerdicts('outlier detection', OUTLIER_DETECTION);
sameVerdicts('client TLS settings', CLIENT_TLS);
sameVerdicts('locality load balancing', LOCALITY_LB);
sameVerdicts('localities', LOCALITIES);
