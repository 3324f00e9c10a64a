import { RouteDestination, RouteDestinationOptions } from '../istio/route-destination';

/**
 * A host whose versions (DestinationRule subsets) routes can address by name.
 * {@link VersionedService} and `DestinationRule` implement it.
 */
export interface IVersionedDestination {
  /** The route host (`addedvalues`). */
  readonly host: string;

  /**
   * A destination to one version; throws when the version is unknown.
   * @param version the version (subset) name
   * @param options port selection
   */
  destination(version: string, options?: RouteDestinationOptions): RouteDestination;
}
