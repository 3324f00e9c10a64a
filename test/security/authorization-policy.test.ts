import { Chart, Testing } from 'cdk8s';
import { AuthorizationAction, AuthorizationPolicy, Principal, VersionedService, WorkloadSelector } from '../../lib';

function bank(): Chart {
  return new Chart(Testing.app(), 'bank', { namespace: 'bank' });
}

describe('AuthorizationPolicy', () => {
  test('denyAll writes the empty spec', () => {
    const chart = bank();
    AuthorizationPolicy.denyAll(chart, 'deny-all');
    expect(Testing.synth(chart)).toEqual([
      { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'deny-all', namespace: 'bank' }, spec: {} },
    ]);
  });

  test("an ALLOW rule names a VersionedService's ServiceAccount as a typed principal", () => {
    const chart = bank();
    const productpage = new VersionedService(chart, 'productpage', {
      port: 9080,
      serviceAccountName: 'bank-productpage',
      versions: [{ name: 'v1', image: 'pp:1' }],
    });
    const details = new VersionedService(chart, 'details', { port: 9080, versions: [{ name: 'v1', image: 'd:1' }] });
    new AuthorizationPolicy(chart, 'details-callers', {
      selector: WorkloadSelector.of(details),
      rules: [
        {
          from: [{ principals: [Principal.ofWorkload(productpage)] }],
          to: [{ methods: ['GET'], paths: ['/details/*'], ports: [9080] }],
          when: [{ key: 'request.headers[x-bank-channel]', values: ['web'] }],
        },
      ],
    });
    const policy = Testing.synth(chart).find((o) => o.kind === 'AuthorizationPolicy');
    expect(policy.spec).toEqual({
      selector: { matchLabels: { app: 'details' } },
      rules: [
        {
          from: [{ source: { principals: ['cluster.local/ns/bank/sa/bank-productpage'] } }],
          to: [{ operation: { methods: ['GET'], paths: ['/details/*'], ports: ['9080'] } }],
          when: [{ key: 'request.headers[x-bank-channel]', values: ['web'] }],
        },
      ],
    });
  });

  test('principals: trust domain, namespace default, written out', () => {
    const chart = Testing.chart();
    const svc = new VersionedService(chart, 'details', { versions: [{ name: 'v1', image: 'd:1' }] });
    expect(Principal.ofWorkload(svc, { trustDomain: 'bank.example' }).value).toBe('bank.example/ns/default/sa/details');
    expect(Principal.serviceAccount('istio-system', 'istio-ingressgateway-service-account').toString()).toBe(
      'cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account',
    );
    expect(Principal.anyAuthenticated().value).toBe('*');
    expect(() => Principal.of('')).toThrow("Principal: '' is not a principal");
    expect(() => Principal.serviceAccount('Bank', 'x')).toThrow("namespace ('Bank') must be a DNS-1123 label");
    expect(() => Principal.serviceAccount('bank', 'x', { trustDomain: 'td/x' })).toThrow("trustDomain ('td/x')");
  });

  test('DENY, AUDIT and CUSTOM actions', () => {
    const chart = bank();
    new AuthorizationPolicy(chart, 'deny-delete', {
      action: AuthorizationAction.DENY,
      rules: [{ to: [{ methods: ['DELETE'], ports: [9080] }] }],
    });
    new AuthorizationPolicy(chart, 'audit', { action: AuthorizationAction.AUDIT, rules: [{ to: [{ paths: ['/admin*'] }] }] });
    const custom = new AuthorizationPolicy(chart, 'ext', {
      action: AuthorizationAction.CUSTOM,
      provider: 'bank-authz',
      rules: [{ to: [{ paths: ['/transfer'] }] }],
    });
    const [deny, audit, ext] = Testing.synth(chart);
    expect(deny.spec).toEqual({ action: 'DENY', rules: [{ to: [{ operation: { methods: ['DELETE'], ports: ['9080'] } }] }] });
    expect(audit.spec.action).toBe('AUDIT');
    expect(ext.spec).toEqual({
      action: 'CUSTOM',
      provider: { name: 'bank-authz' },
      rules: [{ to: [{ operation: { paths: ['/transfer'] } }] }],
    });
    expect(custom.action).toBe(AuthorizationAction.CUSTOM);
  });

  test("Istio's rules apply at once, naming the field", () => {
    expect(() => new AuthorizationPolicy(bank(), 'd', { action: AuthorizationAction.DENY })).toThrow(
      "AuthorizationPolicy 'd': spec.rules: a DENY policy without rules never applies",
    );
    expect(() => new AuthorizationPolicy(bank(), 'c', { action: AuthorizationAction.CUSTOM, rules: [{}] })).toThrow(
      'spec.provider.name: must name the external authorization provider',
    );
    expect(() => new AuthorizationPolicy(bank(), 'p', { provider: 'x' })).toThrow('spec.provider: may only be set with action CUSTOM');
    expect(
      () => new AuthorizationPolicy(bank(), 's', { rules: [{ from: [{ namespaces: ['bank'], serviceAccounts: ['bank/pp'] }] }] }),
    ).toThrow('Cannot set serviceAccounts with namespaces or principals');
  });

  test('a bad rule added later throws and is not kept', () => {
    const policy = new AuthorizationPolicy(bank(), 'a', { rules: [{}] });
    expect(() => policy.addRule({ to: [{ ports: [70000] }] })).toThrow(
      "spec.rules[1].to[0].operation.ports[0] ('70000') must be a port number",
    );
    expect(policy.ruleCount).toBe(1);
  });
});
