/*
 * The catalogue of finding codes: every code the mesh analysis can report, with its default
 * severity, its title and what it means. Analyzers, the engine and the per-object checks take
 * their codes from here (no code is written anywhere else in lib/), README.md's table of codes
 * is generated from it (`npm run docs:codes`), and test/analysis/codes.test.ts checks that the
 * table is current and that every code is produced by a real scenario.
 *
 * IST codes are `istioctl analyze`'s, used only where the meaning is the same; the title is then
 * istioctl's message name and the severity istioctl's level (Istio's
 * pkg/config/analysis/msg/messages.yaml). CDK codes are our own.
 */
import { Severity } from './finding';

/** One finding code of the mesh analysis. @internal */
export interface FindingCode {
  /** The code (`IST0101`, `CDK0001`). */
  readonly code: string;
  /** The severity the code is reported with (before `warningsAsErrors`). */
  readonly severity: Severity;
  /** istioctl's message name for IST codes (`ReferencedResourceNotFound`), our own for CDK codes. */
  readonly title: string;
  /** What the finding means, in one sentence. */
  readonly description: string;
}

type Spec = Omit<FindingCode, 'title'>;

// The title is the key, so a constant reads as what it reports: CODES.ReferencedResourceNotFound.
function catalogue<T extends Record<string, Spec>>(specs: T): { readonly [K in keyof T]: FindingCode } {
  const result: Record<string, FindingCode> = {};
  for (const [title, spec] of Object.entries(specs)) {
    result[title] = Object.freeze({ code: spec.code, severity: spec.severity, title, description: spec.description });
  }
  return Object.freeze(result) as { readonly [K in keyof T]: FindingCode };
}

/** Every finding code, by title, in the order of the README table. @internal */
export const CODES = catalogue({
  InternalError: {
    code: 'IST0001',
    severity: Severity.ERROR,
    description: 'A check of the analysis itself failed, which is a bug in cdk8s-istio; the other checks still ran.',
  },
  ReferencedResourceNotFound: {
    code: 'IST0101',
    severity: Severity.ERROR,
    description:
      "A VirtualService names a destination host, port or subset, a gateway or a delegate that the set of manifests does not define, or a Sidecar's workload selector matches no workload of its namespace.",
  },
  NamespaceNotInjected: {
    code: 'IST0102',
    severity: Severity.INFO,
    description:
      'A Namespace of the set that holds workloads has no istio-injection or istio.io/rev label (and is not ambient), so its pods get no sidecar.',
  },
  SchemaValidationError: {
    code: 'IST0106',
    severity: Severity.ERROR,
    description:
      "The object breaks its CRD's schema or CEL rules, or one of the admission rules of Istio's webhook, so it would be rejected.",
  },
  ConflictingMeshGatewayVirtualServiceHosts: {
    code: 'IST0109',
    severity: Severity.ERROR,
    description: 'Two VirtualServices bound to the mesh declare the same host, and sidecars apply only one of them.',
  },
  ConflictingSidecarWorkloadSelectors: {
    code: 'IST0110',
    severity: Severity.ERROR,
    description: 'Several Sidecars of a namespace select the same workload, and which one applies is undefined.',
  },
  MultipleSidecarsWithoutWorkloadSelectors: {
    code: 'IST0111',
    severity: Severity.ERROR,
    description: 'A namespace has several Sidecars without workload selector, and which one applies is undefined.',
  },
  VirtualServiceDestinationPortSelectorRequired: {
    code: 'IST0112',
    severity: Severity.ERROR,
    description: 'A destination without a port number points at a service that exposes more than one port.',
  },
  PortNameIsNotUnderNamingConvention: {
    code: 'IST0118',
    severity: Severity.INFO,
    description: "A Service port's name or appProtocol names no protocol Istio knows, so Istio handles the port as opaque TCP.",
  },
  NoServerCertificateVerificationDestinationLevel: {
    code: 'IST0128',
    severity: Severity.WARNING,
    description: "A DestinationRule's traffic policy originates TLS without caCertificates, so the server's certificate is not verified.",
  },
  NoServerCertificateVerificationPortLevel: {
    code: 'IST0129',
    severity: Severity.WARNING,
    description:
      "The TLS settings of one port of a DestinationRule's traffic policy lack caCertificates, so that port's server is not verified.",
  },
  VirtualServiceUnreachableRule: {
    code: 'IST0130',
    severity: Severity.WARNING,
    description:
      'A VirtualService rule is never used, because an earlier rule without match takes all traffic or earlier rules hold all its matches.',
  },
  VirtualServiceIneffectiveMatch: {
    code: 'IST0131',
    severity: Severity.INFO,
    description:
      'A match of a VirtualService rule repeats an earlier match, or is covered by an earlier shorter URI prefix, so it never applies.',
  },
  VirtualServiceHostNotFoundInGateway: {
    code: 'IST0132',
    severity: Severity.WARNING,
    description: 'A Gateway the VirtualService is bound to serves none of its hosts, so that Gateway ignores the VirtualService.',
  },
  SchemaWarning: {
    code: 'IST0133',
    severity: Severity.WARNING,
    description: "Istio's webhook accepts the object but warns about it, for example a deprecated field or a setting that has no effect.",
  },
  ConflictingGateways: {
    code: 'IST0145',
    severity: Severity.ERROR,
    description: 'Two Gateways selecting the same pods declare the same host on the same port, so one of the two listeners is dropped.',
  },
  IneffectivePolicy: {
    code: 'IST0167',
    severity: Severity.WARNING,
    description: 'A Sidecar applies to an ambient namespace or to ambient workloads, which have no sidecar, so it has no effect.',
  },
  DestinationRuleSubsetNotSelectPods: {
    code: 'IST0173',
    severity: Severity.ERROR,
    description:
      "A DestinationRule subset's labels match no pod template of the set, so traffic routed to the subset finds no healthy upstream.",
  },
  UnknownDestinationRuleHost: {
    code: 'IST0174',
    severity: Severity.WARNING,
    description: "A DestinationRule's host matches no Service or ServiceEntry, so the rule applies to nothing.",
  },
  DuplicateObject: {
    code: 'CDK0001',
    severity: Severity.ERROR,
    description: 'Two objects have the same kind, namespace and name, so applying them keeps only the last one.',
  },
  DelegateNotADelegate: {
    code: 'CDK0003',
    severity: Severity.ERROR,
    description:
      'An HTTP route delegates to a VirtualService that has hosts or gateways, which is not a delegate, so Istio ignores the delegation and the route goes nowhere.',
  },
  NotAKubernetesObject: {
    code: 'CDK0002',
    severity: Severity.ERROR,
    description: 'A document is not an object with a kind and a metadata.name, so it cannot be applied as a Kubernetes object.',
  },
});

/** Every finding code, in the order of the README table. @internal */
export const FINDING_CODES: readonly FindingCode[] = Object.freeze(Object.values(CODES));

/** The catalogue entry of a code (`IST0101`), if there is one. @internal */
export function findingCode(code: string): FindingCode | undefined {
  return FINDING_CODES.find((c) => c.code === code);
}
