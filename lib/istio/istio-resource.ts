import { ApiObject, ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { IstioApi } from './api-version';
import { describe, fail } from '../kinds/errors';
import { isDns1123Subdomain } from '../kinds/fields';

/** Options every Istio construct accepts. */
export interface IstioResourceProps {
  /**
   * Metadata of the Istio object. `name` is used exactly as given (never hashed).
   * @default - name is the construct id; namespace is the chart's
   */
  readonly metadata?: ApiObjectMetadata;
}

/**
 * Base of the L2 Istio constructs: one Istio object as the child `Resource`,
 * with an exact name and a spec rendered lazily, so that constructor props and
 * later `add*()` calls share one code path.
 */
export abstract class IstioResource extends Construct {
  /** The object's `metadata.name`. */
  public readonly name: string;
  /** The Kubernetes kind (`VirtualService`, ...). */
  public readonly kind: string;
  /** The underlying API object, for escape hatches such as `addJsonPatch`. */
  public readonly apiObject: ApiObject;

  protected constructor(scope: Construct, id: string, kind: string, props: IstioResourceProps) {
    super(scope, id);
    this.kind = kind;
    this.name = props.metadata?.name ?? id;
    this.validateName(this.name);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: IstioApi.networkingApiVersion(this),
      kind,
      metadata: { ...props.metadata, name: this.name },
      spec: Lazy.any({ produce: () => this._toSpec() }),
    });
  }

  /** The namespace of the object, when it or its chart sets one. */
  public get namespace(): string | undefined {
    return this.apiObject.metadata.namespace;
  }

  /** `Kind 'name'`, for error messages. @internal */
  protected get _describe(): string {
    return describe(this.kind, this.name);
  }

  /** Checks `metadata.name`; kinds with stricter rules override it. */
  protected validateName(name: string): void {
    if (!isDns1123Subdomain(name)) {
      fail(
        describe(this.kind, name),
        'metadata.name',
        name,
        'must be a DNS-1123 subdomain (lower case alphanumerics, "-" and ".", at most 253 characters)',
        'choose a name like "addedvalues" or "addedvalues-v2"',
      );
    }
  }

  /** Renders the spec as plain JSON. @internal */
  protected abstract _toSpec(): any;
}
