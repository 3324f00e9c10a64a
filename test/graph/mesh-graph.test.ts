import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { GraphEdge, GraphEdgeKind, GraphFormat, GraphNodeKind, MeshGraph, VersionedService, WeightedRoute, ZeroTrust } from '../../lib';
import { objectsIn, shadowedRatings } from './objects';

const GOLDEN = path.join(__dirname, '..', 'golden');
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'graph');

const tutorial = () => MeshGraph.fromManifests(objectsIn(path.join(GOLDEN, 'yunqi-bank')));

function edge(graph: MeshGraph, from: string, to: string): GraphEdge[] {
  return graph.edges.filter((e) => e.from === from && e.to === to);
}

const SVC = (name: string, ns = 'default') => `service/${name}.${ns}.svc.cluster.local`;
const VERSION = (name: string, subset: string, ns = 'default') => `version/${name}.${ns}.svc.cluster.local/${subset}`;

describe('MeshGraph of the tutorial', () => {
  const graph = tutorial();

  test('has the gateway, every service with its versions and the workloads behind them, and the external host', () => {
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    expect(byId.get('gateway/default/yunqi-gateway')?.kind).toBe(GraphNodeKind.GATEWAY);
    for (const name of ['productpage', 'details', 'addedvalues']) expect(byId.get(SVC(name))?.kind).toBe(GraphNodeKind.SERVICE);
    for (const v of ['v1', 'v2', 'v3']) {
      const version = byId.get(VERSION('addedvalues', v));
      expect(version).toMatchObject({ kind: GraphNodeKind.VERSION, label: v, parent: SVC('addedvalues') });
      expect(version?.details).toEqual([`Deployment addedvalues-${v}`]);
    }
    expect(byId.get('external/styletransfer.example.com')?.kind).toBe(GraphNodeKind.EXTERNAL);
  });

  test('routes yunqi users to v3 and everyone else to v2, with the match as the label', () => {
    const [toV3] = edge(graph, SVC('addedvalues'), VERSION('addedvalues', 'v3'));
    expect(toV3).toMatchObject({
      kind: GraphEdgeKind.ROUTE,
      label: 'end-user ^= yunqi',
      virtualService: 'default/addedvalues',
      rule: 'http[0]',
    });
    expect(JSON.parse(toV3.match!)).toEqual([{ headers: { 'end-user': { prefix: 'yunqi' } } }]);
    const [toV2] = edge(graph, SVC('addedvalues'), VERSION('addedvalues', 'v2'));
    expect(toV2).toMatchObject({ label: '', rule: 'http[1]', weight: undefined });
    expect(edge(graph, SVC('addedvalues'), VERSION('addedvalues', 'v1'))).toEqual([]);
  });

  test('the gateway routes the tutorial URIs to productpage', () => {
    const [e] = edge(graph, 'gateway/default/yunqi-gateway', SVC('productpage'));
    expect(e.label).toBe('uri = /productpage or uri ^= /static or 3 more');
    expect(JSON.parse(e.match!)).toHaveLength(5);
  });

  test('a clean tutorial has no findings on any node or edge', () => {
    expect(graph.nodes.flatMap((n) => n.findings)).toEqual([]);
    expect(graph.edges.flatMap((e) => e.findings)).toEqual([]);
  });

  test('declared calls are a second kind of edge', () => {
    const g = MeshGraph.fromManifests(objectsIn(path.join(GOLDEN, 'yunqi-bank')), {
      calls: [
        { from: 'productpage', to: 'details' },
        { from: 'addedvalues', to: 'styletransfer.example.com' },
      ],
    });
    expect(edge(g, SVC('productpage'), SVC('details'))).toMatchObject([{ kind: GraphEdgeKind.CALL }]);
    expect(edge(g, SVC('addedvalues'), 'external/styletransfer.example.com')).toMatchObject([{ kind: GraphEdgeKind.CALL }]);
  });
});

describe('MeshGraph of route features', () => {
  const graph = MeshGraph.fromManifests(objectsIn(FIXTURES));
  const cart = SVC('cart', 'shop');

  test('weights are shares in percent and the mirror is its own edge with its percentage', () => {
    expect(edge(graph, cart, VERSION('cart', 'blue', 'shop')).find((e) => e.rule === 'http[3]')?.weight).toBe(90);
    expect(edge(graph, cart, VERSION('cart', 'green', 'shop'))[0]).toMatchObject({ weight: 10, marks: ['timeout'] });
    const [mirror] = edge(graph, cart, 'host/audit.example.org');
    expect(mirror).toMatchObject({ kind: GraphEdgeKind.MIRROR, weight: 25, marks: ['mirror'] });
    expect(graph.nodes.find((n) => n.id === 'host/audit.example.org')?.kind).toBe(GraphNodeKind.UNKNOWN_HOST);
  });

  test('faults, redirects and direct responses are marked', () => {
    expect(edge(graph, cart, VERSION('cart', 'blue', 'shop')).find((e) => e.rule === 'http[1]')).toMatchObject({
      label: 'x-test = 1',
      marks: ['fault'],
    });
    const [redirect] = edge(graph, cart, 'response/shop/cart/http[0]');
    expect(redirect).toMatchObject({ label: 'uri ^= /old and method = GET', marks: ['redirect'] });
    expect(graph.nodes.find((n) => n.id === 'response/shop/cart/http[0]')?.label).toBe('redirect /new');
    expect(edge(graph, cart, 'response/shop/cart/http[2]')[0]).toMatchObject({ label: 'no cookie', marks: ['direct response'] });
  });

  test('findings of the analysis are shown on the node they concern', () => {
    const orange = graph.nodes.find((n) => n.id === VERSION('cart', 'orange', 'shop'));
    expect(orange?.details).toEqual([]);
    expect(orange?.findings.join('\n')).toMatch(/^IST\d{4} /);
    const blue = graph.nodes.find((n) => n.id === VERSION('cart', 'blue', 'shop'));
    expect(blue).toMatchObject({ details: ['Deployment cart-blue'], findings: [] });
    expect(MeshGraph.fromManifests(objectsIn(FIXTURES), { showFindings: false }).nodes.flatMap((n) => n.findings)).toEqual([]);
  });

  test('DOT output has a cluster per service with versions and an edge statement per edge', () => {
    const dot = graph.toDot();
    expect(dot.startsWith('digraph mesh {')).toBe(true);
    expect(dot).toContain('subgraph cluster_service_cart_shop {');
    expect(dot.match(/ -> /g)).toHaveLength(graph.edges.length);
    expect(dot).toMatch(/service_cart_shop -> host_audit_example_org \[label="mirror 25%", style=dashed/);
    expect(dot).toContain('version_cart_shop_orange [label="orange');
  });
});

test('fromApp draws the objects of an app, including a canary split', () => {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const reviews = new VersionedService(chart, 'reviews', {
    port: 9080,
    versions: [
      { name: 'v1', image: 'reviews:1' },
      { name: 'v2', image: 'reviews:2' },
    ],
  });
  new WeightedRoute(chart, 'canary', {
    service: reviews,
    weights: [
      { version: 'v1', weight: 80 },
      { version: 'v2', weight: 20 },
    ],
  });
  const graph = MeshGraph.fromApp(app);
  expect(edge(graph, SVC('reviews', 'shop'), VERSION('reviews', 'v1', 'shop'))[0].weight).toBe(80);
  expect(edge(graph, SVC('reviews', 'shop'), VERSION('reviews', 'v2', 'shop'))[0].weight).toBe(20);
  expect(graph.render(GraphFormat.MERMAID)).toContain('|"80%"|');
});

test('the canary step 1 splits addedvalues 50/50 between v1 and v2', () => {
  const graph = MeshGraph.fromManifests(
    objectsIn(path.join(GOLDEN, 'yunqi-bank'), path.join(GOLDEN, 'yunqi-bank-canary', 'step-1-v1-v2-50-50')).filter(
      (o) => !(o.kind === 'VirtualService' && o.metadata.name === 'addedvalues' && o.spec.http.length === 2),
    ),
  );
  const shares = graph.edges.filter((e) => e.from === SVC('addedvalues')).map((e) => [e.to.split('/').pop(), e.weight]);
  expect(shares).toEqual([
    ['v1', 50],
    ['v2', 50],
  ]);
});

test('an unreachable rule carries its finding on its edges, and the label shows the code', () => {
  const objects = shadowedRatings();
  const graph = MeshGraph.fromManifests(objects);
  const [first, second] = graph.edges;
  expect(first.findings).toEqual([]);
  expect(second.findings).toEqual([expect.stringMatching(/^IST0130 /)]);
  expect(graph.toMermaid()).toContain('uri ^= /v2 · ⚠ IST0130');
});

test('fromApp draws the calls a ZeroTrust allows as declared calls (not the ingress gateway)', () => {
  const app = new App();
  const chart = new Chart(app, 'bank', { namespace: 'bank' });
  const front = new VersionedService(chart, 'front', { port: 80, versions: [{ name: 'v1', image: 'front:1' }] });
  const ledger = new VersionedService(chart, 'ledger', { port: 80, versions: [{ name: 'v1', image: 'ledger:1' }] });
  new ZeroTrust(chart, 'zt', { workloads: [front, ledger], calls: [{ caller: front, callee: ledger }] });
  const calls = MeshGraph.fromApp(app).edges.filter((e) => e.kind === GraphEdgeKind.CALL);
  expect(calls.map((e) => [e.from, e.to])).toEqual([[SVC('front', 'bank'), SVC('ledger', 'bank')]]);
});

describe('request traces, decided by the routing simulator', () => {
  test('every tutorial rule gets an example request whose path leads where the rule routes', () => {
    const graph = tutorial();
    const byLabel = new Map(graph.traces.map((t) => [t.label, t]));
    const yunqi = byLabel.get('GET addedvalues / end-user: yunqi from default')!;
    expect(yunqi.edges.map((id) => graph.edges.find((e) => e.id === id)!.to)).toEqual([VERSION('addedvalues', 'v3')]);
    expect(yunqi.outcome).toBe('default/addedvalues http[0]: ROUTED → addedvalues v3');
    const others = byLabel.get('GET addedvalues / from default')!;
    expect(others.edges.map((id) => graph.edges.find((e) => e.id === id)!.to)).toEqual([VERSION('addedvalues', 'v2')]);
    const page = byLabel.get('GET example.com /productpage via default/yunqi-gateway')!;
    expect(page.edges.map((id) => graph.edges.find((e) => e.id === id)!.to)).toEqual([SVC('productpage')]);
  });

  test('a request for a shadowed rule is traced to the rule that really takes it', () => {
    const objects = shadowedRatings();
    const graph = MeshGraph.fromManifests(objects, { requests: [{ host: 'ratings', uri: '/v2/stars' }], exampleRequests: false });
    expect(graph.traces).toHaveLength(1);
    expect(graph.traces[0].edges).toEqual([graph.edges.find((e) => e.rule === 'http[0]')!.id]);
    expect(graph.traces[0].outcome).toBe('default/ratings http[0]: ROUTED → ratings');
  });
});
