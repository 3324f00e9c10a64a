import { MeshAnalysis } from '../../lib/analysis/engine';
import { analyze } from './helpers';

// The webhook's unreachable-rule and ineffective-match warnings are our analyzers IST0130/IST0131.
const UNREACHABLE = new Set(['IST0130', 'IST0131']);

/** What Istio's webhook answers for an object: it rejects it, accepts it with a warning, or accepts it silently. */
export type Verdict = 'error' | 'warning' | 'clean';

/**
 * One situation of Istio's own validation tests, restated in our fixtures: the object, Istio's
 * verdict, and (for errors and warnings) a field our finding must name.
 */
export interface Situation {
  readonly situation: string;
  readonly object: any;
  readonly verdict: Verdict;
  /** A field that must carry a finding of the verdict's severity. */
  readonly field?: string;
  /** A field that must (also) carry a warning, whatever the verdict. */
  readonly warnsAt?: string;
}

/** The verdict of the schema check and the rule book together, as the analysis reports it. */
export function verdictOf(object: any): { verdict: Verdict; fields: string[]; warned: string[] } {
  const unreachable = MeshAnalysis.analyze([{ object, source: {} }])
    .filter((f) => UNREACHABLE.has(f.code))
    .map((f) => ({ ...f, severity: 'warning' as const }));
  const findings = [...analyze(object), ...unreachable];
  const errors = findings.filter((f) => f.severity === 'error');
  const warned = findings.filter((f) => f.severity === 'warning').map((f) => f.field ?? '');
  if (errors.length > 0) return { verdict: 'error', fields: errors.map((f) => f.field ?? ''), warned };
  if (warned.length > 0) return { verdict: 'warning', fields: warned, warned };
  return { verdict: 'clean', fields: [], warned };
}

/** Declares one test per situation of a validator: same verdict as Istio, on the named field. */
export function sameVerdicts(validator: string, situations: readonly Situation[]): void {
  describe(`${validator} (${situations.length} upstream situations)`, () => {
    test.each(situations.map((s) => [s.situation, s] as const))('%s', (_name, s) => {
      const { verdict, fields, warned } = verdictOf(s.object);
      expect({ situation: s.situation, verdict }).toEqual({ situation: s.situation, verdict: s.verdict });
      if (s.field !== undefined) expect(fields).toContain(s.field);
      if (s.warnsAt !== undefined) expect(warned).toContain(s.warnsAt);
    });
  });
}
