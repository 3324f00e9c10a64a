import { Finding, Manifest, Severity } from '../analysis/finding';
import { MeshAnalysis } from '../analysis/engine';
import { fieldAndMessage } from '../analysis/format';
import { CliUsageError, formatOf, parseFlags, reportCliError } from './args';
import { GRAPH_USAGE, graphCommand } from './graph';
import { collectFiles, DEFAULT_LIMITS, DEFAULT_MAX_DOCUMENT_MIB, DEFAULT_MAX_FILE_MIB, InputError, LoadLimits, loadFile } from './load';
import { routeCommand } from './route';
import { testCasesCommand } from './test-cases';

/** Where the CLI writes. @internal */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const USAGE = `Usage: cdk8s-istio analyze <file|dir>... [--format text|json] [--strict] [--namespace <ns>] [--max-file-size <MiB>] [--max-document-size <MiB>]
       cdk8s-istio graph <file|dir>... [--format mermaid|dot|html|svg] [--out FILE] (see graph --help)

Analyzes Kubernetes and Istio manifests (every .yaml/.yml file below the given paths,
multi-document) as \`istioctl analyze\` would, without a cluster.

Options:
  --format text|json  one line per finding and a summary (default), or a JSON array of findings
  --strict            report warnings as errors
  --namespace <ns>    namespace of objects that set none (default: default)
  --max-file-size <MiB>
                      refuse files larger than this (default: ${DEFAULT_MAX_FILE_MIB}); memory use is
                      about 20 times the size of a file of small manifests
  --max-document-size <MiB>
                      refuse single documents larger than this (default: ${DEFAULT_MAX_DOCUMENT_MIB});
                      one document takes up to 100 times its size while it is read
  -h, --help          show this help

Input is read as \`kubectl apply\` reads it (YAML 1.1 types, then JSON). Refused with exit 2:
paths that are neither files nor folders (devices, FIFOs, sockets), files over the size limit,
nesting deeper than ${DEFAULT_LIMITS.maxDepth} levels, alias expansion beyond ${DEFAULT_LIMITS.maxAliasCount}, mapping keys that are
collections, .nan/.inf values.

Exit status: 0 no errors, 1 errors found, 2 usage error or unreadable/invalid input.

Other commands: route (explain how a request is routed), test (run routing test cases);
see cdk8s-istio <command> --help.
`;

const PROCESS_IO: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

interface Args {
  readonly paths: string[];
  readonly format: 'text' | 'json';
  readonly strict: boolean;
  readonly namespace?: string;
  readonly limits: LoadLimits;
}

/**
 * Runs `cdk8s-istio <argv...>` and returns the exit status (0, 1 or 2).
 * @internal
 */
export function main(argv: readonly string[], io: CliIo = PROCESS_IO): number {
  if (argv.length === 0 || ['-h', '--help', 'help'].includes(argv[0])) {
    (argv.length === 0 ? io.stderr : io.stdout)(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === 'route') return routeCommand(argv.slice(1), io);
  if (argv[0] === 'test') return testCasesCommand(argv.slice(1), io);
  try {
    if (argv[0] === 'graph') return graph(argv.slice(1), io);
    if (argv[0] !== 'analyze') throw new CliUsageError(`unknown command '${argv[0]}'`);
    if (argv.slice(1).some((a) => a === '-h' || a === '--help')) {
      io.stdout(USAGE);
      return 0;
    }
    const args = parseArgs(argv.slice(1));
    return analyze(args, io);
  } catch (e) {
    return reportCliError(e, io, USAGE);
  }
}

function graph(args: readonly string[], io: CliIo): number {
  if (args.some((a) => a === '-h' || a === '--help')) {
    io.stdout(GRAPH_USAGE);
    return 0;
  }
  try {
    const { text, out } = graphCommand(args);
    if (out === undefined) io.stdout(text);
    return 0;
  } catch (e) {
    return reportCliError(e, io, GRAPH_USAGE);
  }
}

/** Entry point of `bin/cdk8s-istio`. @internal */
export function run(): void {
  process.exitCode = main(process.argv.slice(2));
}

const SIZE_FLAGS: readonly ['--max-file-size' | '--max-document-size', keyof LoadLimits][] = [
  ['--max-file-size', 'maxFileBytes'],
  ['--max-document-size', 'maxDocumentBytes'],
];

function parseArgs(args: readonly string[]): Args {
  const { positionals: paths, values } = parseFlags(
    args,
    ['--format', '--namespace', ...SIZE_FLAGS.map(([flag]) => flag)],
    { '-n': '--namespace' },
    [],
    ['--strict'],
  );
  if (paths.length === 0) throw new CliUsageError('no file or directory given');
  let limits = DEFAULT_LIMITS;
  for (const [flag, limit] of SIZE_FLAGS) {
    const v = values.get(flag)?.[0];
    if (v === undefined) continue;
    const n = Number(v);
    if (!/^[0-9]+(\.[0-9]+)?$/.test(v) || !(n > 0) || n > 1024 * 1024) {
      throw new CliUsageError(`${flag} must be a positive number of MiB, not '${v}'`);
    }
    limits = { ...limits, [limit]: Math.floor(n * 1024 * 1024) };
  }
  return { paths, format: formatOf(values), strict: values.has('--strict'), namespace: values.get('--namespace')?.[0], limits };
}

function analyze(args: Args, io: CliIo): number {
  const files = collectFiles(args.paths);
  if (files.length === 0) throw new InputError(`no .yaml or .yml files found in ${args.paths.join(', ')}`);
  const manifests: Manifest[] = [];
  for (const file of files) for (const m of loadFile(file, args.limits)) manifests.push(m);
  const findings = MeshAnalysis.analyze(manifests, { warningsAsErrors: args.strict, defaultNamespace: args.namespace });
  const errors = findings.filter((f) => f.severity === Severity.ERROR).length;
  if (args.format === 'json') {
    io.stdout(`${JSON.stringify(findings, null, 2)}\n`);
  } else {
    const defaultNamespace = args.namespace ?? 'default';
    const lines = lineIndex(manifests, defaultNamespace);
    const out = findings.map((f) => `${formatLine(f, lines, defaultNamespace)}\n`).join('');
    const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    io.stdout(
      `${out}${plural(errors, 'error')}, ${plural(count(Severity.WARNING), 'warning')}, ${plural(count(Severity.INFO), 'info')} in ${plural(manifests.length, 'object')} from ${plural(files.length, 'file')}\n`,
    );
  }
  return errors > 0 ? 1 : 0;
}

// file|kind|namespace|name -> line of the document; ambiguous keys get no line.
function lineIndex(manifests: readonly Manifest[], defaultNamespace: string): Map<string, number | undefined> {
  const index = new Map<string, number | undefined>();
  for (const m of manifests) {
    const o = m.object;
    const key = `${m.source.file}|${o?.kind}|${o?.metadata?.namespace || defaultNamespace}|${o?.metadata?.name}`;
    index.set(key, index.has(key) ? undefined : m.source.line);
  }
  return index;
}

function formatLine(f: Finding, lines: Map<string, number | undefined>, defaultNamespace: string): string {
  const line = lines.get(`${f.file}|${f.kind}|${f.namespace ?? defaultNamespace}|${f.name}`);
  const where = f.file ? ` (${f.file}${line ? `:${line}` : ''})` : '';
  return `${f.severity} ${f.code} ${f.kind}/${f.name}${where}: ${fieldAndMessage(f)}`;
}
