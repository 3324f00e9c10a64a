import { analyze, service, summary, vs } from '../fixtures/analysis/builders';

const dest = [{ destination: { host: 'reviews' } }];
const rule = (match?: any[], name?: string) => ({ ...(name ? { name } : {}), ...(match ? { match } : {}), route: dest });
const check = (http: any[]) => analyze([service('reviews'), vs('r', { hosts: ['reviews'], http })]);

describe('IST0130 unreachable rules', () => {
  test('a rule after a rule without match', () => {
    const findings = check([rule(), rule([{ uri: { prefix: '/a' } }])]);
    expect(summary(findings)).toEqual(['IST0130 VirtualService/r spec.http[1]']);
    expect(findings[0].severity).toBe('warning');
    expect(findings[0].message).toBe(
      'rule #1 is never used: rule #0 before it has no match and takes all traffic; move the rule without match to the end of spec.http',
    );
  });

  test('two rules without match', () => {
    const findings = check([rule(undefined, 'first'), rule()]);
    expect(summary(findings)).toEqual(['IST0130 VirtualService/r spec.http[1]']);
    expect(findings[0].message).toBe(
      "rule #1 is never used: rule #0 ('first') has no match either and already takes all traffic (only the last rule can have no matches); merge the two rules or add a match to the earlier one",
    );
  });

  test('every match repeats an earlier one (match names ignored)', () => {
    const findings = check([
      rule([{ uri: { exact: '/a' } }, { uri: { exact: '/b' } }]),
      rule([{ name: 'again', uri: { exact: '/b' } }]),
      rule(),
    ]);
    expect(summary(findings)).toEqual(['IST0130 VirtualService/r spec.http[1]', 'IST0131 VirtualService/r spec.http[1].match[0]']);
    expect(findings[0].message).toContain('all its matches are used by earlier rules');
  });

  test('tcp and tls rules too', () => {
    const findings = analyze([
      service('reviews', { ports: [{ name: 'tcp', port: 3000 }] }),
      vs('r', { hosts: ['reviews'], tcp: [{ route: dest }, { match: [{ port: 3000 }], route: dest }] }),
    ]);
    expect(summary(findings)).toEqual(['IST0130 VirtualService/r spec.tcp[1]']);
  });

  test('catch-all last and distinct matches are fine', () => {
    expect(check([rule([{ headers: { 'end-user': { prefix: 'yunqi' } } }]), rule([{ uri: { exact: '/a' } }]), rule()])).toEqual([]);
  });
});

describe('IST0131 ineffective matches', () => {
  test('one duplicated match among others', () => {
    const findings = check([rule([{ uri: { exact: '/a' } }]), rule([{ uri: { exact: '/b' } }, { uri: { exact: '/a' } }])]);
    expect(summary(findings)).toEqual(['IST0131 VirtualService/r spec.http[1].match[1]']);
    expect(findings[0].severity).toBe('info');
  });

  test('a longer uri prefix after a shorter one with the same other conditions', () => {
    const findings = check([rule([{ uri: { prefix: '/api/v1/product' } }]), rule([{ uri: { prefix: '/api/v1/products' } }])]);
    expect(summary(findings)).toEqual(['IST0131 VirtualService/r spec.http[1].match[0]']);
    expect(findings[0].message).toContain(
      "(uri prefix '/api/v1/product') comes first, is shorter and has the same other conditions; put the longer prefix first",
    );
  });

  test('a longer prefix first, or different other conditions, is fine', () => {
    expect(check([rule([{ uri: { prefix: '/api/v1/products' } }]), rule([{ uri: { prefix: '/api/v1/product' } }])])).toEqual([]);
    expect(
      check([
        rule([{ uri: { prefix: '/api' }, headers: { 'end-user': { exact: 'a' } } }]),
        rule([{ uri: { prefix: '/api/v2' } }]),
        rule([{ uri: { prefix: '/api/v3' }, method: { exact: 'POST' } }]),
      ]),
    ).toEqual([]);
  });
});
