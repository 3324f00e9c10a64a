/**
 * The fenced code blocks of README.md, with the attributes written after the language:
 * ```` ```ts file=main.ts variant=plugin ```` gives `{ lang: 'ts', attrs: { file: 'main.ts', variant: 'plugin' } }`
 * and ```` ```sh setup ```` gives `{ lang: 'sh', attrs: { setup: '' } }`.
 *
 * One parser for the README's test of snippets (test/readme-snippets.test.ts) and the consumer
 * end-to-end test (scripts/consumer-test.ts), which both take their code from the README.
 */
import * as fs from 'fs';
import * as path from 'path';

export const README = path.join(__dirname, '..', 'README.md');

/** One fenced code block. */
export interface ReadmeBlock {
  /** The language (`ts`, `sh`, `yaml`). */
  readonly lang: string;
  /** Words after the language: `key=value` or a bare flag (value ''). */
  readonly attrs: { readonly [key: string]: string };
  /** The text between the fences, ending with a newline. */
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

/** Every fenced block of `text` (README.md by default), in order. */
export function readmeBlocks(text: string = fs.readFileSync(README, 'utf8')): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)(.*)$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README.md:${i + 1}: code block is not closed`);
    const attrs: Record<string, string> = {};
    for (const word of open[2].trim().split(/\s+/).filter(Boolean)) {
      const eq = word.indexOf('=');
      if (eq < 0) attrs[word] = '';
      else attrs[word.slice(0, eq)] = word.slice(eq + 1);
    }
    blocks.push({ lang: open[1], attrs, code: lines.slice(i + 1, end).join('\n') + '\n', line: i + 1 });
    i = end;
  }
  return blocks;
}

/**
 * The files of the README's project setup: blocks with `file=`, those of `variant` replacing the
 * default ones of the same name.
 */
export function projectFiles(blocks: readonly ReadmeBlock[], variant?: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const b of blocks) if (b.attrs.file && b.attrs.variant === undefined) files.set(b.attrs.file, b.code);
  if (variant !== undefined) {
    for (const b of blocks) if (b.attrs.file && b.attrs.variant === variant) files.set(b.attrs.file, b.code);
  }
  return files;
}

/** The command lines of the blocks marked with `flag` (```` ```sh setup ````), in order. */
export function commands(blocks: readonly ReadmeBlock[], flag: string): string[] {
  return blocks
    .filter((b) => b.lang === 'sh' && b.attrs[flag] !== undefined)
    .flatMap((b) => b.code.split('\n'))
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
}
