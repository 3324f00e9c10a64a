import { fieldAndMessage } from '../analysis/format';
import { Finding, Severity } from '../analysis/finding';

/** Set on the root by IstioApp while its synth runs: it analyzes the app itself. @internal */
export const ISTIO_APP_SYNTH = Symbol.for('cdk8s-istio.IstioApp.synthInProgress');

/** `[<construct path>] <Kind>/<name> <field>: <message> (<code>)`. @internal */
export function formatForSynth(f: Finding): string {
  const where = f.constructPath ?? f.file;
  return `${where ? `[${where}] ` : ''}${f.kind}/${f.name}${f.field ? ' ' : ': '}${fieldAndMessage(f)} (${f.code})`;
}

/** Prints warnings and infos to stderr, one line each. @internal */
export function printNonErrors(findings: readonly Finding[]): void {
  const lines = findings.filter((f) => f.severity !== Severity.ERROR).map((f) => `${f.severity} ${f.code} ${formatForSynth(f)}\n`);
  if (lines.length > 0) process.stderr.write(lines.join(''));
}
