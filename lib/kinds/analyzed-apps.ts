import { IConstruct } from 'constructs';

/**
 * The apps whose synth runs the mesh analysis, which applies the rule book to every Istio
 * object. An Istio construct in such an app leaves its synth-time rule-book check to the
 * analysis, so that each problem is reported once (and warnings are reported at all).
 * `IstioApp` and `SynthAnalysis.of()` register the app; nothing else does.
 */
const ANALYZED = new WeakSet<IConstruct>();

/** Records that the synth of the app rooted at `root` runs the mesh analysis. @internal */
export function registerAnalyzedApp(root: IConstruct): void {
  ANALYZED.add(root);
}

/** True when the synth of the app rooted at `root` runs the mesh analysis. @internal */
export function isAnalyzedApp(root: IConstruct): boolean {
  return ANALYZED.has(root);
}
