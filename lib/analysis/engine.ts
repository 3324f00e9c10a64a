/*
 * Mesh analysis: how the pieces fit.
 *
 * - finding.ts      Finding / Manifest / Severity: the engine's input and output (plain JSON).
 * - model.ts        MeshModel: built once per analysis from the manifests; indexes hosts
 *                   (Services and ServiceEntries, exact and wildcard), Gateways, DestinationRule
 *                   subsets per host and workload pod labels, so every analyzer is linear.
 * - closed-world.ts Which references are judged when their target is missing (the policy).
 * - analyzers/      One cross-resource analyzer per file, mirroring istioctl's analyzers.
 * - object-checks.ts + webhook/ + schema/   Per-object checks (webhook rules, CRD schema/CEL),
 *                   run on every manifest; a check that throws yields IST0001, never a crash.
 * - codes.ts        The catalogue of finding codes (code, severity, title, meaning); the README
 *                   table of codes is generated from it (`npm run docs:codes`).
 * - synth-analysis.ts / istio-app.ts   Construct integration (the engine knows no constructs).
 * - ../cli/         `cdk8s-istio analyze` over YAML files.
 */
import { Analyzer, Report } from './analyzer';
import { caCertificateAnalyzer } from './analyzers/ca-certificates';
import { conflictingGatewaysAnalyzer } from './analyzers/conflicting-gateways';
import { conflictingMeshHostsAnalyzer } from './analyzers/conflicting-mesh-hosts';
import { delegateReferenceAnalyzer } from './analyzers/delegate-references';
import { destinationHostAnalyzer } from './analyzers/destination-hosts';
import { destinationRuleHostAnalyzer } from './analyzers/destination-rule-hosts';
import { destinationSubsetAnalyzer } from './analyzers/destination-subsets';
import { duplicateObjectAnalyzer } from './analyzers/duplicate-objects';
import { namespaceInjectionAnalyzer } from './analyzers/namespace-injection';
import { portNameAnalyzer } from './analyzers/port-names';
import { sidecarSelectorAnalyzer } from './analyzers/sidecar-selectors';
import { subsetPodsAnalyzer } from './analyzers/subset-pods';
import { unreachableRulesAnalyzer } from './analyzers/unreachable-rules';
import { virtualServiceGatewayAnalyzer } from './analyzers/virtual-service-gateways';
import { annotationAnalyzer } from './analyzers/annotations';
import { applicationUidAnalyzer } from './analyzers/application-uid';
import { deploymentServiceAnalyzer } from './analyzers/deployment-services';
import { deprecatedFieldAnalyzer } from './analyzers/deprecated-fields';
import { gatewayCertificateAnalyzer } from './analyzers/gateway-certificates';
import { ingressSubsetBypassAnalyzer } from './analyzers/ingress-subset-bypass';
import { serviceEntryAddressAnalyzer } from './analyzers/service-entry-addresses';
import { serviceEntryProtocolAnalyzer } from './analyzers/service-entry-protocols';
import { CODES } from './codes';
import { Finding, Manifest, Severity } from './finding';
import { MeshModel, ObjectRef } from './model';
import { fieldAndMessage } from './format';
import { ObjectCheck } from './object-checks';
import { checkRuleBook } from './rule-book-check';
import { checkSchema } from './schema-check';
import { authorizationPoliciesAnalyzer } from './analyzers/authorization-policies';
import { jwtClaimRouteAnalyzer } from './analyzers/jwt-claim-routes';
import { deniedRouteAnalyzer } from './analyzers/denied-routes';
import { plaintextToStrictAnalyzer } from './analyzers/plaintext-to-strict';
import { unreachableServiceAnalyzer } from './analyzers/unreachable-services';

/**
 * Silences one finding code, optionally only on one object.
 *
 * The same can be written on the object itself with the annotation
 * `cdk8s-istio.io/suppress: IST0131,IST0118`.
 */
export interface Suppression {
  /** The code to silence (`IST0118`, `CDK0001`). */
  readonly code: string;
  /**
   * Kind of the object.
   * @default - any kind
   */
  readonly kind?: string;
  /**
   * Name of the object.
   * @default - any name
   */
  readonly name?: string;
  /**
   * Namespace of the object (objects without one are in the default namespace).
   * @default - any namespace
   */
  readonly namespace?: string;
}

/** Options of {@link MeshAnalysis.analyze}. */
export interface AnalysisOptions {
  /**
   * Report warnings as errors (`cdk8s-istio analyze --strict`). Infos stay infos.
   * @default false
   */
  readonly warningsAsErrors?: boolean;

  /**
   * Findings to silence.
   * @default - none (annotations on the objects still apply)
   */
  readonly suppressions?: Suppression[];

  /**
   * Namespace of objects that set none; it is also the namespace short hosts of such objects
   * expand to.
   * @default 'default'
   */
  readonly defaultNamespace?: string;
}

/** The per-object checks run on every manifest: the CRD schema + CEL, then the rule book. */
const OBJECT_CHECKS: readonly ObjectCheck[] = [checkSchema, checkRuleBook];

const ANALYZERS: readonly Analyzer[] = [
  duplicateObjectAnalyzer,
  destinationHostAnalyzer,
  destinationSubsetAnalyzer,
  virtualServiceGatewayAnalyzer,
  conflictingMeshHostsAnalyzer,
  unreachableRulesAnalyzer,
  destinationRuleHostAnalyzer,
  subsetPodsAnalyzer,
  caCertificateAnalyzer,
  portNameAnalyzer,
  conflictingGatewaysAnalyzer,
  // Issue 14: the rest of istioctl analyze decidable from manifests.
  ingressSubsetBypassAnalyzer,
  gatewayCertificateAnalyzer,
  serviceEntryProtocolAnalyzer,
  serviceEntryAddressAnalyzer,
  deprecatedFieldAnalyzer,
  deploymentServiceAnalyzer,
  applicationUidAnalyzer,
  annotationAnalyzer,
  // Security (issue 16).
  authorizationPoliciesAnalyzer,
  jwtClaimRouteAnalyzer,
  deniedRouteAnalyzer,
  plaintextToStrictAnalyzer,
  unreachableServiceAnalyzer,
  // Issue 15: Sidecars, injected namespaces, delegation.
  sidecarSelectorAnalyzer,
  namespaceInjectionAnalyzer,
  delegateReferenceAnalyzer,
];

const SEVERITY_RANK: Record<string, number> = { [Severity.ERROR]: 0, [Severity.WARNING]: 1, [Severity.INFO]: 2 };

/**
 * The mesh analysis: cross-resource checks over a set of Kubernetes and Istio manifests,
 * the offline counterpart of `istioctl analyze`.
 *
 * One engine serves the construct tree at synth ({@link IstioApp}, {@link SynthAnalysis}) and
 * YAML files (`cdk8s-istio analyze`). It runs every per-object check (webhook rules, CRD
 * schema) on every manifest, then the cross-resource analyzers over a model indexed once, so
 * the work is linear in the number of objects.
 *
 * Codes follow `istioctl analyze` where the meaning is the same (IST codes); CDK codes are our
 * own. The README's table of codes lists each with its severity and meaning.
 *
 * Closed world: only references whose target would have to be in the set are judged.
 * Short hosts, `<name>.<ns>.svc.cluster.local` hosts and gateway references into namespaces
 * the set contains are reported when missing; other dotted hosts are external, and
 * namespaces absent from the set are not judged. Subsets are checked against pod templates
 * only when the set holds workloads of the service's namespace.
 */
export class MeshAnalysis {
  /** Annotation listing codes to silence on one object: `cdk8s-istio.io/suppress: IST0131,IST0118`. */
  public static readonly SUPPRESS_ANNOTATION = 'cdk8s-istio.io/suppress';

  /**
   * Analyzes a set of manifests and returns the findings, sorted deterministically
   * (errors first, then by file or construct path, kind, namespace, name, field, code).
   */
  public static analyze(manifests: Manifest[], options: AnalysisOptions = {}): Finding[] {
    const defaultNamespace = options.defaultNamespace ?? 'default';
    const findings: Finding[] = [];
    const suppressions = options.suppressions ?? [];
    const seen = new Set<string>();

    const add = (finding: Finding, manifest: Manifest | undefined) => {
      const namespace = finding.namespace ?? defaultNamespace;
      if (manifest && annotatedCodes(manifest).has(finding.code)) return;
      if (
        suppressions.some(
          (s) =>
            s.code === finding.code &&
            (s.kind === undefined || s.kind === finding.kind) &&
            (s.name === undefined || s.name === finding.name) &&
            (s.namespace === undefined || s.namespace === namespace),
        )
      ) {
        return;
      }
      const severity = options.warningsAsErrors && finding.severity === Severity.WARNING ? Severity.ERROR : finding.severity;
      const result = clean({ ...finding, severity });
      const key = [
        result.code,
        result.kind,
        namespace,
        result.name,
        result.field ?? '',
        result.message,
        result.file ?? '',
        result.constructPath ?? '',
      ].join('\u0000');
      if (seen.has(key)) return;
      seen.add(key);
      findings.push(result);
    };

    for (const manifest of manifests) {
      if (manifest.object === null || manifest.object === undefined) continue;
      for (const check of OBJECT_CHECKS) {
        let produced: Finding[];
        try {
          produced = check(manifest);
        } catch (e) {
          produced = [internalError(manifest, defaultNamespace, `a per-object check failed: ${errorText(e)}`)];
        }
        for (const f of produced) add(f, manifest);
      }
    }

    const model = MeshModel.build(manifests, defaultNamespace);
    for (const manifest of model.malformed) {
      add(
        findingFor(
          manifest,
          defaultNamespace,
          CODES.NotAKubernetesObject.code,
          CODES.NotAKubernetesObject.severity,
          undefined,
          'this document is not a Kubernetes object (it needs a kind and a metadata.name); fix or remove it',
        ),
        manifest,
      );
    }
    const report: Report = (ref, code, field, message) => add(findingOf(ref, code.code, code.severity, field, message), ref.manifest);
    for (const analyzer of ANALYZERS) {
      try {
        analyzer.analyze(model, report);
      } catch (e) {
        add(
          {
            severity: CODES.InternalError.severity,
            code: CODES.InternalError.code,
            kind: 'MeshAnalysis',
            name: analyzer.name,
            message: `the ${analyzer.name} analyzer failed: ${errorText(e)}; please report this bug`,
          },
          undefined,
        );
      }
    }
    return findings.sort(compareFindings);
  }

  /** The findings that are errors. */
  public static errors(findings: Finding[]): Finding[] {
    return findings.filter((f) => f.severity === Severity.ERROR);
  }

  /**
   * One line for a finding:
   * `<severity> <code> <Kind>/<name> (<file or construct path>): <field>: <message>`.
   */
  public static format(finding: Finding): string {
    const where = finding.file ?? finding.constructPath;
    return `${finding.severity} ${finding.code} ${finding.kind}/${finding.name}${where ? ` (${where})` : ''}: ${fieldAndMessage(finding)}`;
  }

  private constructor() {}
}

function findingOf(ref: ObjectRef, code: string, severity: Severity, field: string | undefined, message: string): Finding {
  const declared = ref.object.metadata?.namespace;
  return {
    severity,
    code,
    kind: ref.kind,
    namespace: typeof declared === 'string' && declared !== '' ? declared : undefined,
    name: ref.name,
    file: ref.manifest.source.file,
    constructPath: ref.manifest.source.constructPath,
    field,
    message,
  };
}

function findingFor(
  manifest: Manifest,
  _defaultNamespace: string,
  code: string,
  severity: Severity,
  field: string | undefined,
  message: string,
): Finding {
  const o = manifest.object;
  const kind = typeof o?.kind === 'string' ? o.kind : '(no kind)';
  const name = typeof o?.metadata?.name === 'string' && o.metadata.name !== '' ? o.metadata.name : '(no name)';
  const namespace = typeof o?.metadata?.namespace === 'string' ? o.metadata.namespace : undefined;
  return {
    severity,
    code,
    kind,
    namespace,
    name,
    file: manifest.source.file,
    constructPath: manifest.source.constructPath,
    field,
    message,
  };
}

function internalError(manifest: Manifest, defaultNamespace: string, message: string): Finding {
  return findingFor(
    manifest,
    defaultNamespace,
    CODES.InternalError.code,
    CODES.InternalError.severity,
    undefined,
    `${message}; please report this bug`,
  );
}

function annotatedCodes(manifest: Manifest): Set<string> {
  const value = manifest.object?.metadata?.annotations?.[MeshAnalysis.SUPPRESS_ANNOTATION];
  if (typeof value !== 'string') return EMPTY;
  return new Set(
    value
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c !== ''),
  );
}
const EMPTY = new Set<string>();

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// Drops undefined members: findings are plain, deterministic JSON.
function clean(finding: Finding): Finding {
  const result: any = {};
  for (const [k, v] of Object.entries(finding)) if (v !== undefined) result[k] = v;
  return result;
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    cmp(a.file ?? a.constructPath ?? '', b.file ?? b.constructPath ?? '') ||
    cmp(a.kind, b.kind) ||
    cmp(a.namespace ?? '', b.namespace ?? '') ||
    cmp(a.name, b.name) ||
    cmp(a.field ?? '', b.field ?? '') ||
    cmp(a.code, b.code) ||
    cmp(a.message, b.message)
  );
}

const collator = new Intl.Collator('en', { numeric: true });
function cmp(a: string, b: string): number {
  // Natural order so that spec.http[2] sorts before spec.http[10]; ties broken by code points.
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
