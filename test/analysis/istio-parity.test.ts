/** Targeted checks of the issue-14 analyzers beyond Istio's own cases. */
import { ISTIO_ANNOTATIONS } from '../../imports/annotations';
import { annotationsModule, readAnnotations } from '../../scripts/import-annotations';
import { analyze, deployment, gw, service, summary, vs } from '../fixtures/analysis/builders';

const toReviews = { http: [{ route: [{ destination: { host: 'reviews' } }] }] };
const pod = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, annotations },
  spec: { containers: [{ name: 'app', image: 'app' }] },
});

describe('IST0109 over export scopes', () => {
  test('a VirtualService colliding on two hosts is reported once, on its first colliding host', () => {
    const findings = analyze([
      service('reviews'),
      vs('a', { hosts: ['reviews', 'ratings'], ...toReviews }),
      vs('b', { hosts: ['ratings', 'reviews'], ...toReviews }),
    ]);
    expect(summary(findings, 'IST0109')).toEqual(['IST0109 VirtualService/a spec.hosts[0]', 'IST0109 VirtualService/b spec.hosts[0]']);
  });

  test('a host exported to no namespace (~) collides with nothing', () => {
    const findings = analyze([
      vs('a', { hosts: ['api.example.org'], exportTo: ['~'], ...toReviews }),
      vs('b', { hosts: ['api.example.org'], exportTo: ['~'], ...toReviews }),
    ]);
    expect(summary(findings, 'IST0109')).toEqual([]);
  });
});

describe('IST0145 with overlapping selectors', () => {
  const server = { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.org'] };
  test('selectors that no workload of the set satisfies together do not conflict', () => {
    const findings = analyze([
      gw('north', { selector: { istio: 'ingressgateway', tier: 'public' }, servers: [server] }),
      gw('south', { selector: { istio: 'ingressgateway', tier: 'private' }, servers: [server] }),
      deployment('gateway-public', { istio: 'ingressgateway', tier: 'public' }),
      deployment('gateway-private', { istio: 'ingressgateway', tier: 'private' }),
    ]);
    expect(summary(findings, 'IST0145')).toEqual([]);
  });

  test('disjoint selectors that one workload satisfies both conflict (Istio needs one selector text inside the other)', () => {
    const findings = analyze([
      gw('north', { selector: { app: 'edge' }, servers: [server] }),
      gw('south', { selector: { tier: 'public' }, servers: [server] }),
      deployment('edge', { app: 'edge', tier: 'public' }),
    ]);
    expect(summary(findings, 'IST0145')).toEqual(['IST0145 Gateway/north spec.servers[0]', 'IST0145 Gateway/south spec.servers[0]']);
  });
});

describe('IST0173 with Node objects', () => {
  const node = (name: string, zone: string) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } },
  });
  const rule = (zone: string) => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'reviews' },
    spec: { host: 'reviews', subsets: [{ name: 'here', labels: { 'topology.kubernetes.io/zone': zone } }] },
  });
  const placed = (nodeSelector?: Record<string, string>) => {
    const d = deployment('reviews-v1', { app: 'reviews' });
    if (nodeSelector) d.spec.template.spec.nodeSelector = nodeSelector;
    return d;
  };

  test('a pod template may run on any Node its nodeSelector allows', () => {
    const nodes = [node('n1', 'zone-a'), node('n2', 'zone-b')];
    expect(summary(analyze([service('reviews'), placed(), ...nodes, rule('zone-b')]), 'IST0173')).toEqual([]);
    expect(
      summary(analyze([service('reviews'), placed({ 'topology.kubernetes.io/zone': 'zone-a' }), ...nodes, rule('zone-b')]), 'IST0173'),
    ).toEqual(['IST0173 DestinationRule/reviews spec.subsets[0]']);
    expect(summary(analyze([service('reviews'), placed(), ...nodes, rule('zone-c')]), 'IST0173')).toEqual([
      'IST0173 DestinationRule/reviews spec.subsets[0]',
    ]);
  });

  test('without Node objects, topology subsets are not judged', () => {
    expect(summary(analyze([service('reviews'), placed(), rule('zone-c')]), 'IST0173')).toEqual([]);
  });
});

describe('IST0125 annotation values', () => {
  test.each([
    ['traffic.sidecar.istio.io/includeOutboundIPRanges', '10.0.0.0/8,172.16.0.0/12', true],
    ['traffic.sidecar.istio.io/includeOutboundIPRanges', '*', true],
    ['traffic.sidecar.istio.io/excludeOutboundIPRanges', '10.0.0.1', false],
    ['traffic.sidecar.istio.io/excludeOutboundPorts', '15020, 9901', true],
    ['traffic.sidecar.istio.io/excludeOutboundPorts', '70000', false],
    ['sidecar.istio.io/interceptionMode', 'TPROXY', true],
    ['sidecar.istio.io/interceptionMode', 'tproxy', false],
    ['sidecar.istio.io/proxyMemory', '128Mi', true],
    ['sidecar.istio.io/proxyMemory', '128 MB', false],
    ['prometheus.istio.io/merge-metrics', 'False', true],
    ['prometheus.istio.io/merge-metrics', 'no', false],
    ['traffic.sidecar.istio.io/excludeInterfaces', 'eth1,veth0', true],
    ['traffic.sidecar.istio.io/excludeInterfaces', 'a-very-long-interface', false],
    ['status.sidecar.istio.io/port', '15020', true],
    ['readiness.status.sidecar.istio.io/periodSeconds', '-1', false],
  ])('%s: %s accepted = %s', (name, value, ok) => {
    expect(summary(analyze([pod('app', { [name]: value })]), 'IST0125')).toEqual(
      ok ? [] : [`IST0125 Pod/app metadata.annotations['${name}']`],
    );
  });

  test('the inject annotation is not reported as deprecated when the label is there too', () => {
    const both = pod('app', { 'sidecar.istio.io/inject': 'true' }) as any;
    both.metadata.labels = { 'sidecar.istio.io/inject': 'true' };
    expect(summary(analyze([both]), 'IST0135')).toEqual([]);
    expect(summary(analyze([pod('app', { 'sidecar.istio.io/inject': 'true' })]), 'IST0135')).toEqual([
      "IST0135 Pod/app metadata.annotations['sidecar.istio.io/inject']",
    ]);
  });
});

describe('annotation domains', () => {
  test("our own suppress annotation and other domains ending in 'istio.io' are not Istio's", () => {
    const findings = analyze([
      pod('app', { 'cdk8s-istio.io/suppress': 'IST0118', 'myistio.io/owner': 'me' }),
      pod('other', { 'extra.istio.io/unknown': 'x' }),
    ]);
    expect(summary(findings, 'IST0108')).toEqual(["IST0108 Pod/other metadata.annotations['extra.istio.io/unknown']"]);
  });
});

describe("Istio's annotation catalogue (imports/annotations.ts)", () => {
  test('is sorted, without duplicates, and knows the annotations the analyzers rely on', () => {
    const names = ISTIO_ANNOTATIONS.map((a) => a.name);
    expect(names).toEqual([...new Set(names)].sort());
    expect(ISTIO_ANNOTATIONS.find((a) => a.name === 'sidecar.istio.io/inject')).toMatchObject({ deprecated: true, resources: ['Pod'] });
    expect(ISTIO_ANNOTATIONS.find((a) => a.name === 'networking.istio.io/exportTo')).toMatchObject({ resources: ['Service'] });
  });

  test('the import script reads annotations.yaml and refuses a malformed file', () => {
    const yaml = [
      'annotations:',
      '  - name: zeta.istio.io/b',
      '    featureStatus: Alpha',
      '    description: dropped',
      '    deprecated: true',
      '    resources: [Pod, Service]',
      '  - name: alpha.istio.io/a',
      '    featureStatus: Beta',
      '    resources: [Any]',
    ].join('\n');
    const read = readAnnotations(yaml);
    expect(read).toEqual([
      { name: 'alpha.istio.io/a', resources: ['Any'], deprecated: false, featureStatus: 'Beta' },
      { name: 'zeta.istio.io/b', resources: ['Pod', 'Service'], deprecated: true, featureStatus: 'Alpha' },
    ]);
    const module = annotationsModule(read);
    expect(module).toContain('export const ISTIO_ANNOTATIONS');
    expect(module).toContain('{"name":"alpha.istio.io/a","resources":["Any"],"deprecated":false,"featureStatus":"Beta"},');
    expect(module).not.toContain('dropped');
    expect(() => readAnnotations('other: []')).toThrow(/annotations/);
    expect(() => readAnnotations('annotations:\n  - name: x.istio.io/y\n')).toThrow(/resources/);
  });
});
