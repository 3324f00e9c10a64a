import { Construct } from 'constructs';
import { HttpRouteOptions } from './http-route';
import { IstioResourceProps } from './istio-resource';
import { IVirtualServiceDelegate } from './route-destination';
import { VirtualService } from './virtual-service';

/** Properties of a {@link DelegateVirtualService}. */
export interface DelegateVirtualServiceProps extends IstioResourceProps {
  /**
   * HTTP routes. More can be added with `addHttpRoute()`.
   * @default - none; at least one route is required before synth
   */
  readonly http?: HttpRouteOptions[];

  /**
   * Namespaces that see this VirtualService: `.` (own namespace), `*` (all), or namespace names.
   * The root VirtualService that delegates here must see it.
   * @default - all namespaces (the mesh default)
   */
  readonly exportTo?: string[];
}

/**
 * A delegate VirtualService: HTTP routes without hosts or gateways, reached only through a
 * root VirtualService's route with `delegate` (`{ delegate: usersDelegate }`). The root decides
 * which hosts, gateways and match prefix reach it; the delegate's matches must narrow the root's.
 *
 * Istio's rules for delegates hold by construction or are checked by the rule book: no hosts,
 * no gateways, only HTTP routes, and no route of a delegate delegates again.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#Delegate
 */
export class DelegateVirtualService extends VirtualService implements IVirtualServiceDelegate {
  public constructor(scope: Construct, id: string, props: DelegateVirtualServiceProps = {}) {
    super(scope, id, { metadata: props.metadata, hosts: [], http: props.http, exportTo: props.exportTo });
  }

  /** The name root routes write in `delegate.name`. */
  public get delegateName(): string {
    return this.name;
  }

  /** The namespace root routes write in `delegate.namespace`, when the object has one. */
  public get delegateNamespace(): string | undefined {
    return this.namespace;
  }

  /** @internal */
  protected get _isDelegate(): boolean {
    return true;
  }
}
