import { analyze, service, summary, vs } from '../fixtures/analysis/builders';

// A root VirtualService for teller that hands /accounts to a delegate.
const root = (delegate: object) =>
  vs('teller', {
    hosts: ['teller'],
    http: [{ match: [{ uri: { prefix: '/accounts' } }], delegate }, { route: [{ destination: { host: 'teller' } }] }],
  });
const accounts = (extra: object = {}) =>
  vs('teller-accounts', {
    http: [{ match: [{ uri: { prefix: '/accounts/v2' } }], route: [{ destination: { host: 'teller' } }] }],
    ...extra,
  });

describe('delegate references', () => {
  test('a delegate without hosts, in the set: clean', () => {
    expect(analyze([service('teller'), root({ name: 'teller-accounts' }), accounts()])).toEqual([]);
  });

  test('a delegate missing from the set: IST0101 on the delegating route', () => {
    const findings = analyze([service('teller'), root({ name: 'teller-acounts' }), accounts()]);
    expect(summary(findings)).toEqual(['IST0101 VirtualService/teller spec.http[0].delegate']);
    expect(findings[0].message).toContain("delegate VirtualService 'default/teller-acounts' not found");
  });

  test('a delegate in a namespace absent from the set is not judged', () => {
    expect(analyze([service('teller'), root({ name: 'teller-accounts', namespace: 'accounts-team' })])).toEqual([]);
  });

  test('a delegation to a VirtualService with hosts: CDK0003', () => {
    const findings = analyze([service('teller'), root({ name: 'teller-accounts' }), accounts({ hosts: ['accounts.bank.example'] })]);
    expect(summary(findings, 'CDK0003')).toEqual(['CDK0003 VirtualService/teller spec.http[0].delegate']);
    expect(findings.find((f) => f.code === 'CDK0003')!.message).toContain("'default/teller-accounts' has hosts, so it is not a delegate");
  });

  test("the delegate's own rules are the rule book's: gateways on a delegate, delegating again", () => {
    const findings = analyze([service('teller'), root({ name: 'teller-accounts' }), accounts({ http: [{ delegate: { name: 'x' } }] })]);
    expect(summary(findings, 'IST0106')).toContain('IST0106 VirtualService/teller-accounts spec.http[0].delegate');
    const gatewayBound = analyze([service('teller'), root({ name: 'teller-accounts' }), accounts({ gateways: ['mesh'] })]);
    expect(summary(gatewayBound, 'IST0106')).toEqual(['IST0106 VirtualService/teller-accounts spec.gateways']);
  });
});
