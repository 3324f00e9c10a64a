import { IConstruct } from 'constructs';
import { apiVersionOf, istioKind, NETWORKING_GROUP } from '../kinds/catalogue';

/**
 * The served version of the `networking.istio.io` API group to write.
 *
 * Istio serves identical schemas under the three versions, so the choice only matters
 * for what the target cluster knows.
 */
export enum IstioApiVersion {
  /** `networking.istio.io/v1`, served by Istio 1.22 and later (storage version since 1.27). */
  V1 = 'v1',
  /** `networking.istio.io/v1beta1`, for clusters older than Istio 1.22. */
  V1BETA1 = 'v1beta1',
  /** `networking.istio.io/v1alpha3`, served by every Istio release. */
  V1ALPHA3 = 'v1alpha3',
}

const CONTEXT_KEY = 'cdk8s-istio:apiVersion';

/** Chooses the Istio API version for an app, a chart, or any scope below them. */
export class IstioApi {
  /**
   * Makes every Istio object defined later under `scope` use `version`.
   * Call it on the App or a Chart before adding Istio constructs to it.
   */
  public static useVersion(scope: IConstruct, version: IstioApiVersion): void {
    scope.node.setContext(CONTEXT_KEY, version);
  }

  /**
   * The Istio API version in force at `scope`.
   * @default IstioApiVersion.V1 when no scope above sets one
   */
  public static versionOf(scope: IConstruct): IstioApiVersion {
    const value = scope.node.tryGetContext(CONTEXT_KEY);
    if (value === undefined) return IstioApiVersion.V1;
    if (!Object.values(IstioApiVersion).includes(value)) {
      throw new Error(`Context '${CONTEXT_KEY}' (${JSON.stringify(value)}) must be one of v1, v1beta1, v1alpha3`);
    }
    return value as IstioApiVersion;
  }

  /** The full `apiVersion` of the networking kinds (`networking.istio.io/v1`) in force at `scope`. */
  public static networkingApiVersion(scope: IConstruct): string {
    return apiVersionOf(istioKind(NETWORKING_GROUP, 'VirtualService')!, IstioApi.versionOf(scope));
  }

  private constructor() {}
}
