/**
 * Writes the table of finding codes into README.md, between the markers
 * `<!-- codes:start ... -->` and `<!-- codes:end -->` of the "Mesh analysis" section, from the
 * catalogue in lib/analysis/codes.ts. Only the text between the markers changes.
 *
 * Usage: npm run docs:codes
 *
 * test/analysis/codes.test.ts regenerates the table in memory and fails when README.md differs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FINDING_CODES, FindingCode } from '../lib/analysis/codes';

/** The README the table is written into. */
export const README = path.join(__dirname, '..', 'README.md');
const START = /<!-- codes:start\b[^>]*-->\n/g;
const END = '<!-- codes:end -->';

/** The Markdown table of every catalogued code, one row per code, ending with a newline. */
export function codesTable(codes: readonly FindingCode[] = FINDING_CODES): string {
  const rows = codes.map((c) => `| ${c.code} | ${c.severity} | ${cell(c.title)} | ${cell(c.description)} |`);
  return ['| Code | Severity | Title | What it means |', '| --- | --- | --- | --- |', ...rows, ''].join('\n');
}

/** `readme` with the text between the code markers replaced by {@link codesTable}. */
export function withCodesTable(readme: string, table: string = codesTable()): string {
  const starts = [...readme.matchAll(START)];
  if (starts.length !== 1) throw new Error(`README.md must contain exactly one '<!-- codes:start -->' line (found ${starts.length})`);
  const from = starts[0].index + starts[0][0].length;
  const to = readme.indexOf(END, from);
  if (to < 0 || readme.indexOf(END, to + END.length) >= 0) {
    throw new Error(`README.md must contain exactly one '${END}' after '<!-- codes:start -->'`);
  }
  return readme.slice(0, from) + table + readme.slice(to);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

if (require.main === module) {
  const before = fs.readFileSync(README, 'utf8');
  const after = withCodesTable(before);
  if (after === before) {
    console.log(`README.md: table of ${FINDING_CODES.length} codes is up to date`);
  } else {
    fs.writeFileSync(README, after);
    console.log(`README.md: wrote the table of ${FINDING_CODES.length} codes`);
  }
}
