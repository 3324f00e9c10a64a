import { fixture } from './fixtures';
import { analyze, expectCase, RuleCase, variant } from './helpers';

const DR = fixture('DestinationRule', 'addedvalues');
const TP = 'spec.trafficPolicy';

const CASES: RuleCase[] = [
  {
    rule: 'host is a valid wildcard domain',
    bad: { 'spec.host': 'added_values' },
    good: { 'spec.host': '*.bank.svc.cluster.local' },
    field: 'spec.host',
    message: 'is not a valid host',
  },
  {
    rule: 'subset names unique',
    bad: { 'spec.subsets[2].name': 'v1' },
    good: { 'spec.subsets[2].name': 'v3' },
    field: 'spec.subsets[2].name',
    message: 'duplicates spec.subsets[0].name',
  },
  {
    rule: 'subset name is a DNS label',
    bad: { 'spec.subsets[2].name': 'v3.beta' },
    good: { 'spec.subsets[2].name': 'v3-beta' },
    field: 'spec.subsets[2].name',
    message: 'must be a DNS-1123 label',
  },
  {
    rule: 'subset labels valid',
    bad: { 'spec.subsets[2].labels.version': 'v3 beta' },
    good: { 'spec.subsets[2].labels.version': 'v3_beta' },
    field: 'spec.subsets[2].labels.version',
    message: 'is not a valid label value',
  },
  {
    rule: 'subset traffic policy is validated',
    bad: { 'spec.subsets[2].trafficPolicy': { outlierDetection: { maxEjectionPercent: 150 } } },
    good: { 'spec.subsets[2].trafficPolicy': { outlierDetection: { maxEjectionPercent: 50 } } },
    field: 'spec.subsets[2].trafficPolicy.outlierDetection.maxEjectionPercent',
    message: 'must be between 0 and 100',
  },
  {
    rule: 'empty workloadSelector warns',
    bad: { 'spec.workloadSelector': {} },
    good: { 'spec.workloadSelector': { matchLabels: { app: 'productpage' } } },
    field: 'spec.workloadSelector',
    message: 'selects every workload',
    severity: 'warning',
  },
  {
    rule: 'workloadSelector restricts exportTo to the own namespace',
    bad: { 'spec.workloadSelector': { matchLabels: { app: 'productpage' } }, 'spec.exportTo': ['*'] },
    good: { 'spec.workloadSelector': { matchLabels: { app: 'productpage' } }, 'spec.exportTo': ['.'] },
    field: 'spec.exportTo',
    message: "must be only the own namespace ('.') when workloadSelector is set",
  },
  {
    rule: 'workloadSelector: exportTo names only the own namespace',
    bad: { 'spec.workloadSelector': { matchLabels: { app: 'productpage' } }, 'spec.exportTo': ['.', 'bank'] },
    good: { 'spec.workloadSelector': { matchLabels: { app: 'productpage' } }, 'spec.exportTo': ['default'] },
    field: 'spec.exportTo',
    message: 'not several namespaces',
  },
  {
    rule: 'exportTo entries valid',
    bad: { 'spec.exportTo': ['~'] },
    good: { 'spec.exportTo': ['*'] },
    field: 'spec.exportTo[0]',
    message: 'is only allowed in a ServiceEntry',
  },
  {
    rule: 'trafficPolicy sets something',
    bad: { [TP]: {} },
    good: { [TP]: { tls: { mode: 'DISABLE' } } },
    field: TP,
    message: 'must set at least one field',
  },
  {
    rule: 'tunnel and proxyProtocol exclusive',
    bad: { [TP]: { tunnel: { targetHost: 'proxy.example.com', targetPort: 3128 }, proxyProtocol: { version: 'V1' } } },
    good: { [TP]: { tunnel: { targetHost: 'proxy.example.com', targetPort: 3128 } } },
    field: TP,
    message: 'tunnel and proxyProtocol are mutually exclusive',
  },
  {
    rule: 'portLevelSettings need a port',
    bad: { [`${TP}.portLevelSettings`]: [{ tls: { mode: 'SIMPLE' } }] },
    good: { [`${TP}.portLevelSettings`]: [{ port: { number: 443 }, tls: { mode: 'SIMPLE' } }] },
    field: `${TP}.portLevelSettings[0].port`,
    message: 'is required',
  },
  {
    rule: 'portLevelSettings set a policy',
    bad: { [`${TP}.portLevelSettings`]: [{ port: { number: 443 } }] },
    good: { [`${TP}.portLevelSettings`]: [{ port: { number: 443 }, loadBalancer: { simple: 'LEAST_REQUEST' } }] },
    field: `${TP}.portLevelSettings[0]`,
    message: 'needs at least one of outlierDetection, connectionPool, loadBalancer or tls',
  },
  {
    rule: 'outlierDetection minHealthPercent 0..100',
    bad: { [`${TP}.outlierDetection`]: { minHealthPercent: -1 } },
    good: { [`${TP}.outlierDetection`]: { minHealthPercent: 0 } },
    field: `${TP}.outlierDetection.minHealthPercent`,
    message: 'must be between 0 and 100',
  },
  {
    rule: 'outlierDetection consecutiveLocalOriginFailures needs split errors',
    bad: { [`${TP}.outlierDetection`]: { consecutiveLocalOriginFailures: 5 } },
    good: { [`${TP}.outlierDetection`]: { consecutiveLocalOriginFailures: 5, splitExternalLocalOriginErrors: true } },
    field: `${TP}.outlierDetection.consecutiveLocalOriginFailures`,
    message: 'splitExternalLocalOriginErrors: true',
  },
  {
    rule: 'outlierDetection consecutiveLocalOriginFailures 0 needs no split errors',
    bad: { [`${TP}.outlierDetection`]: { consecutiveLocalOriginFailures: 1 } },
    good: { [`${TP}.outlierDetection`]: { consecutiveLocalOriginFailures: 0 } },
    field: `${TP}.outlierDetection.consecutiveLocalOriginFailures`,
    message: 'splitExternalLocalOriginErrors: true',
  },
  {
    rule: 'outlierDetection consecutiveErrors deprecated',
    bad: { [`${TP}.outlierDetection`]: { consecutiveErrors: 5 } },
    good: { [`${TP}.outlierDetection`]: { consecutiveErrors: 0, consecutive5xxErrors: 5 } },
    field: `${TP}.outlierDetection.consecutiveErrors`,
    message: 'is deprecated',
    severity: 'warning',
  },
  {
    rule: 'outlierDetection durations whole milliseconds',
    bad: { [`${TP}.outlierDetection`]: { interval: '10.5ms' } },
    good: { [`${TP}.outlierDetection`]: { interval: '10s' } },
    field: `${TP}.outlierDetection.interval`,
    message: 'must be a whole number of milliseconds',
  },
  {
    rule: 'connectionPool needs http or tcp',
    bad: { [`${TP}.connectionPool`]: {} },
    good: { [`${TP}.connectionPool`]: { tcp: { maxConnections: 100 } } },
    field: `${TP}.connectionPool`,
    message: 'needs http or tcp settings',
  },
  {
    rule: 'connectionPool counts non-negative',
    bad: { [`${TP}.connectionPool`]: { http: { http1MaxPendingRequests: -1 } } },
    good: { [`${TP}.connectionPool`]: { http: { http1MaxPendingRequests: 1 } } },
    field: `${TP}.connectionPool.http.http1MaxPendingRequests`,
    message: 'must be >= 0',
  },
  {
    rule: 'connectionPool tcp maxConnections non-negative',
    bad: { [`${TP}.connectionPool`]: { tcp: { maxConnections: -3 } } },
    good: { [`${TP}.connectionPool`]: { tcp: { maxConnections: 3 } } },
    field: `${TP}.connectionPool.tcp.maxConnections`,
    message: 'must be >= 0',
  },
  {
    rule: 'useClientProtocol excludes h2 UPGRADE',
    bad: { [`${TP}.connectionPool`]: { http: { useClientProtocol: true, h2UpgradePolicy: 'UPGRADE' } } },
    good: { [`${TP}.connectionPool`]: { http: { useClientProtocol: true, h2UpgradePolicy: 'DO_NOT_UPGRADE' } } },
    field: `${TP}.connectionPool.http.h2UpgradePolicy`,
    message: 'may not be combined with useClientProtocol',
  },
  {
    rule: 'tcp idleTimeout: whole milliseconds, under 1ms (disabled) allowed',
    bad: { [`${TP}.connectionPool`]: { tcp: { idleTimeout: '1.5ms' } } },
    good: { [`${TP}.connectionPool`]: { tcp: { idleTimeout: '0.5ms' } } },
    field: `${TP}.connectionPool.tcp.idleTimeout`,
    message: 'must be a whole number of milliseconds',
  },
  {
    rule: 'tcp idleTimeout: a duration',
    bad: { [`${TP}.connectionPool`]: { tcp: { idleTimeout: '10 seconds' } } },
    good: { [`${TP}.connectionPool`]: { tcp: { idleTimeout: '0s' } } },
    field: `${TP}.connectionPool.tcp.idleTimeout`,
    message: 'must be a duration of at least 1ms',
  },
  {
    rule: 'httpCookie name required',
    bad: { [`${TP}.loadBalancer`]: { consistentHash: { httpCookie: { name: '' } } } },
    good: { [`${TP}.loadBalancer`]: { consistentHash: { httpCookie: { name: 'user', ttl: '0s' } } } },
    field: `${TP}.loadBalancer.consistentHash.httpCookie.name`,
    message: 'is required',
  },
  {
    rule: 'httpCookie attribute names unique',
    bad: {
      [`${TP}.loadBalancer`]: { consistentHash: { httpCookie: { name: 'u', attributes: [{ name: 'SameSite' }, { name: 'SameSite' }] } } },
    },
    good: {
      [`${TP}.loadBalancer`]: { consistentHash: { httpCookie: { name: 'u', attributes: [{ name: 'SameSite' }, { name: 'Secure' }] } } },
    },
    field: `${TP}.loadBalancer.consistentHash.httpCookie.attributes[1].name`,
    message: 'is a duplicate cookie attribute',
  },
  {
    rule: 'httpCookie attribute names non-empty',
    bad: { [`${TP}.loadBalancer`]: { consistentHash: { httpCookie: { name: 'u', attributes: [{ name: '' }] } } } },
    good: { [`${TP}.loadBalancer`]: { consistentHash: { httpCookie: { name: 'u', attributes: [{ name: 'Secure' }] } } } },
    field: `${TP}.loadBalancer.consistentHash.httpCookie.attributes[0].name`,
    message: 'may not be empty',
  },
  {
    rule: 'maglev tableSize prime',
    bad: { [`${TP}.loadBalancer`]: { consistentHash: { useSourceIp: true, maglev: { tableSize: 65536 } } } },
    good: { [`${TP}.loadBalancer`]: { consistentHash: { useSourceIp: true, maglev: { tableSize: 65537 } } } },
    field: `${TP}.loadBalancer.consistentHash.maglev.tableSize`,
    message: 'must be a prime number',
  },
  {
    rule: 'maglev tableSize required',
    bad: { [`${TP}.loadBalancer`]: { consistentHash: { useSourceIp: true, maglev: {} } } },
    good: { [`${TP}.loadBalancer`]: { consistentHash: { useSourceIp: true, maglev: { tableSize: 251 } } } },
    field: `${TP}.loadBalancer.consistentHash.maglev.tableSize`,
    message: 'is required for maglev',
  },
  {
    rule: 'maglev tableSize below 5000011',
    bad: { [`${TP}.loadBalancer`]: { consistentHash: { useSourceIp: true, maglev: { tableSize: 5000011 } } } },
    good: { [`${TP}.loadBalancer`]: { consistentHash: { useSourceIp: true, maglev: { tableSize: 4999999 } } } },
    field: `${TP}.loadBalancer.consistentHash.maglev.tableSize`,
    message: 'must be less than 5000011',
  },
  {
    rule: 'maglev tableSize 1 counts as prime (as in Envoy)',
    bad: { [`${TP}.loadBalancer`]: { consistentHash: { useSourceIp: true, maglev: { tableSize: 4 } } } },
    good: { [`${TP}.loadBalancer`]: { consistentHash: { useSourceIp: true, maglev: { tableSize: 1 } } } },
    field: `${TP}.loadBalancer.consistentHash.maglev.tableSize`,
    message: 'must be a prime number',
  },
  {
    rule: 'minimumRingSize deprecated',
    bad: { [`${TP}.loadBalancer`]: { consistentHash: { useSourceIp: true, minimumRingSize: 1024 } } },
    good: { [`${TP}.loadBalancer`]: { consistentHash: { useSourceIp: true, minimumRingSize: 0, ringHash: { minimumRingSize: 1024 } } } },
    field: `${TP}.loadBalancer.consistentHash.minimumRingSize`,
    message: 'is deprecated',
    severity: 'warning',
  },
  {
    rule: 'minimumRingSize not with ringHash',
    bad: { [`${TP}.loadBalancer`]: { consistentHash: { useSourceIp: true, minimumRingSize: 1024, ringHash: { minimumRingSize: 1024 } } } },
    good: { [`${TP}.loadBalancer`]: { consistentHash: { useSourceIp: true, ringHash: { minimumRingSize: 1024 } } } },
    field: `${TP}.loadBalancer.consistentHash.minimumRingSize`,
    message: 'may not be combined with ringHash or maglev',
  },
  {
    rule: 'warmup minimumPercent <= 100',
    bad: { [`${TP}.loadBalancer`]: { simple: 'ROUND_ROBIN', warmup: { duration: '60s', minimumPercent: 101 } } },
    good: { [`${TP}.loadBalancer`]: { simple: 'ROUND_ROBIN', warmup: { duration: '60s', minimumPercent: 100 } } },
    field: `${TP}.loadBalancer.warmup.minimumPercent`,
    message: 'must be at most 100',
  },
  {
    rule: 'warmupDurationSecs: the webhook checks no whole milliseconds',
    bad: { [`${TP}.loadBalancer`]: { simple: 'ROUND_ROBIN', warmupDurationSecs: '0.5ms' } },
    good: { [`${TP}.loadBalancer`]: { simple: 'ROUND_ROBIN', warmupDurationSecs: '1.5ms' } },
    field: `${TP}.loadBalancer.warmupDurationSecs`,
    message: 'must be a valid duration greater than 1ms',
  },
  {
    rule: 'warmup aggression >= 1',
    bad: { [`${TP}.loadBalancer`]: { simple: 'ROUND_ROBIN', warmup: { duration: '60s', aggression: 0.5 } } },
    good: { [`${TP}.loadBalancer`]: { simple: 'ROUND_ROBIN', warmup: { duration: '60s', aggression: 1 } } },
    field: `${TP}.loadBalancer.warmup.aggression`,
    message: 'must be >= 1',
  },
  {
    rule: 'locality: distribute and failover exclusive',
    bad: {
      [`${TP}.loadBalancer.localityLbSetting`]: {
        distribute: [{ from: 'eu/*', to: { 'eu/*': 100 } }],
        failover: [{ from: 'eu', to: 'us' }],
      },
      [`${TP}.outlierDetection`]: { consecutive5xxErrors: 5 },
    },
    good: {
      [`${TP}.loadBalancer.localityLbSetting`]: { failover: [{ from: 'eu', to: 'us' }] },
      [`${TP}.outlierDetection`]: { consecutive5xxErrors: 5 },
    },
    field: `${TP}.loadBalancer.localityLbSetting`,
    message: 'distribute and failover are mutually exclusive',
  },
  {
    rule: 'locality: distribute weights sum to 100',
    bad: { [`${TP}.loadBalancer.localityLbSetting`]: { distribute: [{ from: 'eu/*', to: { 'eu/zone1/*': 50, 'eu/zone2/*': 40 } }] } },
    good: { [`${TP}.loadBalancer.localityLbSetting`]: { distribute: [{ from: 'eu/*', to: { 'eu/zone1/*': 60, 'eu/zone2/*': 40 } }] } },
    field: `${TP}.loadBalancer.localityLbSetting.distribute[0].to`,
    message: 'weights add up to 90',
  },
  {
    rule: 'locality: distribute weights 1..100',
    bad: { [`${TP}.loadBalancer.localityLbSetting`]: { distribute: [{ from: 'eu/*', to: { 'eu/zone1/*': 100, 'eu/zone2/*': 0 } }] } },
    good: { [`${TP}.loadBalancer.localityLbSetting`]: { distribute: [{ from: 'eu/*', to: { 'eu/zone1/*': 99, 'eu/zone2/*': 1 } }] } },
    field: `${TP}.loadBalancer.localityLbSetting.distribute[0].to.eu/zone2/*`,
    message: 'must be a weight between 1 and 100',
  },
  {
    rule: 'locality: wildcard only as the last part',
    bad: { [`${TP}.loadBalancer.localityLbSetting`]: { distribute: [{ from: '*/zone1', to: { 'eu/*': 100 } }] } },
    good: { [`${TP}.loadBalancer.localityLbSetting`]: { distribute: [{ from: 'eu/zone1/*', to: { 'eu/*': 100 } }] } },
    field: `${TP}.loadBalancer.localityLbSetting.distribute[0].from`,
    message: "'*' only as the last part",
  },
  {
    rule: 'locality: distribute sources do not overlap',
    bad: {
      [`${TP}.loadBalancer.localityLbSetting`]: {
        distribute: [
          { from: 'eu/*', to: { 'eu/*': 100 } },
          { from: 'eu/zone1/*', to: { 'eu/*': 100 } },
        ],
      },
    },
    good: {
      [`${TP}.loadBalancer.localityLbSetting`]: {
        distribute: [
          { from: 'eu/*', to: { 'eu/*': 100 } },
          { from: 'us/zone1/*', to: { 'eu/*': 100 } },
        ],
      },
    },
    field: `${TP}.loadBalancer.localityLbSetting.distribute[1].from`,
    message: "overlaps spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].from ('eu/*')",
  },
  {
    rule: 'locality: failover from and to differ',
    bad: {
      [`${TP}.loadBalancer.localityLbSetting`]: { failover: [{ from: 'eu', to: 'eu' }] },
      [`${TP}.outlierDetection`]: { consecutive5xxErrors: 5 },
    },
    good: {
      [`${TP}.loadBalancer.localityLbSetting`]: { failover: [{ from: 'eu', to: 'us' }] },
      [`${TP}.outlierDetection`]: { consecutive5xxErrors: 5 },
    },
    field: `${TP}.loadBalancer.localityLbSetting.failover[0].to`,
    message: 'must differ from the failover source region',
  },
  {
    rule: 'locality: failover regions only',
    bad: {
      [`${TP}.loadBalancer.localityLbSetting`]: { failover: [{ from: 'eu/zone1', to: 'us' }] },
      [`${TP}.outlierDetection`]: { consecutive5xxErrors: 5 },
    },
    good: {
      [`${TP}.loadBalancer.localityLbSetting`]: { failover: [{ from: 'eu', to: 'us' }] },
      [`${TP}.outlierDetection`]: { consecutive5xxErrors: 5 },
    },
    field: `${TP}.loadBalancer.localityLbSetting.failover[0].from`,
    message: 'must be a region only',
  },
  {
    rule: 'locality: failover without wildcards',
    bad: {
      [`${TP}.loadBalancer.localityLbSetting`]: { failover: [{ from: 'eu', to: '*' }] },
      [`${TP}.outlierDetection`]: { consecutive5xxErrors: 5 },
    },
    good: {
      [`${TP}.loadBalancer.localityLbSetting`]: { failover: [{ from: 'eu', to: 'us' }] },
      [`${TP}.outlierDetection`]: { consecutive5xxErrors: 5 },
    },
    field: `${TP}.loadBalancer.localityLbSetting.failover[0].to`,
    message: 'may not contain a wildcard',
  },
  {
    rule: 'locality: failover with topology labels in failoverPriority',
    bad: {
      [`${TP}.loadBalancer.localityLbSetting`]: {
        failover: [{ from: 'eu', to: 'us' }],
        failoverPriority: ['topology.kubernetes.io/region'],
      },
      [`${TP}.outlierDetection`]: { consecutive5xxErrors: 5 },
    },
    good: {
      [`${TP}.loadBalancer.localityLbSetting`]: { failover: [{ from: 'eu', to: 'us' }], failoverPriority: ['topology.istio.io/network'] },
      [`${TP}.outlierDetection`]: { consecutive5xxErrors: 5 },
    },
    field: `${TP}.loadBalancer.localityLbSetting.failoverPriority[0]`,
    message: 'may not use topology labels together with explicit failover',
  },
  {
    rule: 'locality: failover without outlierDetection warns',
    bad: { [`${TP}.loadBalancer.localityLbSetting`]: { failover: [{ from: 'eu', to: 'us' }] } },
    good: {
      [`${TP}.loadBalancer.localityLbSetting`]: { failover: [{ from: 'eu', to: 'us' }] },
      [`${TP}.outlierDetection`]: { consecutive5xxErrors: 5 },
    },
    field: `${TP}.loadBalancer.localityLbSetting.failover`,
    message: 'has no effect without outlierDetection',
    severity: 'warning',
  },
  {
    rule: 'client TLS: credentialName excludes file certificates',
    bad: { [`${TP}.tls`]: { mode: 'MUTUAL', credentialName: 'client-cert', clientCertificate: '/c.pem' } },
    good: { [`${TP}.tls`]: { mode: 'MUTUAL', credentialName: 'client-cert' } },
    field: `${TP}.tls.clientCertificate`,
    message: 'may not be set together with credentialName',
  },
  {
    rule: 'client TLS: MUTUAL needs a client certificate',
    bad: { [`${TP}.tls`]: { mode: 'MUTUAL', privateKey: '/k.pem' } },
    good: { [`${TP}.tls`]: { mode: 'MUTUAL', privateKey: '/k.pem', clientCertificate: '/c.pem' } },
    field: `${TP}.tls.clientCertificate`,
    message: 'is required for MUTUAL mode without credentialName',
  },
  {
    rule: 'client TLS: MUTUAL needs a private key',
    bad: { [`${TP}.tls`]: { mode: 'MUTUAL', clientCertificate: '/c.pem' } },
    good: { [`${TP}.tls`]: { mode: 'MUTUAL', privateKey: '/k.pem', clientCertificate: '/c.pem' } },
    field: `${TP}.tls.privateKey`,
    message: 'is required for MUTUAL mode without credentialName',
  },
  {
    rule: 'client TLS: insecureSkipVerify excludes verification settings',
    bad: { [`${TP}.tls`]: { mode: 'SIMPLE', insecureSkipVerify: true, subjectAltNames: ['a.example.com'] } },
    good: { [`${TP}.tls`]: { mode: 'SIMPLE', insecureSkipVerify: true } },
    field: `${TP}.tls.subjectAltNames`,
    message: 'may not be set with insecureSkipVerify: true',
  },
  {
    rule: 'client TLS: SIMPLE insecureSkipVerify excludes credentialName',
    bad: { [`${TP}.tls`]: { mode: 'SIMPLE', insecureSkipVerify: true, credentialName: 'api-ca' } },
    good: { [`${TP}.tls`]: { mode: 'MUTUAL', insecureSkipVerify: true, credentialName: 'api-client' } },
    field: `${TP}.tls.credentialName`,
    message: 'may not be set with insecureSkipVerify: true in SIMPLE mode',
  },
  {
    rule: 'client TLS: MUTUAL insecureSkipVerify excludes caCertificates',
    bad: {
      [`${TP}.tls`]: {
        mode: 'MUTUAL',
        insecureSkipVerify: true,
        clientCertificate: '/c.pem',
        privateKey: '/k.pem',
        caCertificates: '/ca.pem',
      },
    },
    good: { [`${TP}.tls`]: { mode: 'MUTUAL', insecureSkipVerify: true, clientCertificate: '/c.pem', privateKey: '/k.pem' } },
    field: `${TP}.tls.caCertificates`,
    message: 'may not be set with insecureSkipVerify: true in MUTUAL mode',
  },
  {
    rule: 'client TLS: insecureSkipVerify restricts SIMPLE and MUTUAL only',
    bad: { [`${TP}.tls`]: { mode: 'SIMPLE', insecureSkipVerify: true, caCertificates: '/ca.pem' } },
    good: {
      [`${TP}.tls`]: { mode: 'ISTIO_MUTUAL', insecureSkipVerify: true, subjectAltNames: ['spiffe://cluster.local/ns/default/sa/reviews'] },
    },
    field: `${TP}.tls.caCertificates`,
    message: 'may not be set with insecureSkipVerify: true in SIMPLE mode',
  },
  {
    rule: 'client TLS: configmap:// credentialName names namespace and name',
    bad: { [`${TP}.tls`]: { mode: 'SIMPLE', credentialName: 'configmap://api-ca' } },
    good: { [`${TP}.tls`]: { mode: 'SIMPLE', credentialName: 'configmap://default/api-ca' } },
    field: `${TP}.tls.credentialName`,
    message: "must be 'configmap://<namespace>/<name>'",
  },
  {
    rule: "client TLS: configmap:// credentialName in the rule's namespace",
    bad: { [`${TP}.tls`]: { mode: 'SIMPLE', credentialName: 'configmap://bank/api-ca' } },
    good: { [`${TP}.tls`]: { mode: 'SIMPLE', credentialName: 'kubernetes://bank/api-ca' } },
    field: `${TP}.tls.credentialName`,
    message: "must name a ConfigMap in the rule's own namespace 'default'",
  },
  {
    rule: 'tunnel protocol CONNECT or POST',
    bad: { [`${TP}.tunnel`]: { protocol: 'GET', targetHost: 'proxy.example.com', targetPort: 3128 } },
    good: { [`${TP}.tunnel`]: { protocol: 'POST', targetHost: 'proxy.example.com', targetPort: 3128 } },
    field: `${TP}.tunnel.protocol`,
    message: "must be 'CONNECT' or 'POST'",
  },
  {
    rule: 'tunnel targetHost FQDN or IP',
    bad: { [`${TP}.tunnel`]: { targetHost: '*.example.com', targetPort: 3128 } },
    good: { [`${TP}.tunnel`]: { targetHost: '10.0.0.1', targetPort: 3128 } },
    field: `${TP}.tunnel.targetHost`,
    message: 'must be a host name or an IP address',
  },
  {
    rule: 'tunnel targetPort 1..65535',
    bad: { [`${TP}.tunnel`]: { targetHost: 'proxy.example.com', targetPort: 65536 } },
    good: { [`${TP}.tunnel`]: { targetHost: 'proxy.example.com', targetPort: 65535 } },
    field: `${TP}.tunnel.targetPort`,
    message: 'must be a port number between 1 and 65535',
  },
];

describe('DestinationRule webhook rules', () => {
  test('Bookinfo-shaped DestinationRules have no findings', () => {
    expect(analyze(DR)).toEqual([]);
    expect(analyze(fixture('DestinationRule', 'originate-tls-for-styletransfer'))).toEqual([]);
  });

  test.each(CASES.map((c) => [c.rule, c] as const))('%s', (_rule, c) => expectCase(DR, c));

  test('subset names may have upper-case letters (Istio labels.IsDNS1123Label)', () => {
    expect(analyze(variant(DR, { 'spec.subsets[2].name': 'V3' }))).toEqual([]);
  });

  test('the webhook checks no port-level port number, only that a port is given', () => {
    for (const number of [0, 70000]) {
      expect(analyze(variant(DR, { [`${TP}.portLevelSettings`]: [{ port: { number }, tls: { mode: 'SIMPLE' } }] }))).toEqual([]);
    }
    expect(analyze(variant(DR, { [`${TP}.portLevelSettings`]: [{ port: {}, tls: { mode: 'SIMPLE' } }] }))).toEqual([]);
  });

  test('a negative consecutiveErrors is only deprecated, like any other value', () => {
    const findings = analyze(variant(DR, { [`${TP}.outlierDetection`]: { consecutiveErrors: -1 } }));
    expect(findings.map((f) => [f.severity, f.field])).toEqual([['warning', `${TP}.outlierDetection.consecutiveErrors`]]);
  });

  test('workloadSelector: a repeated own namespace is one duplicate, not a second namespace', () => {
    const findings = analyze(
      variant(DR, { 'spec.workloadSelector': { matchLabels: { app: 'productpage' } }, 'spec.exportTo': ['.', 'default'] }),
    );
    expect(findings.map((f) => [f.field, f.message])).toEqual([
      ['spec.exportTo[1]', "spec.exportTo[1] ('default') is a duplicate entry ('.' is the own namespace)"],
    ]);
  });
});
