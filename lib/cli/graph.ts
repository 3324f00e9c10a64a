import * as fs from 'fs';
import { CliUsageError, parseFlags } from './args';
import { InputError, readManifests } from './load';
import { GraphFormat } from '../graph/graph-types';
import { MeshGraph } from '../graph/mesh-graph';
import { SimulatedRequest } from '../simulation/request';

/** Help of `cdk8s-istio graph`. @internal */
export const GRAPH_USAGE = `Usage: cdk8s-istio graph <file|dir>... [--format mermaid|dot|html|svg] [--out FILE]
                         [--namespace <ns>] [--call <from>=<to>]... [--title <text>] [--requests FILE]

Draws the mesh the manifests describe: gateways, services and their versions (with the
workloads behind them), external hosts, and the routes between them with their matches and
weights; the analysis' findings are marked on what they concern.

Options:
  --format F          mermaid (default; paste into a pull request), dot, html (a self-contained
                      page with hover details), svg
  --out FILE          write to FILE instead of standard output
  --namespace <ns>    namespace of objects that set none (default: default)
  --call from=to      a call to draw (who calls whom), e.g. --call productpage=details
  --title <text>      title of the HTML page
  --requests FILE     a JSON array of requests ({"host", "uri", "headers", "gateway", ...}) whose
                      paths the HTML page can highlight (each rule also gets an example request)

Exit status: 0 drawn, 2 usage error or unreadable/invalid input.
`;

const FORMATS = Object.values(GraphFormat) as string[];

/** Runs `cdk8s-istio graph <args>`: writes the graph to `--out` and returns it. @internal */
export function graphCommand(args: readonly string[]): { text: string; out?: string } {
  const { positionals: paths, values } = parseFlags(
    args,
    ['--format', '--out', '--namespace', '--title', '--call', '--requests'],
    { '-o': '--out', '-n': '--namespace' },
    ['--call'],
  );
  const one = (flag: string) => values.get(flag)?.[0];
  const format = one('--format') ?? GraphFormat.MERMAID;
  if (!FORMATS.includes(format)) throw new CliUsageError(`--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
  const calls = (values.get('--call') ?? []).map((call) => {
    const [from, to] = call.split('=', 2);
    if (!from || !to) throw new CliUsageError('--call takes <from>=<to>, e.g. --call productpage=details');
    return { from, to };
  });
  if (paths.length === 0) throw new CliUsageError('no file or directory given');
  const requestsFile = one('--requests');
  const graph = MeshGraph.fromManifestList(readManifests(paths), {
    defaultNamespace: one('--namespace'),
    calls,
    title: one('--title'),
    requests: requestsFile === undefined ? undefined : readRequests(requestsFile),
  });
  const out = one('--out');
  const text = graph.render(format as GraphFormat);
  if (out !== undefined) {
    try {
      fs.writeFileSync(out, text);
    } catch (e) {
      throw new InputError(`${out}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  return { text, out };
}

function readRequests(file: string): SimulatedRequest[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`${file}: cannot read a JSON array of requests (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!Array.isArray(parsed) || !parsed.every((r) => typeof r === 'object' && r !== null && typeof r.host === 'string')) {
    throw new InputError(`${file}: must be a JSON array of requests, each with a "host"`);
  }
  return parsed as SimulatedRequest[];
}
