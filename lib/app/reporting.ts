import { fieldAndMessage } from '../analysis/format';
import { Finding, Severity } from '../analysis/finding';

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
