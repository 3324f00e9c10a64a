import * as fs from 'fs';
import { collectFiles, InputError, loadFile } from './load';
import { GraphFormat } from '../graph/graph-types';
import { MeshGraph } from '../graph/mesh-graph';

/** Help of `cdk8s-istio graph`. @internal */
export const GRAPH_USAGE = `Usage: cdk8s-istio graph <file|dir>... [--format mermaid|dot|html|svg] [--out FILE]
                         [--namespace <ns>] [--call <from>=<to>]... [--title <text>]

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

Exit status: 0 drawn, 2 usage error or unreadable/invalid input.
`;

const FORMATS = Object.values(GraphFormat) as string[];

/** A mistake in the command line of `graph`. @internal */
export class GraphUsageError extends Error {}

/** Runs `cdk8s-istio graph <args>` and returns what it writes. @internal */
export function graphCommand(args: readonly string[]): { text: string; out?: string } {
  const paths: string[] = [];
  const calls: { from: string; to: string }[] = [];
  let format = GraphFormat.MERMAID;
  let out: string | undefined;
  let namespace: string | undefined;
  let title: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => {
      const v = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (v === undefined || v === '') throw new GraphUsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--format') {
      const v = value();
      if (!FORMATS.includes(v)) throw new GraphUsageError(`--format must be one of ${FORMATS.join(', ')}, not '${v}'`);
      format = v as GraphFormat;
    } else if (flag === '--out' || flag === '-o') out = value();
    else if (flag === '--namespace' || flag === '-n') namespace = value();
    else if (flag === '--title') title = value();
    else if (flag === '--call') {
      const [from, to] = value().split('=', 2);
      if (!from || !to) throw new GraphUsageError(`--call takes <from>=<to>, e.g. --call productpage=details`);
      calls.push({ from, to });
    } else if (arg.startsWith('-') && arg !== '-') throw new GraphUsageError(`unknown option '${arg}'`);
    else paths.push(arg);
  }
  if (paths.length === 0) throw new GraphUsageError('no file or directory given');
  const files = collectFiles(paths);
  if (files.length === 0) throw new InputError(`no .yaml or .yml files found in ${paths.join(', ')}`);
  const graph = MeshGraph.fromManifestList(
    files.flatMap((f) => loadFile(f)),
    { defaultNamespace: namespace, calls, title },
  );
  const text = graph.render(format);
  if (out !== undefined) {
    try {
      fs.writeFileSync(out, text);
    } catch (e) {
      throw new InputError(`${out}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  }
  return { text, out };
}
