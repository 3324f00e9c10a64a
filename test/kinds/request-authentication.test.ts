import { analyze, expectCase, RuleCase, variant } from './helpers';

const RA = {
  apiVersion: 'security.istio.io/v1',
  kind: 'RequestAuthentication',
  metadata: { name: 'bank-jwt', namespace: 'istio-system' },
  spec: {
    selector: { matchLabels: { istio: 'ingressgateway' } },
    jwtRules: [{ issuer: 'https://login.yunqi.example', jwksUri: 'https://login.yunqi.example/.well-known/jwks.json' }],
  },
};
const J = 'spec.jwtRules[0]';
const PUBLIC_KEY = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
};

const CASES: RuleCase[] = [
  {
    rule: 'an issuer or a jwksUri',
    bad: { [J]: { audiences: ['bank'] } },
    good: { [J]: { jwksUri: 'https://login.yunqi.example/keys' } },
    field: J,
    message: 'needs an issuer or a jwksUri',
  },
  {
    rule: 'jwksUri is a URL',
    bad: { [`${J}.jwksUri`]: 'https://login.yunqi.example:port/keys' },
    good: { [`${J}.jwksUri`]: 'https://login.yunqi.example:8443/keys' },
    field: `${J}.jwksUri`,
    message: 'is not a valid URL',
  },
  {
    rule: 'jwksUri is http or https (CEL)',
    bad: { [`${J}.jwksUri`]: 'file:///etc/jwks.json' },
    good: { [`${J}.jwksUri`]: 'http://keys.bank.svc.cluster.local/jwks.json' },
    field: `${J}.jwksUri`,
    message: 'url must have scheme http:// or https://',
  },
  {
    rule: 'jwks and jwksUri exclude each other (CEL)',
    bad: { [`${J}.jwks`]: JSON.stringify({ keys: [PUBLIC_KEY] }) },
    good: { [`${J}.jwksUri`]: undefined, [`${J}.jwks`]: JSON.stringify({ keys: [PUBLIC_KEY] }) },
    field: J,
    message: 'only one of jwks or jwksUri',
  },
  {
    rule: 'jwks is a key set',
    bad: { [`${J}.jwksUri`]: undefined, [`${J}.jwks`]: '{"keys": [{"crv": "P-256"}]}' },
    good: { [`${J}.jwksUri`]: undefined, [`${J}.jwks`]: JSON.stringify(PUBLIC_KEY) },
    field: `${J}.jwks`,
    message: 'is not a JSON Web Key Set',
  },
  {
    rule: 'jwks holds no private keys',
    bad: {
      [`${J}.jwksUri`]: undefined,
      [`${J}.jwks`]: JSON.stringify({ keys: [{ ...PUBLIC_KEY, d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI' }] }),
    },
    good: { [`${J}.jwksUri`]: undefined, [`${J}.jwks`]: JSON.stringify({ keys: [PUBLIC_KEY] }) },
    field: `${J}.jwks`,
    message: 'holds private key material',
    severity: 'warning',
  },
  {
    rule: 'audiences are not empty (schema)',
    bad: { [`${J}.audiences`]: [''] },
    good: { [`${J}.audiences`]: ['bank'] },
    field: `${J}.audiences[0]`,
    message: 'at least 1',
  },
  {
    rule: 'fromHeaders entries are not null',
    bad: { [`${J}.fromHeaders`]: [null] },
    good: { [`${J}.fromHeaders`]: [{ name: 'x-jwt-assertion' }] },
    field: `${J}.fromHeaders[0]`,
    message: 'may not be null',
  },
  {
    rule: 'outputClaimToHeaders headers are strict header names (schema)',
    bad: { [`${J}.outputClaimToHeaders`]: [{ header: 'x user', claim: 'sub' }] },
    good: { [`${J}.outputClaimToHeaders`]: [{ header: 'x-user', claim: 'sub' }] },
    field: `${J}.outputClaimToHeaders[0].header`,
    message: 'must match',
  },
  {
    rule: 'timeout has millisecond precision',
    bad: { [`${J}.timeout`]: '1500us' },
    good: { [`${J}.timeout`]: '1500ms' },
    field: `${J}.timeout`,
    message: 'whole number of milliseconds',
  },
  {
    rule: 'targetRef names an attachable kind',
    bad: { 'spec.selector': undefined, 'spec.targetRef': { kind: 'Pod', name: 'gw' } },
    good: { 'spec.selector': undefined, 'spec.targetRef': { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'gw' } },
    field: 'spec.targetRef.kind',
    message: 'is not a kind a policy can target',
  },
];

describe('RequestAuthentication rule book', () => {
  test.each(CASES.map((c) => [c.rule, c]))('%s', (_rule, c) => expectCase(RA, c));

  test('a policy without JWT rules is valid', () => {
    expect(analyze(variant(RA, { 'spec.jwtRules': undefined }))).toEqual([]);
  });
});
