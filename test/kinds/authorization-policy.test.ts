import { analyze, expectCase, RuleCase, variant } from './helpers';

const AP = {
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name: 'details-callers', namespace: 'bank' },
  spec: {
    selector: { matchLabels: { app: 'details' } },
    action: 'ALLOW',
    rules: [
      {
        from: [{ source: { principals: ['cluster.local/ns/bank/sa/productpage'] } }],
        to: [{ operation: { methods: ['GET'], paths: ['/details/*'] } }],
      },
    ],
  },
};
const R = 'spec.rules[0]';
const SRC = `${R}.from[0].source`;
const OP = `${R}.to[0].operation`;
const CUSTOM = { 'spec.action': 'CUSTOM', 'spec.provider': { name: 'ext-authz' } };

const CASES: RuleCase[] = [
  {
    rule: 'CUSTOM needs rules',
    bad: { ...CUSTOM, 'spec.rules': undefined },
    good: { ...CUSTOM, 'spec.rules': [{}] },
    field: 'spec.rules',
    message: 'CUSTOM policy without rules never applies',
  },
  {
    rule: 'CUSTOM needs a provider name',
    bad: { 'spec.action': 'CUSTOM', 'spec.provider': { name: '' }, 'spec.rules': [{}] },
    good: { ...CUSTOM, 'spec.rules': [{}] },
    field: 'spec.provider.name',
    message: 'must name the external authorization provider',
  },
  {
    rule: 'a provider only with CUSTOM',
    bad: { 'spec.provider': { name: 'ext-authz' } },
    good: { 'spec.provider': undefined },
    field: 'spec.provider',
    message: 'may only be set with action CUSTOM',
  },
  {
    rule: 'CUSTOM cannot match peer identities',
    bad: { ...CUSTOM },
    good: { ...CUSTOM, [`${SRC}`]: { ipBlocks: ['10.0.0.0/8'] } },
    field: `${SRC}.principals`,
    message: 'is not supported with action CUSTOM',
  },
  {
    rule: 'CUSTOM cannot use identity conditions',
    bad: { ...CUSTOM, [`${R}.when`]: [{ key: 'request.auth.claims[group]', values: ['tellers'] }] },
    good: { ...CUSTOM, [SRC]: { ipBlocks: ['10.0.0.0/8'] }, [`${R}.when`]: [{ key: 'request.headers[x-team]', values: ['tellers'] }] },
    field: `${R}.when[0].key`,
    message: 'is not supported with action CUSTOM',
  },
  {
    rule: 'DENY needs rules',
    bad: { 'spec.action': 'DENY', 'spec.rules': undefined },
    good: { 'spec.action': 'ALLOW', 'spec.rules': undefined },
    field: 'spec.rules',
    message: 'DENY policy without rules never applies',
  },
  {
    rule: 'a rule is not null',
    bad: { 'spec.rules': [null] },
    good: { 'spec.rules': [{}] },
    field: R,
    message: 'a rule may not be null',
  },
  {
    rule: 'from is not an empty list',
    bad: { [`${R}.from`]: [] },
    good: { [`${R}.from`]: undefined },
    field: `${R}.from`,
    message: 'may not be an empty list',
  },
  {
    rule: 'from carries a source',
    bad: { [`${R}.from`]: [{}] },
    good: { [`${R}.from`]: [{ source: { namespaces: ['bank'] } }] },
    field: `${R}.from[0].source`,
    message: 'must be set',
  },
  {
    rule: 'a source is not empty',
    bad: { [SRC]: { principals: [] } },
    good: { [SRC]: { namespaces: ['bank'] } },
    field: SRC,
    message: 'may not be empty',
  },
  {
    rule: 'source values are not empty strings',
    bad: { [`${SRC}.principals`]: [''] },
    good: { [`${SRC}.principals`]: ['*'] },
    field: `${SRC}.principals[0]`,
    message: 'may not be empty',
  },
  {
    rule: 'ipBlocks are IPs or CIDRs',
    bad: { [SRC]: { ipBlocks: ['10.0.0.0/33'] } },
    good: { [SRC]: { ipBlocks: ['10.0.0.0/32'] } },
    field: `${SRC}.ipBlocks[0]`,
    message: 'must be an IP address or CIDR block',
  },
  {
    rule: 'serviceAccounts have no wildcard',
    bad: { [SRC]: { serviceAccounts: ['bank/*'] } },
    good: { [SRC]: { serviceAccounts: ['bank/productpage'] } },
    field: `${SRC}.serviceAccounts[0]`,
    message: 'may not contain a wildcard',
  },
  {
    rule: "serviceAccounts are 'sa' or 'ns/sa'",
    bad: { [SRC]: { serviceAccounts: ['bank/'] } },
    good: { [SRC]: { serviceAccounts: ['productpage'] } },
    field: `${SRC}.serviceAccounts[0]`,
    message: "must be 'serviceAccount' or 'namespace/serviceAccount'",
  },
  {
    rule: 'serviceAccounts exclude principals (CEL)',
    bad: { [`${SRC}.serviceAccounts`]: ['bank/productpage'] },
    good: { [SRC]: { serviceAccounts: ['bank/productpage'] } },
    field: SRC,
    message: 'Cannot set serviceAccounts with namespaces or principals',
  },
  {
    rule: 'trust domains have a wildcard only at an end',
    bad: { [SRC]: { trustDomains: ['bank.*.local'] } },
    good: { [SRC]: { trustDomains: ['*.local'] } },
    field: `${SRC}.trustDomains[0]`,
    message: 'has a wildcard in the middle',
  },
  {
    rule: "trust domains have no '/'",
    bad: { [SRC]: { trustDomains: ['cluster.local/ns'] } },
    good: { [SRC]: { trustDomains: ['cluster.local'] } },
    field: `${SRC}.trustDomains[0]`,
    message: "may not contain '/'",
  },
  {
    rule: 'to is not an empty list',
    bad: { [`${R}.to`]: [] },
    good: { [`${R}.to`]: undefined },
    field: `${R}.to`,
    message: 'may not be an empty list',
  },
  {
    rule: 'to carries an operation',
    bad: { [`${R}.to`]: [{}] },
    good: { [`${R}.to`]: [{ operation: { methods: ['GET'] } }] },
    field: `${R}.to[0].operation`,
    message: 'must be set',
  },
  {
    rule: 'an operation is not empty',
    bad: { [OP]: {} },
    good: { [OP]: { hosts: ['details.bank.svc.cluster.local'] } },
    field: OP,
    message: 'may not be empty',
  },
  {
    rule: 'operation values are not empty strings',
    bad: { [`${OP}.methods`]: [''] },
    good: { [`${OP}.methods`]: ['HEAD'] },
    field: `${OP}.methods[0]`,
    message: 'may not be empty',
  },
  {
    rule: 'operation ports are port numbers',
    bad: { [`${OP}.ports`]: ['http'] },
    good: { [`${OP}.ports`]: ['9080'] },
    field: `${OP}.ports[0]`,
    message: 'must be a port number',
  },
  {
    rule: "'{**}' is the last path template operator",
    bad: { [`${OP}.paths`]: ['/details/{**}/{*}'] },
    good: { [`${OP}.paths`]: ['/details/{*}/{**}'] },
    field: `${OP}.paths[0]`,
    message: "after '{**}'",
  },
  {
    rule: 'braces only in template operators',
    bad: { [`${OP}.paths`]: ['/details/{id}'] },
    good: { [`${OP}.paths`]: ['/details/{*}'] },
    field: `${OP}.paths[0]`,
    message: "contains '{' or '}'",
  },
  {
    rule: 'template paths are literal pchars',
    bad: { [`${OP}.paths`]: ['/details/{*}/a*b'] },
    good: { [`${OP}.paths`]: ['/details/{*}/a-b'] },
    field: `${OP}.paths[0]`,
    message: 'is not a valid path literal',
  },
  {
    rule: 'a condition key is not empty',
    bad: { [`${R}.when`]: [{ key: '', values: ['x'] }] },
    good: { [`${R}.when`]: [{ key: 'source.namespace', values: ['x'] }] },
    field: `${R}.when[0].key`,
    message: 'may not be empty',
  },
  {
    rule: 'a condition has values or notValues',
    bad: { [`${R}.when`]: [{ key: 'source.namespace' }] },
    good: { [`${R}.when`]: [{ key: 'source.namespace', notValues: ['other'] }] },
    field: `${R}.when[0]`,
    message: 'needs values or notValues',
  },
  {
    rule: 'condition keys are known',
    bad: { [`${R}.when`]: [{ key: 'source.team', values: ['x'] }] },
    good: { [`${R}.when`]: [{ key: 'source.principal', values: ['x'] }] },
    field: `${R}.when[0].values`,
    message: "unknown key 'source.team'",
  },
  {
    rule: 'map keys have the form name[key]',
    bad: { [`${R}.when`]: [{ key: 'request.headers[]', values: ['x'] }] },
    good: { [`${R}.when`]: [{ key: 'request.headers[x]', values: ['x'] }] },
    field: `${R}.when[0].values`,
    message: 'use the form name[key]',
  },
  {
    rule: 'IP conditions hold IPs',
    bad: { [`${R}.when`]: [{ key: 'remote.ip', notValues: ['10.0.0'] }] },
    good: { [`${R}.when`]: [{ key: 'remote.ip', notValues: ['10.0.0.0/24'] }] },
    field: `${R}.when[0].notValues`,
    message: 'must be IP addresses or CIDR blocks',
  },
  {
    rule: 'port conditions hold ports',
    bad: { [`${R}.when`]: [{ key: 'destination.port', values: ['65536'] }] },
    good: { [`${R}.when`]: [{ key: 'destination.port', values: ['65535'] }] },
    field: `${R}.when[0].values`,
    message: 'must be port numbers',
  },
  {
    rule: 'destination.namespace is replaced by the namespace',
    bad: { [`${R}.when`]: [{ key: 'destination.namespace', values: ['bank'] }] },
    good: { [`${R}.when`]: [{ key: 'source.namespace', values: ['bank'] }] },
    field: `${R}.when[0].values`,
    message: 'own namespace replaces',
  },
  {
    rule: 'destination.labels is replaced by the selector',
    bad: { [`${R}.when`]: [{ key: 'destination.labels[app]', values: ['details'] }] },
    good: { [`${R}.when`]: [{ key: 'request.auth.claims[app]', values: ['details'] }] },
    field: `${R}.when[0].values`,
    message: "policy's selector replaces",
  },
  {
    rule: 'DENY on HTTP attributes only warns about TCP ports',
    bad: { 'spec.action': 'DENY' },
    good: { 'spec.action': 'DENY', [`${OP}.ports`]: ['9080'] },
    field: R,
    message: 'denies all traffic to TCP ports',
    severity: 'warning',
  },
  {
    rule: 'dry-run takes a boolean',
    bad: { 'metadata.annotations': { 'istio.io/dry-run': 'yes' } },
    good: { 'metadata.annotations': { 'istio.io/dry-run': 'True' } },
    field: 'metadata.annotations.istio.io/dry-run',
    message: 'must be a boolean',
  },
  {
    rule: 'dry-run only with ALLOW or DENY',
    bad: { ...CUSTOM, [SRC]: { ipBlocks: ['10.0.0.0/8'] }, 'metadata.annotations': { 'istio.io/dry-run': 'true' } },
    good: { [SRC]: { ipBlocks: ['10.0.0.0/8'] }, 'metadata.annotations': { 'istio.io/dry-run': 'true' } },
    field: 'metadata.annotations.istio.io/dry-run',
    message: 'only supported with action ALLOW or DENY',
  },
  {
    rule: 'targetRefs name an attachable kind',
    bad: { 'spec.selector': undefined, 'spec.targetRefs': [{ kind: 'Deployment', group: 'apps', name: 'details' }] },
    good: { 'spec.selector': undefined, 'spec.targetRefs': [{ kind: 'Service', group: '', name: 'details' }] },
    field: 'spec.targetRefs[0].kind',
    message: 'is not a kind a policy can target',
  },
  {
    rule: 'selector and targetRef exclude each other (CEL)',
    bad: { 'spec.targetRef': { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'bank' } },
    good: { 'spec.selector': undefined, 'spec.targetRef': { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'bank' } },
    field: 'spec',
    message: 'only one of targetRefs or selector',
  },
  {
    rule: 'a selector without labels warns',
    bad: { 'spec.selector.matchLabels': {} },
    good: { 'spec.selector': undefined },
    field: 'spec.selector.matchLabels',
    message: 'applies to every workload',
    severity: 'warning',
  },
];

describe('AuthorizationPolicy rule book', () => {
  test.each(CASES.map((c) => [c.rule, c]))('%s', (_rule, c) => expectCase(AP, c));

  test('the empty spec (deny all) and an ALLOW of nothing are valid', () => {
    expect(analyze(variant(AP, { spec: {} }))).toEqual([]);
    expect(analyze(variant(AP, { 'spec.rules': undefined }))).toEqual([]);
    expect(analyze(variant(AP, { 'spec.action': 'AUDIT' }))).toEqual([]);
  });
});
