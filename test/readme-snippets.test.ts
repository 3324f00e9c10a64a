/**
 * Every TypeScript block of README.md compiles against the package's sources, imports included:
 * the project files of "Use it in your project" (with and without a variant) as one project
 * each, every other block as a file of its own. `cdk8s-istio` resolves to lib/index.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { projectFiles, readmeBlocks } from '../scripts/readme-blocks';

const ROOT = path.join(__dirname, '..');
const blocks = readmeBlocks();
const tsBlocks = blocks.filter((b) => b.lang === 'ts');

/** The README's own tsconfig.json, with `cdk8s-istio` mapped to the sources. */
function compilerOptions(dir: string): ts.CompilerOptions {
  const tsconfig = projectFiles(blocks).get('tsconfig.json');
  if (!tsconfig) throw new Error('README.md has no tsconfig.json block');
  const parsed = ts.parseJsonConfigFileContent(JSON.parse(tsconfig), ts.sys, dir);
  return {
    ...parsed.options,
    noEmit: true,
    // lib/ is compiled with the repository's settings; the README's must accept it too.
    resolveJsonModule: true,
    baseUrl: dir,
    paths: { 'cdk8s-istio': [path.join(ROOT, 'lib/index.ts')], '*': [path.join(ROOT, 'node_modules/*')] },
    typeRoots: [path.join(ROOT, 'node_modules/@types')],
  };
}

/** A file of the check: its path under the temporary directory and its text. */
const files = new Map<string, string>();
for (const [name, code] of projectFiles(blocks)) files.set(`project/${name}`, code);
for (const [name, code] of projectFiles(blocks, 'plugin')) files.set(`plugin/${name}`, code);
for (const b of tsBlocks.filter((x) => !x.attrs.file)) files.set(`snippets/readme-${b.line}.ts`, b.code);
// A file with a mistake, so that the check is seen to fail.
files.set('snippets/mistake.ts', "import { VersionedService } from 'cdk8s-istio';\nnew VersionedService();\n");

/** Diagnostics by file (relative name), of one program holding every file. */
let diagnostics: Map<string, string[]>;

beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-snippets-'));
  try {
    const names: string[] = [];
    for (const [name, code] of files) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), code);
      if (name.endsWith('.ts')) names.push(path.join(dir, name));
    }
    const program = ts.createProgram(names, compilerOptions(dir));
    diagnostics = new Map([...files.keys()].map((name) => [name, []]));
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const name = d.file ? path.relative(dir, d.file.fileName) : '(global)';
      if (name.startsWith('..')) continue;
      const line = d.file ? `:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      const list = diagnostics.get(name) ?? [];
      list.push(`${name}${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      diagnostics.set(name, list);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

test('the README has TypeScript blocks, each a project file or a snippet with its imports', () => {
  expect(tsBlocks.length).toBeGreaterThanOrEqual(6);
  for (const b of tsBlocks) {
    if (!b.attrs.file) expect({ line: b.line, imports: /^import /m.test(b.code) }).toEqual({ line: b.line, imports: true });
  }
  expect([...projectFiles(blocks).keys()].sort()).toEqual([
    'cdk8s.yaml',
    'jest.config.js',
    'main.test.ts',
    'main.ts',
    'mesh.ts',
    'tsconfig.json',
  ]);
  expect(projectFiles(blocks, 'plugin').get('main.ts')).toContain("import { App } from 'cdk8s'");
});

test.each([...files.keys()].filter((name) => name.endsWith('.ts') && name !== 'snippets/mistake.ts'))('%s compiles', (name) => {
  expect(diagnostics.get(name)).toEqual([]);
});

test('a snippet with a type error is reported (the check can fail)', () => {
  expect(diagnostics.get('snippets/mistake.ts')).toEqual(['snippets/mistake.ts:2: Expected 2-3 arguments, but got 0.']);
});

test('nothing outside the files is reported', () => {
  expect(diagnostics.get('(global)') ?? []).toEqual([]);
});
