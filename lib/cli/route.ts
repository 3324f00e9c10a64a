import { RouteOutcome } from '../simulation/decision';
import { MeshSimulator } from '../simulation/mesh-simulator';
import { MeshSimulatorOptions, OutboundTrafficPolicy, RequestProtocol, SimulatedRequest } from '../simulation/request';
import { CliUsageError, formatOf, parseFlags, reportCliError } from './args';
import { readManifests } from './load';
import type { CliIo } from './main';

/**
 * `cdk8s-istio route`: explains how one request is routed through a set of manifests.
 * @internal
 */

export const ROUTE_USAGE = `Usage: cdk8s-istio route <file|dir>... --host <host> [options]

Explains how Istio's proxies route one request through the manifests (every .yaml/.yml file
below the given paths): the VirtualService and rule that decide, the destinations with their
share, subset and workloads, and why each earlier rule did not match.

Request:
  --host <host>            authority / host asked for (short names resolve in the caller's namespace)
  --port <n>               destination port (default: the Service's first port, else 80)
  --method <m>             HTTP method (default GET)
  --uri <uri>              path and query (default /)
  -H, --header <n=v>       request header (repeatable)
  --query <k=v>            query parameter (repeatable)
  --scheme <s>             :scheme (default http)
  --protocol <p>           http, tcp or tls (default http)
  --sni <host>             SNI of a TLS request (default: the host)
Caller (one of):
  --gateway <ns/name>      the request enters through this Gateway
  --from <ns[/k=v,...]>    a sidecar in this namespace with these pod labels (default: the default namespace)
Options:
  --namespace <ns>         namespace of objects that set none (default: default)
  --outbound-policy <p>    allow-any (default) or registry-only: what happens to unknown hosts
  --format text|json       the explanation (default) or the decision as JSON
  -h, --help               show this help

Exit status: 0 the request is delivered (routed, redirected, answered, passed through),
1 it is not (no route, dropped, or a destination that cannot serve), 2 usage error or unreadable input.
`;

export function pairs(flag: string, list: readonly string[] | undefined): { [k: string]: string } {
  const out: { [k: string]: string } = {};
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new CliUsageError(`${flag} wants name=value, not '${item}'`);
    out[item.slice(0, eq).trim()] = item.slice(eq + 1);
  }
  return out;
}

/** The simulator options shared by `route` and `test`. @internal */
export function simulatorOptions(values: Map<string, string[]>): MeshSimulatorOptions {
  const policy = values.get('--outbound-policy')?.[0];
  if (policy !== undefined && policy !== 'allow-any' && policy !== 'registry-only') {
    throw new CliUsageError(`--outbound-policy must be 'allow-any' or 'registry-only', not '${policy}'`);
  }
  return {
    defaultNamespace: values.get('--namespace')?.[0],
    outboundTrafficPolicy: policy === 'registry-only' ? OutboundTrafficPolicy.REGISTRY_ONLY : OutboundTrafficPolicy.ALLOW_ANY,
  };
}

/** `--from ns/k=v,k2=v2` into a namespace and labels. @internal */
export function parseCaller(from: string): { sourceNamespace: string; sourceLabels: { [k: string]: string } } {
  const slash = from.indexOf('/');
  const ns = slash < 0 ? from : from.slice(0, slash);
  if (ns === '') throw new CliUsageError(`--from wants <namespace>[/label=value,...], not '${from}'`);
  const labels =
    slash < 0
      ? []
      : from
          .slice(slash + 1)
          .split(',')
          .filter((s) => s !== '');
  return { sourceNamespace: ns, sourceLabels: pairs('--from', labels) };
}

const ROUTE_FLAGS = [
  '--host',
  '--port',
  '--method',
  '--uri',
  '--header',
  '--query',
  '--scheme',
  '--protocol',
  '--sni',
  '--gateway',
  '--from',
  '--namespace',
  '--outbound-policy',
  '--format',
];

/** Runs `cdk8s-istio route <args>`; returns the exit status. @internal */
export function routeCommand(args: readonly string[], io: CliIo): number {
  if (args.some((a) => a === '-h' || a === '--help')) {
    io.stdout(ROUTE_USAGE);
    return 0;
  }
  try {
    const { positionals, values } = parseFlags(args, ROUTE_FLAGS, { '-H': '--header' }, ['--header', '--query']);
    if (positionals.length === 0) throw new CliUsageError('no file or directory given');
    const host = values.get('--host')?.[0];
    if (!host) throw new CliUsageError('--host is required');
    if (values.has('--gateway') && values.has('--from')) throw new CliUsageError('--gateway and --from exclude each other');
    const portText = values.get('--port')?.[0];
    const port = portText === undefined ? undefined : Number(portText);
    if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
      throw new CliUsageError(`--port must be a port number (1-65535), not '${portText}'`);
    }
    const protocolText = (values.get('--protocol')?.[0] ?? 'http').toUpperCase();
    if (!['HTTP', 'TCP', 'TLS'].includes(protocolText)) {
      throw new CliUsageError(`--protocol must be http, tcp or tls, not '${values.get('--protocol')?.[0]}'`);
    }
    const format = formatOf(values);
    const options = simulatorOptions(values);
    const from = values.get('--from')?.[0];
    const request: SimulatedRequest = {
      host,
      port,
      protocol: protocolText as RequestProtocol,
      method: values.get('--method')?.[0],
      uri: values.get('--uri')?.[0],
      scheme: values.get('--scheme')?.[0],
      sni: values.get('--sni')?.[0],
      headers: pairs('--header', values.get('--header')),
      queryParams: pairs('--query', values.get('--query')),
      gateway: values.get('--gateway')?.[0],
      ...(from !== undefined ? parseCaller(from) : {}),
    };
    const sim = MeshSimulator.fromSourcedManifests(readManifests(positionals), options);
    let decision;
    try {
      decision = sim.request(request);
    } catch (e) {
      throw new CliUsageError((e as Error).message);
    }
    io.stdout(format === 'json' ? `${JSON.stringify(decision.toJson(), null, 2)}\n` : `${decision.explain()}\n`);
    const failed =
      decision.outcome === RouteOutcome.NO_ROUTE ||
      decision.outcome === RouteOutcome.BLACKHOLE ||
      decision.destinations.some((d) => d.weight > 0 && d.problem !== undefined);
    return failed ? 1 : 0;
  } catch (e) {
    return reportCliError(e, io, ROUTE_USAGE);
  }
}
