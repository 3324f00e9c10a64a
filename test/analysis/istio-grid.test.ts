/**
 * Istio's analyzer table, reproduced: each row names the case of Istio 1.30's
 * pkg/config/analysis/analyzers/analyzers_test.go (or 1.31's for IST0177) whose situation one of
 * our fixtures (test/fixtures/analysis/istio-grid/, our own objects and names) reproduces, the
 * codes that case looks at, and the findings expected: Istio's verdict (same code, same
 * object), or ours where we knowingly differ, with the reason.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadFile } from '../../lib/cli/load';
import { MeshAnalysis } from '../../lib/analysis/engine';
import { Manifest } from '../../lib/analysis/finding';

const DIR = path.join(__dirname, '../fixtures/analysis/istio-grid');

interface Case {
  /** Istio's test case (analyzers_test.go `name`). */
  readonly upstream: string;
  readonly file: string;
  /** The codes the upstream analyzer reports; other findings are ignored, as upstream. */
  readonly codes: readonly string[];
  /** `CODE Kind namespace/name`, once per object and code. */
  readonly expected: readonly string[];
  /** Where our verdict knowingly differs from Istio's: why. */
  readonly differs?: string;
  /** Rewrites each object before the analysis (for the v1beta1 variants). */
  readonly rewrite?: (o: any) => any;
}

const beta = (o: any) => (o?.apiVersion === 'networking.istio.io/v1' ? { ...o, apiVersion: 'networking.istio.io/v1beta1' } : o);
const ANNOTATIONS = ['IST0107', 'IST0108', 'IST0125', 'IST0135'];
const CA = ['IST0128', 'IST0129'];
const PODS = ['IST0173', 'IST0174'];

const CASES: readonly Case[] = [
  {
    upstream: 'misannoted',
    file: 'annotations.yaml',
    codes: ANNOTATIONS,
    expected: [
      'IST0108 Service default/ledger',
      'IST0125 Pod default/bad-probe-delay',
      'IST0107 Pod default/dashboard-check',
      'IST0107 Deployment default/loadgen',
      'IST0135 Deployment default/loadgen',
      'IST0107 Namespace default/qa',
    ],
  },
  {
    upstream: 'deprecation',
    file: 'deprecation.yaml',
    codes: ['IST0002'],
    expected: ['IST0002 VirtualService shop/slow-catalog', 'IST0002 Sidecar shop/shop-default'],
  },
  ...(
    [
      ['conflicting gateways detect', 'gateways-same-selector.yaml', ['north', 'south']],
      ['gateways with different port are non-conflicting', 'gateways-other-port.yaml', []],
      ['conflicting gateways with multiple port declarations', 'gateways-several-ports.yaml', ['north', 'south']],
      ['conflicting gateways detect by sub selector', 'gateways-overlapping-selectors.yaml', ['north', 'south']],
      ['conflicting gateways detect: no port', 'gateways-without-port.yaml', []],
      ['Analyze conflicting gateway with list type', 'gateways-in-a-list.yaml', ['north', 'east', 'west']],
    ] as const
  ).map(([upstream, file, gateways]) => ({
    upstream,
    file,
    codes: ['IST0145'],
    expected: gateways.map((g) => `IST0145 Gateway default/${g}`),
  })),
  {
    upstream: 'portNameNotFollowConvention',
    file: 'port-names-unnamed.yaml',
    codes: ['IST0118'],
    expected: ['IST0118 Service stock/inventory', 'IST0118 Service sales/pricing'],
  },
  { upstream: 'namedPort', file: 'port-names-good.yaml', codes: ['IST0118'], expected: [] },
  { upstream: 'unnamedPortInSystemNamespace', file: 'port-names-system.yaml', codes: ['IST0118'], expected: [] },
  {
    upstream: 'virtualServiceConflictingMeshGatewayHosts',
    file: 'mesh-hosts.yaml',
    codes: ['IST0109'],
    expected: [
      'IST0109 VirtualService shop/storefront',
      'IST0109 VirtualService shop/storefront-old',
      'IST0109 VirtualService shop/reviews',
      'IST0109 VirtualService edge/reviews',
      'IST0109 VirtualService team-b/reviews',
      'IST0109 VirtualService team-c/reviews',
      'IST0109 VirtualService team-d/reviews',
    ],
  },
  {
    upstream: 'virtualServiceConflictingMeshGatewayHostsWithExportTo',
    file: 'mesh-hosts-export-scopes.yaml',
    codes: ['IST0109'],
    expected: [
      'IST0109 VirtualService north/pages',
      'IST0109 VirtualService south/pages',
      'IST0109 VirtualService north/pages-c',
      'IST0109 VirtualService south/pages-c',
      'IST0109 VirtualService north/pages-d',
      'IST0109 VirtualService south/pages-d',
    ],
  },
  {
    upstream: 'virtualServiceDestinationHosts',
    file: 'destination-hosts.yaml',
    codes: ['IST0101', 'IST0112'],
    expected: [
      'IST0101 VirtualService bank/ledger-typo',
      'IST0101 VirtualService bank/partner',
      'IST0101 VirtualService bank/ledger-mirror-typo',
      'IST0101 VirtualService bank/ledger-port',
      'IST0112 VirtualService bank/teller-no-port',
      'IST0101 VirtualService ops/vault-from-ops',
      'IST0101 VirtualService hall/greeter-elsewhere',
    ],
    differs:
      "Istio's case also routes to an empty destination ({}), which it reports as IST0101; our rule book rejects it first (IST0106, destination is required), so that situation is not in this fixture",
  },
  {
    upstream: 'virtualServiceDestinationRules',
    file: 'destination-subsets.yaml',
    codes: ['IST0101'],
    expected: ['IST0101 VirtualService bank/ledger-v9', 'IST0101 VirtualService bank/ledger-mirror-v9'],
  },
  {
    upstream: 'virtualServiceGateways',
    file: 'gateway-refs.yaml',
    codes: ['IST0101', 'IST0132'],
    expected: ['IST0101 VirtualService default/shop-typo', 'IST0132 VirtualService default/shop', 'IST0132 VirtualService default/partner'],
    differs:
      'istioctl also reports IST0132 for the missing Gateway of shop-typo; we report only IST0101, which already says the Gateway is missing',
  },
  {
    upstream: 'virtualServiceInternalGatewayRef',
    file: 'gateway-internal-ref.yaml',
    codes: ['IST0165'],
    expected: ['IST0165 VirtualService default/storefront'],
  },
  {
    upstream: 'serviceMultipleDeployments',
    file: 'deployment-services.yaml',
    codes: ['IST0116', 'IST0137'],
    expected: [
      'IST0116 Deployment bank/teller-two-protocols',
      'IST0116 Deployment bank/portal-two-protocols',
      'IST0137 Deployment bank/vault-two-ports',
    ],
  },
  {
    upstream: 'deploymentMultiServicesInDifferentNamespace',
    file: 'deployment-services-other-namespace.yaml',
    codes: ['IST0116', 'IST0137'],
    expected: [],
  },
  { upstream: 'serviceWithNoSelector', file: 'deployment-service-no-selector.yaml', codes: ['IST0116', 'IST0137'], expected: [] },
  {
    upstream: 'destinationrule with no cacert (all eleven cases, one DestinationRule each)',
    file: 'ca-certificates.yaml',
    codes: CA,
    expected: [
      'IST0128 DestinationRule default/simple-no-ca',
      'IST0128 DestinationRule default/mutual-no-ca',
      'IST0129 DestinationRule default/port-simple-no-ca',
      'IST0128 DestinationRule default/simple-credential',
      'IST0129 DestinationRule default/port-simple-credential',
      'IST0129 DestinationRule default/port-mutual-no-ca',
      'IST0128 DestinationRule default/mutual-then-port-simple',
      'IST0129 DestinationRule default/mutual-then-port-simple',
      'IST0128 DestinationRule default/simple-then-port-mutual',
      'IST0129 DestinationRule default/simple-then-port-mutual',
    ],
  },
  {
    upstream: 'dupmatches',
    file: 'unreachable-rules.yaml',
    codes: ['IST0130', 'IST0131'],
    expected: [
      'IST0130 VirtualService shop/two-catch-alls',
      'IST0130 VirtualService default/repeated-match',
      'IST0131 VirtualService default/repeated-match',
      'IST0131 VirtualService default/half-repeated-match',
      'IST0130 VirtualService default/repeated-tcp-port',
      'IST0131 VirtualService default/repeated-tcp-port',
      'IST0130 VirtualService default/two-tcp-catch-alls',
      'IST0131 VirtualService default/half-repeated-tcp-port',
      'IST0130 VirtualService egress/repeated-sni',
      'IST0131 VirtualService egress/repeated-sni',
      'IST0131 VirtualService egress/half-repeated-sni',
      'IST0131 VirtualService default/implicit-get',
      'IST0131 VirtualService default/longer-prefix-same-rule',
      'IST0131 VirtualService default/longer-prefix-next-rule',
      'IST0131 VirtualService default/longer-prefix-other-method',
    ],
  },
  ...[undefined, beta].flatMap((rewrite) => {
    const version = rewrite ? '(beta version)' : '';
    return [
      {
        upstream: `host defined in virtualservice not found in the gateway${version}`,
        file: 'gateway-hosts.yaml',
        rewrite,
        codes: ['IST0132'],
        expected: [
          'IST0132 VirtualService default/not-served',
          'IST0132 VirtualService default/wildcard-not-served',
          'IST0132 VirtualService default/one-of-two-gateways',
          'IST0132 VirtualService default/near-misses',
        ],
      },
      {
        upstream: `host defined in virtualservice not found in the gateway with ns${version}`,
        file: 'gateway-host-namespaces.yaml',
        rewrite,
        codes: ['IST0132'],
        expected: ['IST0132 VirtualService default/own-ns'],
      },
    ];
  }),
  {
    upstream:
      'missing Addresses and Protocol in Service Entry, ServiceEntry Addresses Required Lowercase/Uppercase Protocol, ServiceEntry Addresses Allocated',
    file: 'service-entry-addresses.yaml',
    codes: ['IST0134'],
    expected: [
      'IST0134 ServiceEntry default/docs-no-protocol',
      'IST0134 ServiceEntry default/docs-empty-protocol',
      'IST0134 ServiceEntry default/docs-tcp',
      'IST0134 ServiceEntry default/git-lower-case',
    ],
  },
  {
    upstream: 'certificate duplication in Gateway',
    file: 'gateway-certificates.yaml',
    codes: ['IST0138'],
    expected: [
      'IST0138 Gateway edge/shop-a',
      'IST0138 Gateway edge/shop-b',
      'IST0138 Gateway edge/books-a',
      'IST0138 Gateway default/music-a',
    ],
  },
  {
    upstream: 'Route Rule no effect on Ingress',
    file: 'ingress-subset-bypass.yaml',
    codes: ['IST0140'],
    expected: ['IST0140 VirtualService default/front-1'],
  },
  {
    upstream: 'Application Pod/Container SecurityContext with UID 1337, Deployment Pod/Container SecurityContext with UID 1337',
    file: 'application-uid.yaml',
    codes: ['IST0144'],
    expected: [
      'IST0144 Pod default/pod-level-uid',
      'IST0144 Pod default/container-level-uid',
      'IST0144 Deployment default/template-pod-uid',
      'IST0144 Deployment default/template-both-uid',
    ],
  },
  {
    upstream: 'ExternalNameServiceTypeInvalidPortName',
    file: 'external-name-ports.yaml',
    codes: ['IST0150', 'IST0118'],
    expected: ['IST0150 Service pay-a/payments', 'IST0150 Service pay-b/payments-unnamed', 'IST0150 Service pay-c/payments-tcp'],
  },
  { upstream: 'ExternalNameServiceTypeValidPortName', file: 'external-name-ports-good.yaml', codes: ['IST0150', 'IST0118'], expected: [] },
  {
    upstream: 'DestinationRuleWithFakeHost',
    file: 'destination-rule-unknown-host.yaml',
    codes: PODS,
    expected: ['IST0174 DestinationRule default/ghost'],
  },
  {
    upstream: 'DestinationRuleSubsetsNotSelectPods',
    file: 'subsets-no-pods.yaml',
    codes: PODS,
    expected: ['IST0173 DestinationRule default/ledger'],
    differs:
      "Istio's case holds no workload at all and still reports; our closed world judges subsets only when the set holds workloads of the Service's namespace, so this fixture adds one",
  },
  { upstream: 'DestinationRuleSubsetsWithTopologyLabels', file: 'subsets-topology.yaml', codes: PODS, expected: [] },
  {
    upstream: 'DestinationRuleEmptyTopologyLabels',
    file: 'subsets-empty-topology.yaml',
    codes: PODS,
    expected: ['IST0173 DestinationRule default/ledger-blank-region'],
  },
  {
    upstream: 'ServiceEntry conflicting protocols on same host and port (1.31)',
    file: 'service-entry-protocols.yaml',
    codes: ['IST0177'],
    expected: ['IST0177 ServiceEntry default/api-https', 'IST0177 ServiceEntry default/api-http'],
  },
  {
    upstream: 'ServiceEntry no conflict same protocol (1.31)',
    file: 'service-entry-protocols-same.yaml',
    codes: ['IST0177'],
    expected: [],
  },
  {
    upstream: 'ServiceEntry no conflict non-overlapping exportTo scopes (1.31)',
    file: 'service-entry-protocols-private.yaml',
    codes: ['IST0177'],
    expected: [],
  },
  {
    upstream: '(issue 14) VirtualServices bound to Gateway API Gateways',
    file: 'kubernetes-gateway-refs.yaml',
    codes: ['IST0101', 'IST0132'],
    expected: ['IST0132 VirtualService default/music'],
    differs: 'istioctl resolves only Istio Gateways here and would report IST0101 for each of these references',
  },
];

function analyzeFile(c: Case): string[] {
  const manifests: Manifest[] = loadFile(path.join(DIR, c.file)).map((m) => (c.rewrite ? { ...m, object: c.rewrite(m.object) } : m));
  const found = MeshAnalysis.analyze(manifests)
    .filter((f) => c.codes.includes(f.code))
    .map((f) => `${f.code} ${f.kind} ${f.namespace ?? 'default'}/${f.name}`);
  return [...new Set(found)].sort();
}

describe("Istio's analyzer cases, reproduced with our own fixtures", () => {
  test.each(CASES.map((c) => [c.upstream, c] as const))('%s', (_name, c) => {
    expect(analyzeFile(c)).toEqual([...c.expected].sort());
  });

  test('no fixture is rejected as a whole, and the grid covers every fixture', () => {
    const files = new Set(CASES.map((c) => c.file));
    const onDisk = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
    expect([...files].sort()).toEqual(onDisk.sort());
    for (const c of CASES) {
      const internal = MeshAnalysis.analyze(loadFile(path.join(DIR, c.file))).filter((f) => f.code === 'IST0001' || f.code === 'CDK0002');
      expect(internal).toEqual([]);
    }
  });
});
