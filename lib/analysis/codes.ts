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
  // Issue 14 (istioctl analyze parity): analyzers decidable from manifests.
  Deprecated: {
    code: 'IST0002',
    severity: Severity.WARNING,
    description:
      'The object uses something Istio has deprecated or removed: a fault delay given as an integer percent, or a custom resource type of the removed rbac.istio.io group.',
  },
  MisplacedAnnotation: {
    code: 'IST0107',
    severity: Severity.WARNING,
    description: 'An Istio annotation sits on a kind of object it does not apply to, so Istio ignores it there.',
  },
  UnknownAnnotation: {
    code: 'IST0108',
    severity: Severity.WARNING,
    description: "An annotation in one of Istio's domains is not in Istio's annotation catalogue, often a typo, so Istio ignores it.",
  },
  DeploymentAssociatedToMultipleServices: {
    code: 'IST0116',
    severity: Severity.WARNING,
    description: 'Services selecting the pods of one meshed Deployment use the same port number with different protocols.',
  },
  InvalidAnnotation: {
    code: 'IST0125',
    severity: Severity.WARNING,
    description: "An Istio annotation's value is not one the sidecar injector accepts (a port list, a CIDR list, a mode, a quantity).",
  },
  ServiceEntryAddressesRequired: {
    code: 'IST0134',
    severity: Severity.WARNING,
    description:
      'A ServiceEntry without addresses has a TCP (or protocol-less) port, so without automatic address allocation its traffic cannot be told apart from other TCP traffic on that port.',
  },
  DeprecatedAnnotation: {
    code: 'IST0135',
    severity: Severity.INFO,
    description: 'The object uses an Istio annotation that is deprecated.',
  },
  DeploymentConflictingPorts: {
    code: 'IST0137',
    severity: Severity.WARNING,
    description: 'Two Services selecting the pods of one meshed Deployment send different service ports to the same target port.',
  },
  GatewayDuplicateCertificate: {
    code: 'IST0138',
    severity: Severity.WARNING,
    description:
      'Two Gateways for the same gateway pods serve the same certificate, so a client reusing an HTTP/2 connection can get 404s from the wrong server.',
  },
  IngressRouteRulesNotAffected: {
    code: 'IST0140',
    severity: Severity.WARNING,
    description:
      'A gateway VirtualService routes to a host without subset while a VirtualService for that host splits it into subsets, which ingress traffic bypasses.',
  },
  InvalidApplicationUID: {
    code: 'IST0144',
    severity: Severity.WARNING,
    description: "A Pod or Deployment runs an application container as user ID 1337, which is reserved for the sidecar's traffic capture.",
  },
  ExternalNameServiceTypeInvalidPortName: {
    code: 'IST0150',
    severity: Severity.WARNING,
    description:
      "A Service of type ExternalName has a port named 'tcp' or without a known protocol, so the sidecar may not forward its TCP traffic correctly.",
  },
  ReferencedInternalGateway: {
    code: 'IST0165',
    severity: Severity.WARNING,
    description: 'A VirtualService names an internal Gateway that Istio generates for a Kubernetes Gateway API Gateway.',
  },
  ConflictingServiceEntryProtocol: {
    code: 'IST0177',
    severity: Severity.WARNING,
    description: 'ServiceEntries visible in one namespace declare the same host and port with different protocols.',
  },
  DuplicateObject: {
    code: 'CDK0001',
    severity: Severity.ERROR,
    description: 'Two objects have the same kind, namespace and name, so applying them keeps only the last one.',
  },
  NotAKubernetesObject: {
    code: 'CDK0002',
    severity: Severity.ERROR,
    description: 'A document is not an object with a kind and a metadata.name, so it cannot be applied as a Kubernetes object.',
  },
  // Security (issue 16): istioctl's codes, then ours.
  NoMatchingWorkloadsFound: {
    code: 'IST0127',
    severity: Severity.WARNING,
    description:
      "An AuthorizationPolicy's selector matches no workload of its namespace (of the mesh, in the root namespace), so it applies to nothing.",
  },
  JwtClaimBasedRoutingWithoutRequestAuthN: {
    code: 'IST0149',
    severity: Severity.ERROR,
    description:
      'A VirtualService bound to a gateway routes on a JWT claim, but no RequestAuthentication validates tokens on the gateway pods, so the claim is never available.',
  },
  RouteDeniedByAuthorization: {
    code: 'CDK0161',
    severity: Severity.ERROR,
    description:
      'A route sends the requests of a known caller (a gateway, or the workloads of its sourceLabels) to workloads whose authorization policies deny that caller, so they are routed and then refused with 403.',
  },
  PlaintextToStrictMtls: {
    code: 'CDK0162',
    severity: Severity.ERROR,
    description:
      'A DestinationRule disables TLS toward workloads whose PeerAuthentication requires mutual TLS, so their connections are refused.',
  },
  UnreachableUnderDefaultDeny: {
    code: 'CDK0163',
    severity: Severity.WARNING,
    description:
      "A default deny applies to a service's workloads and no ALLOW rule admits any caller, so every request to the service is refused.",
  },
  UnknownPrincipal: {
    code: 'CDK0164',
    severity: Severity.WARNING,
    description:
      'An AuthorizationPolicy names the principal of a service account that no workload or ServiceAccount of its namespace in the set has, so that source never matches.',
  },
  DelegateNotADelegate: {
    code: 'CDK0003',
    severity: Severity.ERROR,
    description:
      'An HTTP route delegates to a VirtualService that has hosts or gateways, which is not a delegate, so Istio ignores the delegation and the route goes nowhere.',
  },
});

/** Every finding code, in the order of the README table. @internal */
export const FINDING_CODES: readonly FindingCode[] = Object.freeze(Object.values(CODES));

/** The catalogue entry of a code (`IST0101`), if there is one. @internal */
export function findingCode(code: string): FindingCode | undefined {
  return FINDING_CODES.find((c) => c.code === code);
}

/** An `istioctl analyze` code the mesh analysis does not report, and why. @internal */
export interface UnimplementedCode {
  /** The code (`IST0103`). */
  readonly code: string;
  /** istioctl's message name. */
  readonly title: string;
  /** istioctl's level. */
  readonly severity: Severity;
  /** Why the analysis does not report it. */
  readonly reason: string;
}

const CLUSTER = 'Needs cluster state';
const NOT_YET = (kind: string) => `Judges ${kind}, a kind the catalogue does not hold yet; it comes with that kind`;

/**
 * Every `istioctl analyze` code (Istio 1.30's messages.yaml, plus IST0177 from 1.31) that the
 * mesh analysis does not report, with the reason. With the IST codes of {@link CODES} it is the
 * whole list, which the coverage table of the README shows. @internal
 */
export const UNIMPLEMENTED_ISTIOCTL_CODES: readonly UnimplementedCode[] = Object.freeze(
  (
    [
      ['IST0103', 'PodMissingProxy', Severity.WARNING, `${CLUSTER}: the containers of running pods`],
      ['IST0123', 'NamespaceMultipleInjectionLabels', Severity.WARNING, `${CLUSTER}: the injector's revisions and the namespaces' labels`],
      ['IST0126', 'UnknownMeshNetworksServiceRegistry', Severity.ERROR, 'Needs the mesh networks configuration of istiod'],
      ['IST0136', 'AlphaAnnotation', Severity.INFO, 'istioctl runs it only on request (it flags every alpha annotation); not offered'],
      ['IST0139', 'InvalidWebhook', Severity.ERROR, `${CLUSTER}: the control plane's webhook configurations and services`],
      ['IST0141', 'InsufficientPermissions', Severity.ERROR, `${CLUSTER}: an installation pre-check of RBAC permissions`],
      ['IST0142', 'UnsupportedKubernetesVersion', Severity.ERROR, `${CLUSTER}: the Kubernetes version`],
      ['IST0143', 'LocalhostListener', Severity.ERROR, `${CLUSTER}: the sockets running pods listen on`],
      ['IST0146', 'ImageAutoWithoutInjectionWarning', Severity.WARNING, `${CLUSTER}: whether the cluster injects the namespace`],
      ['IST0147', 'ImageAutoWithoutInjectionError', Severity.ERROR, `${CLUSTER}: whether the cluster injects the namespace`],
      ['IST0148', 'NamespaceInjectionEnabledByDefault', Severity.INFO, "Needs the injector's configuration (enableNamespacesByDefault)"],
      ['IST0151', 'EnvoyFilterUsesRelativeOperation', Severity.WARNING, NOT_YET('EnvoyFilter')],
      ['IST0152', 'EnvoyFilterUsesReplaceOperationIncorrectly', Severity.ERROR, NOT_YET('EnvoyFilter')],
      ['IST0153', 'EnvoyFilterUsesAddOperationIncorrectly', Severity.ERROR, NOT_YET('EnvoyFilter')],
      ['IST0154', 'EnvoyFilterUsesRemoveOperationIncorrectly', Severity.ERROR, NOT_YET('EnvoyFilter')],
      ['IST0155', 'EnvoyFilterUsesRelativeOperationWithProxyVersion', Severity.WARNING, NOT_YET('EnvoyFilter')],
      ['IST0156', 'UnsupportedGatewayAPIVersion', Severity.ERROR, `${CLUSTER}: the Gateway API CRDs installed`],
      ['IST0157', 'InvalidTelemetryProvider', Severity.WARNING, NOT_YET('Telemetry')],
      ['IST0158', 'PodsIstioProxyImageMismatchInNamespace', Severity.WARNING, `${CLUSTER}: the proxy images of running pods`],
      ['IST0159', 'ConflictingTelemetryWorkloadSelectors', Severity.ERROR, NOT_YET('Telemetry')],
      ['IST0160', 'MultipleTelemetriesWithoutWorkloadSelectors', Severity.ERROR, NOT_YET('Telemetry')],
      ['IST0161', 'InvalidGatewayCredential', Severity.ERROR, `${CLUSTER}: the contents of the TLS secrets`],
      ['IST0162', 'GatewayPortNotDefinedOnService', Severity.WARNING, `${CLUSTER}: the gateway installation's Services and pods`],
      [
        'IST0163',
        'InvalidExternalControlPlaneConfig',
        Severity.WARNING,
        `${CLUSTER}: the webhook configuration of an external control plane`,
      ],
      [
        'IST0164',
        'ExternalControlPlaneAddressIsNotAHostname',
        Severity.INFO,
        `${CLUSTER}: the webhook configuration of an external control plane`,
      ],
      ['IST0166', 'IneffectiveSelector', Severity.WARNING, NOT_YET('the security and telemetry kinds')],
      ['IST0168', 'UnknownUpgradeCompatibility', Severity.WARNING, 'Compares with a target Istio version (istioctl x precheck)'],
      ['IST0169', 'UpdateIncompatibility', Severity.WARNING, 'Compares with a target Istio version (istioctl x precheck)'],
      ['IST0170', 'MultiClusterInconsistentService', Severity.WARNING, `${CLUSTER}: the Services of every cluster of the mesh`],
      ['IST0171', 'NegativeConditionStatus', Severity.WARNING, `${CLUSTER}: the status conditions the controllers write`],
      ['IST0172', 'FutureUnsupportedGatewayAPIVersion', Severity.WARNING, `${CLUSTER}: the Gateway API CRDs installed`],
      [
        'IST0175',
        'JwksUriFetchUnrestricted',
        Severity.WARNING,
        "Needs istiod's environment and RequestAuthentication, a kind not in the catalogue yet",
      ],
      ['IST0176', 'GatewayAPICRDVersionBelowMinimum', Severity.WARNING, `${CLUSTER}: the Gateway API CRDs installed`],
    ] as const
  ).map(([code, title, severity, reason]) => Object.freeze({ code, title, severity, reason })),
);
