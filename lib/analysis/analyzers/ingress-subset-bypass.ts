import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { ObjectRef } from '../model';
import { arr, isObject } from '../../kinds/common';

/**
 * IST0140, like the ingress check of Istio's `virtualservice.DestinationHostAnalyzer`: a
 * VirtualService with `gateways` routes an `http` destination without `subset` to a host, while
 * some VirtualService (it may be the same one) declares that host in its `hosts` and routes it
 * to a subset. Gateway traffic goes straight to the host, so the subset routing of that other
 * VirtualService does not apply to it. Hosts are compared as written, as in Istio. Reported
 * once per route destination, naming every such VirtualService.
 * @internal
 */
export const ingressSubsetBypassAnalyzer: Analyzer = {
  name: 'ingress-subset-bypass',
  analyze(model, report) {
    // host as written -> VirtualServices declaring it and routing it to a subset
    const splitters = new Map<string, ObjectRef[]>();
    for (const vs of model.virtualServices) {
      const hosts = new Set(arr(vs.spec.hosts).filter((h) => typeof h === 'string'));
      for (const rule of arr(vs.spec.http)) {
        for (const route of arr(rule?.route)) {
          const d = route?.destination;
          if (!isObject(d) || typeof d.subset !== 'string' || d.subset === '' || !hosts.has(d.host)) continue;
          const list = splitters.get(d.host as string) ?? [];
          if (!list.includes(vs)) list.push(vs);
          splitters.set(d.host as string, list);
        }
      }
    }
    for (const vs of model.virtualServices) {
      if (arr(vs.spec.gateways).length === 0) continue;
      arr(vs.spec.http).forEach((rule, i) => {
        arr(rule?.route).forEach((route, j) => {
          const d = route?.destination;
          if (!isObject(d) || typeof d.host !== 'string' || (typeof d.subset === 'string' && d.subset !== '')) return;
          const others = splitters.get(d.host);
          if (!others) return;
          report(
            vs,
            CODES.IngressRouteRulesNotAffected,
            `spec.http[${i}].route[${j}].destination`,
            `routes '${d.host}' without a subset, so requests through the gateway skip the subset routing of VirtualService ${others.map((o) => `${o.namespace}/${o.name}`).join(', ')} for that host; route to the subset here as well, or send gateway traffic through a single VirtualService`,
          );
        });
      });
    }
  },
};
