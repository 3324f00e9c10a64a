import { GraphEdge, GraphEdgeKind, GraphTrace } from './graph-types';
import { Manifest } from '../analysis/finding';
import { MeshModel } from '../analysis/model';
import { arr, isObject } from '../kinds/common';
import { RoutingDecision } from '../simulation/decision';
import { MeshSimulator } from '../simulation/mesh-simulator';
import { SimulatedRequest } from '../simulation/request';

/**
 * The paths of requests through the graph, decided by the routing simulator: the edges of the
 * rule that decides each request (from the gateway it enters by, or from the host's node for a
 * sidecar), so the HTML page highlights what Istio's proxies would do, shadowed rules included.
 * @internal
 */
export function tracesOf(
  manifests: Manifest[],
  edges: readonly GraphEdge[],
  requests: readonly SimulatedRequest[],
  defaultNamespace: string,
): GraphTrace[] {
  if (requests.length === 0) return [];
  const simulator = MeshSimulator.fromSourcedManifests(manifests, { defaultNamespace });
  return requests.map((request) => {
    const decision = simulator.request(request);
    const gateway = request.gateway === undefined ? undefined : gatewayId(request.gateway, defaultNamespace);
    const taken = edges.filter(
      (e) =>
        e.kind !== GraphEdgeKind.CALL &&
        e.virtualService === decision.virtualService &&
        e.rule === decision.rule &&
        (gateway ? e.from === gateway : !e.from.startsWith('gateway/')),
    );
    return { label: requestLabel(request), edges: taken.map((e) => e.id), outcome: outcomeOf(decision) };
  });
}

/**
 * One example request per HTTP rule that is a catch-all or whose first match can be turned into a
 * request (exact or prefix URI, headers and query parameters by exact or prefix value), from each
 * gateway the VirtualService is bound to or from a sidecar of its namespace.
 * @internal
 */
export function exampleRequests(model: MeshModel): SimulatedRequest[] {
  const requests: SimulatedRequest[] = [];
  for (const vs of model.virtualServices) {
    const host = arr(vs.spec.hosts).find((h) => typeof h === 'string' && !h.includes('*'));
    const gateways = arr(vs.spec.gateways).filter((g): g is string => typeof g === 'string' && g !== 'mesh');
    const callers: { gateway?: string; sourceNamespace?: string }[] =
      gateways.length > 0
        ? gateways.map((g) => ({ gateway: g.includes('/') ? g : `${vs.namespace}/${g}` }))
        : [{ sourceNamespace: vs.namespace }];
    arr(vs.spec.http).forEach((rule) => {
      const example = isObject(rule) ? exampleOf(arr(rule.match)[0]) : undefined;
      if (!example) return;
      for (const caller of callers) requests.push({ host: host ?? 'example.com', ...caller, ...example });
    });
  }
  return requests;
}

function exampleOf(match: unknown): Omit<SimulatedRequest, 'host'> | undefined {
  if (match === undefined) return {}; // a catch-all: any request
  if (!isObject(match)) return undefined;
  const value = (m: unknown): string | undefined => {
    if (!isObject(m)) return undefined;
    if (typeof m.exact === 'string') return m.exact;
    return typeof m.prefix === 'string' ? m.prefix : undefined;
  };
  const uri = match.uri === undefined ? undefined : value(match.uri);
  if (match.uri !== undefined && uri === undefined) return undefined;
  const headers: { [name: string]: string } = {};
  for (const [name, m] of Object.entries(isObject(match.headers) ? match.headers : {})) {
    const v = value(m);
    if (v === undefined) return undefined;
    headers[name] = v;
  }
  const queryParams: { [name: string]: string } = {};
  for (const [name, m] of Object.entries(isObject(match.queryParams) ? match.queryParams : {})) {
    const v = value(m);
    if (v === undefined) return undefined;
    queryParams[name] = v;
  }
  if (Object.keys(match).some((k) => !['uri', 'headers', 'queryParams', 'name'].includes(k))) return undefined;
  return {
    ...(uri === undefined ? {} : { uri }),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(Object.keys(queryParams).length > 0 ? { queryParams } : {}),
  };
}

function requestLabel(r: SimulatedRequest): string {
  const headers = Object.entries(r.headers ?? {}).map(([k, v]) => ` ${k}: ${v}`);
  const query = Object.entries(r.queryParams ?? {}).map(([k, v]) => `${k}=${v}`);
  const from = r.gateway ? ` via ${r.gateway}` : r.sourceNamespace ? ` from ${r.sourceNamespace}` : '';
  return `${r.method ?? 'GET'} ${r.host} ${r.uri ?? '/'}${query.length > 0 ? `?${query.join('&')}` : ''}${headers.join('')}${from}`;
}

function outcomeOf(d: RoutingDecision): string {
  const where = d.virtualService ? `${d.virtualService} ${d.rule ?? ''}`.trim() : 'no VirtualService';
  const destinations = d.destinations
    .filter((x) => x.weight > 0)
    .map((x) => `${x.host.split('.')[0]}${x.subset ? ` ${x.subset}` : ''}${x.weight < 100 ? ` ${x.weight}%` : ''}`);
  return `${where}: ${d.outcome}${destinations.length > 0 ? ` → ${destinations.join(', ')}` : ''}`;
}

function gatewayId(gateway: string, defaultNamespace: string): string {
  return `gateway/${gateway.includes('/') ? gateway : `${defaultNamespace}/${gateway}`}`;
}
