import { Finding, Severity } from './finding';

/** Set on the root by IstioApp while its synth runs: it analyzes the app itself. @internal */
export const ISTIO_APP_SYNTH = Symbol.for('cdk8s-istio.IstioApp.synthInProgress');

/**
 * `<field>: <message>`, or the message alone when it already starts with the field
 * (the per-object checks write messages that way). @internal
 */
export function fieldAndMessage(f: Finding): string {
  return f.field && !f.message.startsWith(f.field) ? `${f.field}: ${f.message}` : f.message;
}

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
