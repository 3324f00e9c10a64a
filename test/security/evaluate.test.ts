import { AuthorizationEvaluator, AuthorizationOutcome, AuthorizationRequest, AuthorizationTarget } from '../../lib';

const PP = 'cluster.local/ns/bank/sa/productpage';
const DETAILS: AuthorizationTarget = { namespace: 'bank', labels: { app: 'details', version: 'v1' }, port: 9080 };

function ap(name: string, spec: object, namespace = 'bank', annotations?: object): object {
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace, annotations }, spec };
}
function pa(name: string, spec: object, namespace = 'bank'): object {
  return { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name, namespace }, spec };
}
function outcome(objects: object[], request: AuthorizationRequest, target = DETAILS): AuthorizationOutcome {
  return AuthorizationEvaluator.fromObjects(objects).evaluate(target, request).outcome;
}
const { ALLOW, DENY, CUSTOM } = AuthorizationOutcome;

describe('AuthorizationEvaluator', () => {
  test('no policy allows; an ALLOW policy without rules (the empty spec) denies', () => {
    expect(outcome([], { principal: PP })).toBe(ALLOW);
    expect(outcome([ap('deny-all', {})], { principal: PP })).toBe(DENY);
  });

  test('an ALLOW policy in another namespace or for other workloads does not apply', () => {
    expect(outcome([ap('x', {}, 'shop')], { principal: PP })).toBe(ALLOW);
    expect(outcome([ap('x', { selector: { matchLabels: { app: 'reviews' } } })], { principal: PP })).toBe(ALLOW);
    expect(outcome([ap('x', {}, 'istio-system')], { principal: PP })).toBe(DENY); // mesh-wide from the root namespace
  });

  test('principals, namespaces and service accounts match the mTLS identity only', () => {
    const allowPP = ap('details', { rules: [{ from: [{ source: { principals: [PP] } }] }] });
    expect(outcome([allowPP], { principal: PP })).toBe(ALLOW);
    expect(outcome([allowPP], { principal: 'cluster.local/ns/bank/sa/addedvalues' })).toBe(DENY);
    expect(outcome([allowPP], {})).toBe(DENY);
    const byNs = ap('ns', { rules: [{ from: [{ source: { namespaces: ['bank'] } }] }] });
    expect(outcome([byNs], { principal: PP })).toBe(ALLOW);
    expect(outcome([byNs], { principal: 'cluster.local/ns/shop/sa/productpage' })).toBe(DENY);
    const bySa = ap('sa', { rules: [{ from: [{ source: { serviceAccounts: ['bank/productpage'] } }] }] });
    expect(outcome([bySa], { principal: PP })).toBe(ALLOW);
    expect(outcome([bySa], { principal: 'cluster.local/ns/shop/sa/productpage' })).toBe(DENY);
    const any = ap('any', { rules: [{ from: [{ source: { principals: ['*'] } }] }] });
    expect(outcome([any], { principal: PP })).toBe(ALLOW);
    expect(outcome([any], {})).toBe(DENY);
  });

  test('operations: methods, exact/prefix/suffix paths, templates, ports; not-fields', () => {
    const policy = ap('ops', {
      rules: [
        {
          to: [
            {
              operation: {
                methods: ['GET'],
                paths: ['/details/*', '/v{*}/items/{**}', '*.json'],
                notPaths: ['/details/secret'],
                ports: ['9080'],
              },
            },
          ],
        },
      ],
    });
    expect(outcome([policy], { principal: PP, path: '/details/1?x=2' })).toBe(ALLOW);
    expect(outcome([policy], { principal: PP, path: '/details/secret' })).toBe(DENY);
    expect(outcome([policy], { principal: PP, path: '/v1/items/a/b' })).toBe(DENY); // '{*}' is a whole segment
    expect(
      outcome([ap('t', { rules: [{ to: [{ operation: { paths: ['/{*}/items/{**}'] } }] }] })], { principal: PP, path: '/v1/items/a/b' }),
    ).toBe(ALLOW);
    expect(outcome([policy], { principal: PP, path: '/static/app.json' })).toBe(ALLOW);
    expect(outcome([policy], { principal: PP, path: '/details/1', method: 'POST' })).toBe(DENY);
    expect(outcome([policy], { principal: PP, path: '/details/1' }, { ...DETAILS, port: 15000 })).toBe(DENY);
  });

  test('DENY wins over ALLOW, CUSTOM comes first, AUDIT and dry-run decide nothing', () => {
    const allowAll = ap('allow', { rules: [{}] });
    const denyPost = ap('deny', { action: 'DENY', rules: [{ to: [{ operation: { methods: ['POST'] } }] }] });
    expect(outcome([allowAll, denyPost], { principal: PP, method: 'POST' })).toBe(DENY);
    expect(outcome([allowAll, denyPost], { principal: PP })).toBe(ALLOW);
    const custom = ap('ext', { action: 'CUSTOM', provider: { name: 'authz' }, rules: [{ to: [{ operation: { paths: ['/admin*'] } }] }] });
    expect(outcome([custom, denyPost], { principal: PP, path: '/admin', method: 'POST' })).toBe(CUSTOM);
    expect(outcome([custom], { principal: PP, path: '/other' })).toBe(ALLOW);
    expect(outcome([ap('audit', { action: 'AUDIT', rules: [{}] })], { principal: PP })).toBe(ALLOW);
    const dryDeny = ap('dry', { action: 'DENY', rules: [{}] }, 'bank', { 'istio.io/dry-run': 'true' });
    expect(outcome([dryDeny], { principal: PP })).toBe(ALLOW);
  });

  test('when conditions: headers, source namespace, notValues', () => {
    const policy = ap('when', {
      rules: [
        {
          when: [
            { key: 'request.headers[End-User]', values: ['yunqi*'] },
            { key: 'source.namespace', notValues: ['shop'] },
          ],
        },
      ],
    });
    expect(outcome([policy], { principal: PP, headers: { 'end-user': 'yunqi-li' } })).toBe(ALLOW);
    expect(outcome([policy], { principal: PP, headers: { 'end-user': 'li' } })).toBe(DENY);
    expect(outcome([policy], { principal: 'cluster.local/ns/shop/sa/x', headers: { 'end-user': 'yunqi' } })).toBe(DENY);
  });

  test('ipBlocks match CIDR ranges', () => {
    const policy = ap('ip', { rules: [{ from: [{ source: { ipBlocks: ['10.1.0.0/16'] } }] }] });
    expect(outcome([policy], { principal: PP, sourceIp: '10.1.200.3' })).toBe(ALLOW);
    expect(outcome([policy], { principal: PP, sourceIp: '10.2.0.3' })).toBe(DENY);
  });

  test('STRICT mTLS refuses plain text; the workload, port, namespace and mesh scopes in order', () => {
    const e = (objects: object[]) => AuthorizationEvaluator.fromObjects(objects);
    expect(outcome([pa('default', { mtls: { mode: 'STRICT' } })], {})).toBe(DENY);
    expect(outcome([pa('default', { mtls: { mode: 'STRICT' } })], { principal: PP })).toBe(ALLOW);
    expect(e([]).mtlsMode(DETAILS)).toBe('PERMISSIVE');
    expect(e([pa('mesh', { mtls: { mode: 'STRICT' } }, 'istio-system')]).mtlsMode(DETAILS)).toBe('STRICT');
    const layered = [
      pa('mesh', { mtls: { mode: 'STRICT' } }, 'istio-system'),
      pa('ns', { mtls: { mode: 'UNSET' } }),
      pa('details', {
        selector: { matchLabels: { app: 'details' } },
        mtls: { mode: 'PERMISSIVE' },
        portLevelMtls: { 9080: { mode: 'DISABLE' } },
      }),
    ];
    expect(e(layered).mtlsMode(DETAILS)).toBe('DISABLE');
    expect(e(layered).mtlsMode({ ...DETAILS, port: 8080 })).toBe('PERMISSIVE');
    expect(e(layered).mtlsMode({ ...DETAILS, labels: { app: 'reviews' } })).toBe('STRICT');
  });
});
