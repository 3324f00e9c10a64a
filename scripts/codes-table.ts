/**
 * Writes two tables into README.md, from the catalogue in lib/analysis/codes.ts, each between
 * its markers in the "Mesh analysis" section (only the text between the markers changes):
 * - the finding codes, between `<!-- codes:start ... -->` and `<!-- codes:end -->`;
 * - the coverage of `istioctl analyze`: every istioctl code, whether we report it and why not,
 *   between `<!-- istioctl-coverage:start ... -->` and `<!-- istioctl-coverage:end -->`.
 *
 * Usage: npm run docs:codes
 *
 * test/analysis/codes.test.ts regenerates the table in memory and fails when README.md differs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FINDING_CODES, FindingCode, UNIMPLEMENTED_ISTIOCTL_CODES, UnimplementedCode } from '../lib/analysis/codes';

/** The README the table is written into. */
export const README = path.join(__dirname, '..', 'README.md');
/** The Markdown table of every catalogued code (IST codes, then CDK codes, each by number), ending with a newline. */
export function codesTable(codes: readonly FindingCode[] = FINDING_CODES): string {
  const rows = [...codes]
    .sort((a, b) => byCode(a.code, b.code))
    .map((c) => `| ${c.code} | ${c.severity} | ${cell(c.title)} | ${cell(c.description)} |`);
  return ['| Code | Severity | Title | What it means |', '| --- | --- | --- | --- |', ...rows, ''].join('\n');
}

/**
 * The Markdown table of every `istioctl analyze` code, by number: reported (the IST codes of
 * `codes`) or not, with the reason from `unimplemented`; ends with a newline and a count.
 */
export function coverageTable(
  codes: readonly FindingCode[] = FINDING_CODES,
  unimplemented: readonly UnimplementedCode[] = UNIMPLEMENTED_ISTIOCTL_CODES,
): string {
  const reported = codes.filter((c) => c.code.startsWith('IST'));
  const rows = [
    ...reported.map((c) => ({ code: c.code, title: c.title, severity: c.severity, status: 'yes', why: '' })),
    ...unimplemented.map((c) => ({ code: c.code, title: c.title, severity: c.severity, status: 'no', why: c.reason })),
  ].sort((a, b) => byCode(a.code, b.code));
  return [
    '| Code | istioctl message | Level | Reported | Why not |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.code} | ${cell(r.title)} | ${r.severity} | ${r.status} | ${cell(r.why)} |`),
    '',
    `${reported.length} of the ${rows.length} istioctl codes are reported.`,
    '',
  ].join('\n');
}

/** `readme` with the text between the markers `<!-- <marker>:start ... -->` and `<!-- <marker>:end -->` replaced. */
export function withGeneratedSection(readme: string, marker: string, table: string): string {
  const start = new RegExp(`<!-- ${marker}:start\\b[^>]*-->\\n`, 'g');
  const end = `<!-- ${marker}:end -->`;
  const starts = [...readme.matchAll(start)];
  if (starts.length !== 1) throw new Error(`README.md must contain exactly one '<!-- ${marker}:start -->' line (found ${starts.length})`);
  const from = starts[0].index + starts[0][0].length;
  const to = readme.indexOf(end, from);
  if (to < 0 || readme.indexOf(end, to + end.length) >= 0) {
    throw new Error(`README.md must contain exactly one '${end}' after '<!-- ${marker}:start -->'`);
  }
  return readme.slice(0, from) + table + readme.slice(to);
}

/** `readme` with the text between the code markers replaced by {@link codesTable}. */
export function withCodesTable(readme: string, table: string = codesTable()): string {
  return withGeneratedSection(readme, 'codes', table);
}

/** `readme` with both generated tables current. */
export function withGeneratedTables(readme: string): string {
  return withGeneratedSection(withCodesTable(readme), 'istioctl-coverage', coverageTable());
}

// IST before CDK, then by number.
function byCode(a: string, b: string): number {
  const rank = (c: string) => (c.startsWith('IST') ? 0 : 1);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

if (require.main === module) {
  const before = fs.readFileSync(README, 'utf8');
  const after = withGeneratedTables(before);
  if (after === before) {
    console.log(`README.md: tables of ${FINDING_CODES.length} codes and of istioctl's coverage are up to date`);
  } else {
    fs.writeFileSync(README, after);
    console.log(`README.md: wrote the tables of ${FINDING_CODES.length} codes and of istioctl's coverage`);
  }
}
