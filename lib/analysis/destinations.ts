import { ObjectRef } from './model';
import { arr, isObject } from '../kinds/common';

/** One `Destination` of a VirtualService, with its field path. @internal */
export interface DestinationRef {
  /** The `Destination` object (`host`, `subset`, `port`). */
  readonly destination: any;
  /** Path of the destination object (`spec.http[0].route[1].destination`, `spec.http[0].mirror`). */
  readonly field: string;
  /** True for `mirror` / `mirrors[]` destinations. */
  readonly mirror: boolean;
}

/** Every route and mirror destination of a VirtualService, in document order. @internal */
export function destinationsOf(vs: ObjectRef): DestinationRef[] {
  const result: DestinationRef[] = [];
  for (const section of ['http', 'tls', 'tcp']) {
    arr(vs.spec[section]).forEach((rule, i) => {
      if (!isObject(rule)) return;
      arr(rule.route).forEach((route, j) => {
        if (isObject(route?.destination)) {
          result.push({ destination: route.destination, field: `spec.${section}[${i}].route[${j}].destination`, mirror: false });
        }
      });
      if (section !== 'http') return;
      if (isObject(rule.mirror)) result.push({ destination: rule.mirror, field: `spec.http[${i}].mirror`, mirror: true });
      arr(rule.mirrors).forEach((m, k) => {
        if (isObject(m?.destination)) {
          result.push({ destination: m.destination, field: `spec.http[${i}].mirrors[${k}].destination`, mirror: true });
        }
      });
    });
  }
  return result;
}

/** True when the VirtualService applies to sidecars: no `gateways`, or `mesh` among them. @internal */
export function isBoundToMesh(vs: ObjectRef): boolean {
  const gateways = arr(vs.spec.gateways);
  return gateways.length === 0 || gateways.includes('mesh');
}
