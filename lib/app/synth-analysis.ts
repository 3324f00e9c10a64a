import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AnalysisOptions, MeshAnalysis } from '../analysis/engine';
import { Finding, Manifest } from '../analysis/finding';
import { registerAnalyzedApp } from '../kinds/analyzed-apps';
import { installReportHandler } from '../kinds/errors';
import { IstioApp } from './istio-app';
import { formatForSynth, printNonErrors } from './reporting';

const ID = 'cdk8s-istio.MeshAnalysis';

/**
 * The mesh analysis of a plain cdk8s app, run as a construct validation.
 *
 * `SynthAnalysis.of(scope)` creates (once) a child of the app root whose validation analyzes
 * every `ApiObject` of the app; any construct may call it, so that `app.synth()`,
 * `Testing.synth(chart)` and `chart.toJson()` fail with the analysis errors (warnings are
 * printed to stderr). {@link IstioApp} validates and analyzes once for the whole app and
 * writes nothing when there are errors; in an IstioApp this validation does nothing, since the
 * app's own synth runs the analysis.
 *
 * cdk8s validates the whole app again for every chart it writes (`chart.toJson()`). So that
 * `app.synth()` and `app.synthYaml()` analyze once, `of()` wraps those two methods of the app:
 * while one runs, the first validation's findings serve the later ones, and they are dropped
 * when it returns, so later changes are seen. Outside them (`Testing.synth`, `chart.toJson()`),
 * each validation analyzes afresh. cdk8s (2.70) offers no explicit mechanism instead: its
 * `AppProps` take no validations, construct validations (`IValidation`) are told nothing about
 * the synth they run in, and `Chart.toJson()` validates the whole app each time it is called.
 * To run the analysis after `cdk8s synth` without touching `synth`, use the validation plugin
 * (`cdk8s-istio/plugin`) instead.
 */
export class SynthAnalysis extends Construct {
  /** The analysis of the app `scope` belongs to, created on first use. */
  public static of(scope: IConstruct): SynthAnalysis {
    const root = scope.node.root;
    const existing = root.node.tryFindChild(ID);
    if (existing instanceof SynthAnalysis) return existing;
    return new SynthAnalysis(root, ID);
  }

  private _options: AnalysisOptions = {};
  private _cached?: Finding[];
  private _synthsRunning = 0;

  private constructor(scope: IConstruct, id: string) {
    super(scope as Construct, id);
    registerAnalyzedApp(scope);
    installReportHandler();
    this.node.addValidation({ validate: () => this._validate() });
    this._analyzeOncePerSynth(scope);
  }

  /** Sets the analysis options (strict mode, suppressions, default namespace). */
  public configure(options: AnalysisOptions): void {
    this._options = { ...options };
    this._cached = undefined;
  }

  /** Analyzes the app as it is now and returns every finding. */
  public analyze(): Finding[] {
    return MeshAnalysis.analyze(collectManifests(this.node.root), this._options);
  }

  private _validate(): string[] {
    if (this.node.root instanceof IstioApp) return [];
    let findings = this._cached;
    if (!findings) {
      findings = this.analyze();
      printNonErrors(findings);
      if (this._synthsRunning > 0) this._cached = findings;
    }
    return MeshAnalysis.errors(findings).map(formatForSynth);
  }

  // Wraps the app's synth() and synthYaml(): inside them, findings are computed once (see the class doc).
  private _analyzeOncePerSynth(root: IConstruct): void {
    const app = root as unknown as Record<string, unknown>;
    for (const method of ['synth', 'synthYaml']) {
      const original = app[method];
      if (typeof original !== 'function') continue;
      app[method] = (...args: unknown[]) => {
        this._synthsRunning++;
        try {
          return original.apply(root, args);
        } finally {
          if (--this._synthsRunning === 0) this._cached = undefined;
        }
      };
    }
  }
}

/** Every ApiObject under `root` as a manifest with its construct path; objects that fail to render are skipped. */
function collectManifests(root: IConstruct): Manifest[] {
  const manifests: Manifest[] = [];
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    try {
      manifests.push({ object: c.toJson(), source: { constructPath: c.node.path } });
    } catch {
      // Its own rendering error surfaces when the chart is synthesized.
    }
  }
  return manifests;
}
