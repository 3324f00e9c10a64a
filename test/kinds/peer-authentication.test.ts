import { analyze, expectCase, RuleCase, variant } from './helpers';

const PA = {
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name: 'addedvalues-strict', namespace: 'bank' },
  spec: { selector: { matchLabels: { app: 'addedvalues' } }, mtls: { mode: 'STRICT' } },
};

const CASES: RuleCase[] = [
  {
    rule: 'a selector without labels warns',
    bad: { 'spec.selector.matchLabels': {} },
    good: { 'spec.selector': undefined },
    field: 'spec.selector.matchLabels',
    message: 'applies to every workload',
    severity: 'warning',
  },
  {
    rule: 'port-level mTLS needs a workload selector (CEL)',
    bad: { 'spec.selector': undefined, 'spec.portLevelMtls': { '9080': { mode: 'PERMISSIVE' } } },
    good: { 'spec.portLevelMtls': { '9080': { mode: 'PERMISSIVE' } } },
    field: 'spec',
    message: 'portLevelMtls requires selector',
  },
  {
    rule: 'port-level ports are 1..65535 (CEL)',
    bad: { 'spec.portLevelMtls': { '65536': { mode: 'DISABLE' } } },
    good: { 'spec.portLevelMtls': { '65535': { mode: 'DISABLE' } } },
    field: 'spec.portLevelMtls',
    message: 'port must be between 1-65535',
  },
  {
    rule: 'port-level mTLS, when given, is not empty (schema)',
    bad: { 'spec.portLevelMtls': {} },
    good: { 'spec.portLevelMtls': { '1': { mode: 'STRICT' } } },
    field: 'spec.portLevelMtls',
    message: 'at least 1',
  },
  {
    rule: 'selector label values have no wildcard (CEL)',
    bad: { 'spec.selector.matchLabels': { app: 'added*' } },
    good: { 'spec.selector.matchLabels': { app: 'added-values' } },
    field: 'spec.selector.matchLabels.app',
    message: 'wildcard not allowed',
  },
  {
    rule: 'the dry-run annotation belongs to AuthorizationPolicy',
    bad: { 'metadata.annotations': { 'istio.io/dry-run': 'true' } },
    good: { 'metadata.annotations': { 'istio.io/dry-run-note': 'true' } },
    field: 'metadata.annotations.istio.io/dry-run',
    message: 'only allowed on AuthorizationPolicy',
  },
];

describe('PeerAuthentication rule book', () => {
  test.each(CASES.map((c) => [c.rule, c]))('%s', (_rule, c) => expectCase(PA, c));

  test('mesh-wide and namespace-wide policies with any mode are valid', () => {
    for (const mode of ['STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET']) {
      expect(analyze(variant(PA, { 'spec.selector': undefined, 'spec.mtls.mode': mode }))).toEqual([]);
    }
    expect(analyze(variant(PA, { spec: undefined }))).toEqual([]);
  });
});
