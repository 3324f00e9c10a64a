/**
 * The mesh analysis as a cdk8s validation plugin, for apps built on a plain cdk8s `App`.
 *
 * `cdk8s synth` loads the plugins listed under `validations:` in `cdk8s.yaml`, constructs each
 * plugin's class with its `properties`, and calls `validate(context)` with the paths of the
 * manifests the app wrote (see cdk8s-cli's `src/plugins/validation.ts`). The plugin analyzes
 * them as `IstioApp` would, prints the same one-line-per-finding report, adds every error to the
 * CLI's report and submits it; the CLI then exits with 2 when a report failed.
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-istio/dist/lib/plugin/validation-plugin.js
 *     version: 0.1.0
 *     class: IstioValidation
 *     properties:
 *       warningsAsErrors: true
 *       suppressions: [{ code: IST0118 }]
 * ```
 *
 * Exported from `cdk8s-istio/plugin`, not from the package's main entry: its parameter types
 * are cdk8s-cli's, which other languages do not have.
 */
import { AnalysisOptions, MeshAnalysis, Suppression } from '../analysis/engine';
import { Finding, Manifest, Severity } from '../analysis/finding';
import { findingCode } from '../analysis/codes';
import { formatForSynth } from '../app/reporting';
import { loadFile } from '../cli/load';

/** The properties `IstioValidation` accepts: the analysis options of `IstioApp`. */
export type IstioValidationProps = AnalysisOptions;

/** A resource named by a violation (cdk8s-cli's `ValidationViolatingResource`). */
export interface ValidationViolatingResource {
  readonly resourceName: string;
  readonly locations: readonly string[];
  readonly manifestPath: string;
}

/** A violation of one rule (cdk8s-cli's `ValidationViolation`). */
export interface ValidationViolation {
  readonly ruleName: string;
  readonly recommendation: string;
  readonly fix: string;
  readonly violatingResources: readonly ValidationViolatingResource[];
}

/** What the plugin uses of cdk8s-cli's `ValidationContext`. */
export interface ValidationContext {
  /** Paths of the manifests the app wrote. */
  readonly manifests: readonly string[];
  /** Construct paths by resource name (recorded when `validations:` is set). */
  readonly metadata?: { readonly [resourceName: string]: { readonly path: string } };
  readonly report: {
    addViolation(violation: ValidationViolation): void;
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
  readonly logger: { log(message: string): void };
}

const OPTION_KEYS: readonly string[] = ['warningsAsErrors', 'suppressions', 'defaultNamespace'];
const SUPPRESSION_KEYS: readonly string[] = ['code', 'kind', 'name', 'namespace'];

/**
 * The cdk8s validation plugin of cdk8s-istio: the mesh analysis over the manifests `cdk8s synth`
 * wrote, with the options of `IstioApp` (`warningsAsErrors`, `suppressions`,
 * `defaultNamespace`) as its `properties`.
 */
export class IstioValidation {
  private readonly options: AnalysisOptions;
  private readonly problems: string[];

  public constructor(properties: IstioValidationProps = {}) {
    this.problems = checkProperties(properties);
    this.options = this.problems.length === 0 ? { ...properties } : {};
  }

  /** Analyzes `context.manifests`, prints the report and fills the CLI's report. */
  public async validate(context: ValidationContext): Promise<void> {
    if (this.problems.length > 0) {
      context.logger.log(`cdk8s-istio: the plugin's properties in cdk8s.yaml are invalid:\n  ${this.problems.join('\n  ')}`);
      context.report.addViolation({
        ruleName: 'cdk8s-istio plugin properties',
        recommendation: this.problems.join('; '),
        fix: `use only ${OPTION_KEYS.join(', ')} under properties:`,
        violatingResources: [],
      });
      context.report.submit('failure');
      return;
    }
    const paths = context.metadata ?? {};
    const manifests: Manifest[] = [];
    for (const file of context.manifests) {
      for (const m of loadFile(file)) {
        const constructPath = paths[m.object?.metadata?.name]?.path;
        manifests.push({ object: m.object, source: { ...m.source, constructPath } });
      }
    }
    const findings = MeshAnalysis.analyze(manifests, this.options);
    const errors = MeshAnalysis.errors(findings);
    if (findings.length > 0) {
      const lines = findings.map((f) => `${f.severity} ${f.code} ${formatForSynth(f)}`);
      context.logger.log(lines.join('\n'));
    }
    for (const [code, group] of groupByCode(errors)) {
      const info = findingCode(code);
      context.report.addViolation({
        ruleName: info ? `${code} ${info.title}` : code,
        recommendation: info?.description ?? group[0].message,
        fix: group.map((f) => `${f.kind}/${f.name}${f.field ? ` ${f.field}` : ''}: ${f.message}`).join('; '),
        violatingResources: group.map((f) => ({
          resourceName: f.name,
          locations: [f.field ?? ''],
          manifestPath: f.file ?? '',
        })),
      });
    }
    const count = (severity: Severity) => String(findings.filter((f) => f.severity === severity).length);
    context.report.submit(errors.length > 0 ? 'failure' : 'success', {
      errors: String(errors.length),
      warnings: count(Severity.WARNING),
      objects: String(manifests.length),
    });
  }
}

function groupByCode(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(f.code, [...(groups.get(f.code) ?? []), f]);
  return groups;
}

/** What is wrong with the properties written in cdk8s.yaml (a YAML mapping, not checked by a compiler). */
function checkProperties(properties: unknown): string[] {
  const problems: string[] = [];
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) return ['properties must be a mapping'];
  const p = properties as Record<string, unknown>;
  for (const key of Object.keys(p)) {
    if (!OPTION_KEYS.includes(key)) problems.push(`properties.${key}: unknown option (known: ${OPTION_KEYS.join(', ')})`);
  }
  if (p.warningsAsErrors !== undefined && typeof p.warningsAsErrors !== 'boolean') {
    problems.push(`properties.warningsAsErrors (${JSON.stringify(p.warningsAsErrors)}) must be true or false`);
  }
  if (p.defaultNamespace !== undefined && typeof p.defaultNamespace !== 'string') {
    problems.push(`properties.defaultNamespace (${JSON.stringify(p.defaultNamespace)}) must be a string`);
  }
  if (p.suppressions !== undefined) {
    if (!Array.isArray(p.suppressions)) {
      problems.push('properties.suppressions must be a list of { code, kind?, name?, namespace? }');
    } else {
      (p.suppressions as unknown[]).forEach((s, i) => problems.push(...checkSuppression(s, `properties.suppressions[${i}]`)));
    }
  }
  return problems;
}

function checkSuppression(s: unknown, at: string): string[] {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return [`${at} must be a mapping { code, kind?, name?, namespace? }`];
  const entry = s as Record<string, unknown> & Partial<Suppression>;
  const problems: string[] = [];
  if (typeof entry.code !== 'string' || findingCode(entry.code) === undefined) {
    problems.push(`${at}.code (${JSON.stringify(entry.code)}) must be a finding code such as IST0118`);
  }
  for (const key of Object.keys(entry)) {
    if (!SUPPRESSION_KEYS.includes(key)) problems.push(`${at}.${key}: unknown field (known: ${SUPPRESSION_KEYS.join(', ')})`);
    else if (typeof entry[key] !== 'string') problems.push(`${at}.${key} (${JSON.stringify(entry[key])}) must be a string`);
  }
  return problems;
}
