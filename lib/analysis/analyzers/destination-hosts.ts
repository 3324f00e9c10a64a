import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { lookupHost, notVisibleReason, viewersOf } from '../closed-world';
import { destinationsOf } from '../destinations';
import { ProviderPort } from '../model';

/**
 * IST0101 / IST0112, like Istio's `virtualservice.DestinationHostAnalyzer`: every route and
 * mirror destination must name a host some Service/ServiceEntry provides (visible from the
 * VirtualService's namespace); a given port must be one of the target's ports; without a
 * port, the target must have at most one port. Hosts outside the set are not judged
 * (see closed-world.ts).
 * @internal
 */
export const destinationHostAnalyzer: Analyzer = {
  name: 'destination-hosts',
  analyze(model, report) {
    for (const vs of model.virtualServices) {
      for (const { destination, field, mirror } of destinationsOf(vs)) {
        const host = destination.host;
        if (typeof host !== 'string' || host === '') continue;
        const lookup = lookupHost(model, host, vs.namespace, viewersOf(vs));
        const what = mirror ? 'mirror host' : 'destination host';
        if (lookup.providers.length === 0) {
          if (!lookup.judged) continue;
          const fix = lookup.hint ?? 'create the Service (or a ServiceEntry for it), or correct the host name';
          report(
            vs,
            CODES.ReferencedResourceNotFound,
            `${field}.host`,
            `${what} '${host}' not found: ${notVisibleReason(model, lookup, viewersOf(vs))}; ${fix}`,
          );
          continue;
        }
        const ports = unionPorts(lookup.providers.map((p) => p.ports));
        const port = destination.port?.number;
        if (port === undefined || port === null) {
          if (ports.length > 1) {
            report(
              vs,
              CODES.VirtualServiceDestinationPortSelectorRequired,
              `${field}.port`,
              `${what} '${host}' exposes several ports (${formatPorts(ports)}) and the destination names none; set port.number to one of them`,
            );
          }
          continue;
        }
        if (!ports.some((p) => p.number === port)) {
          report(
            vs,
            CODES.ReferencedResourceNotFound,
            `${field}.port.number`,
            `port ${port} of ${what} '${host}' not found: '${lookup.fqdn}' has ports ${ports.length > 0 ? formatPorts(ports) : 'none'}; use one of them or add the port to the Service`,
          );
        }
      }
    }
  },
};

function unionPorts(lists: ReadonlyArray<readonly ProviderPort[]>): ProviderPort[] {
  const seen = new Map<number, ProviderPort>();
  for (const list of lists) for (const p of list) if (!seen.has(p.number)) seen.set(p.number, p);
  return [...seen.values()];
}

function formatPorts(ports: readonly ProviderPort[]): string {
  return ports.map((p) => (p.name ? `${p.number} '${p.name}'` : `${p.number}`)).join(', ');
}
