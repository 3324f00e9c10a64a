import * as path from 'path';
import { canaryApp, CANARY_STEPS, tutorialApp } from '../../examples/yunqi-bank/main';
import { MeshSimulator, RouteOutcome } from '../../lib';
import { readManifests } from '../../lib/cli/load';
import { expectRoute } from '../../lib/simulation/testing';

// The tutorial's promise, tested by meaning: who gets which version of addedvalues.
describe('yunqi-bank: users whose login starts with yunqi get addedvalues v3, everyone else v2', () => {
  const sim = MeshSimulator.fromApp(tutorialApp());
  const asUser = (user?: string) => ({ host: 'addedvalues', ...(user !== undefined ? { headers: { 'end-user': user } } : {}) });

  test.each(['yunqi', 'yunqi123', 'yunqi-ops'])('end-user %j gets v3', (user) => {
    expectRoute(sim, asUser(user)).toReach({ host: 'addedvalues', subset: 'v3', workload: 'addedvalues-v3' });
  });

  test.each([
    ['upper case', 'YUNQI'],
    ['prefix elsewhere', 'xyunqi'],
    ['empty header', ''],
    ['shorter', 'yunq'],
  ])('%s (%j) gets v2', (_what, user) => {
    expectRoute(sim, asUser(user)).toReach({ host: 'addedvalues', subset: 'v2', workload: 'addedvalues-v2' });
  });

  test('no end-user header gets v2', () => {
    expectRoute(sim, asUser()).toReach({ subset: 'v2' });
  });

  test('the header name is case-insensitive', () => {
    sim.expect({ host: 'addedvalues', headers: { 'End-User': 'yunqi7' } }).toReach({ subset: 'v3' });
  });

  test('v1 gets nothing: no request reaches it', () => {
    for (const user of ['yunqi', 'bob', undefined]) {
      expect(sim.request(asUser(user)).destinations.some((d) => d.subset === 'v1')).toBe(false);
    }
  });

  test('from another namespace the FQDN routes the same way', () => {
    sim
      .expect({ host: 'addedvalues.default.svc.cluster.local', sourceNamespace: 'web', headers: { 'end-user': 'yunqi' } })
      .toReach({ subset: 'v3' });
  });

  test('the ingress gateway sends the product pages to productpage and nothing else', () => {
    const gw = (uri: string) => ({ host: 'bank.example.com', gateway: 'yunqi-gateway', uri });
    for (const uri of ['/productpage', '/static/app.css', '/login', '/logout', '/api/v1/products/7']) {
      sim.expect(gw(uri)).toReach({ host: 'productpage', port: 9080, workload: 'productpage-v1' });
    }
    for (const uri of ['/productpage/x', '/admin', '/']) sim.expect(gw(uri)).toHaveOutcome(RouteOutcome.NO_ROUTE);
  });

  test('the external style-transfer API is known to the mesh', () => {
    const d = sim.request({ host: 'styletransfer.example.com', port: 443, protocol: 'TLS' as any });
    expect(d.outcome).toBe(RouteOutcome.ROUTED);
    expect(d.destinations[0].service).toBe('ServiceEntry default/styletransfer');
  });

  test('a failed expectation explains the decision', () => {
    expect(() => expectRoute(sim, asUser('xyunqi')).toReach({ subset: 'v3' })).toThrow(
      /to reach any host subset v3, but:[\s\S]*skipped default\/addedvalues http\[0\]:[\s\S]*header end-user is "xyunqi" \(wanted: starts with "yunqi"\)[\s\S]*subset v2/,
    );
  });
});

describe('yunqi-bank canary', () => {
  test('step 1 splits everyone 50/50 between v1 and v2, whatever the user', () => {
    const sim = MeshSimulator.fromApp(canaryApp(CANARY_STEPS[0]));
    for (const user of ['yunqi', 'bob']) {
      sim.expect({ host: 'addedvalues', headers: { 'end-user': user } }).toSplit([
        { subset: 'v1', weight: 50, workload: 'addedvalues-v1' },
        { subset: 'v2', weight: 50, workload: 'addedvalues-v2' },
      ]);
    }
  });

  test('step 2 sends everything to v2; v1 stays listed at 0%', () => {
    const d = MeshSimulator.fromApp(canaryApp(CANARY_STEPS[1])).expect({ host: 'addedvalues' }).toReach({ subset: 'v2' }).decision;
    expect(d.destinations.map((x) => [x.subset, x.weight])).toEqual([
      ['v1', 0],
      ['v2', 100],
    ]);
  });

  test('the golden YAML of step 1 routes the same as the app (simulated from files)', () => {
    const dir = path.join(__dirname, '..', 'golden', 'yunqi-bank-canary', CANARY_STEPS[0].folder);
    const sim = MeshSimulator.fromSourcedManifests(readManifests([dir]));
    const d = sim.expect({ host: 'addedvalues' }).toSplit([
      { subset: 'v1', weight: 50 },
      { subset: 'v2', weight: 50 },
    ]).decision;
    expect(d.virtualServiceSource).toMatch(/virtual-service-addedvalues\.yaml:1$/);
  });
});
