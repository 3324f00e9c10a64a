import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AnalysisOptions, MeshAnalysis } from '../analysis/engine';
import { Finding, Manifest } from '../analysis/finding';
import { formatForSynth, ISTIO_APP_SYNTH, printNonErrors } from './reporting';

const ID = 'cdk8s-istio.MeshAnalysis';
const MARKER = Symbol.for('cdk8s-istio.SynthAnalysis');
const PATCHED = Symbol.for('cdk8s-istio.SynthAnalysis.patched');

/**
 * The mesh analysis of a plain cdk8s app, run as a construct validation.
 *
 * `SynthAnalysis.of(scope)` creates (once) a child of the app root whose validation analyzes
 * every `ApiObject` of the app; any construct may call it, so that `app.synth()`,
 * `Testing.synth(chart)` and `chart.toJson()` fail with the analysis errors (warnings are
 * printed to stderr). Use {@link IstioApp} for large apps: it validates and analyzes once
 * for the whole app and writes nothing when there are errors.
 *
 * Work happens once per synth: cdk8s validates the whole app once per chart during
 * `App.synth()`, so `of()` wraps the app's `synth()`/`synthYaml()`; while one of them runs,
 * the first validation computes the findings and later ones reuse them (the cache is dropped
 * when the call returns, so later changes are seen). Outside those calls (`Testing.synth`,
 * `chart.toJson()`), each validation analyzes afresh, which costs one analysis per call.
 */
export class SynthAnalysis extends Construct {
  /** The analysis of the app `scope` belongs to, created on first use. */
  public static of(scope: IConstruct): SynthAnalysis {
    const root = scope.node.root;
    const existing = root.node.tryFindChild(ID) as any;
    if (existing && existing[MARKER]) return existing as SynthAnalysis;
    return new SynthAnalysis(root, ID);
  }

  private _options: AnalysisOptions = {};
  private _cached?: Finding[];
  private _depth = 0;

  private constructor(scope: IConstruct, id: string) {
    super(scope as Construct, id);
    (this as any)[MARKER] = true;
    this.node.addValidation({ validate: () => this._validate() });
    this._wrapSynth(scope);
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
    const root: any = this.node.root;
    if (root[ISTIO_APP_SYNTH]) return [];
    let findings = this._depth > 0 ? this._cached : undefined;
    if (!findings) {
      findings = this.analyze();
      printNonErrors(findings);
      if (this._depth > 0) this._cached = findings;
    }
    return MeshAnalysis.errors(findings).map(formatForSynth);
  }

  // Opens a synth window around the app's synth methods, during which findings are cached.
  private _wrapSynth(root: IConstruct): void {
    const app: any = root;
    if (app[PATCHED]) return;
    app[PATCHED] = true;
    for (const method of ['synth', 'synthYaml']) {
      const original = app[method];
      if (typeof original !== 'function') continue;
      const enter = () => {
        this._depth++;
      };
      const leave = () => {
        if (--this._depth === 0) this._cached = undefined;
      };
      app[method] = function wrapped(this: unknown, ...args: unknown[]) {
        enter();
        try {
          return original.apply(this, args);
        } finally {
          leave();
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
