import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { isDns1123Label, isDns1123Subdomain } from '../kinds/fields';
import { IstioConfigError } from '../kinds/errors';
import { checkTrustDomain, ISTIO_DEFAULT_TRUST_DOMAIN } from './trust-domain';

/** The trust domain of a default Istio install. */
export const DEFAULT_TRUST_DOMAIN = ISTIO_DEFAULT_TRUST_DOMAIN;

/**
 * A workload of the mesh as security policies see it: the ServiceAccount its pods run as (their
 * mTLS identity) and the pod labels that select it. `VersionedService` is one.
 */
export interface IMeshWorkload {
  /** Name of the workload (the Service name), for messages and object names. */
  readonly name: string;
  /** The ServiceAccount the workload's pods run as. */
  readonly serviceAccount: kplus.ServiceAccount;
  /** Pod labels that select every pod of the workload (`{ app: 'details' }`). */
  readonly selectorLabels: { [key: string]: string };
}

/** Options of {@link Principal.ofWorkload}. */
export interface PrincipalOptions {
  /**
   * Trust domain of the mesh.
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
}

/**
 * A peer identity as an AuthorizationPolicy matches it: `<trust domain>/ns/<namespace>/sa/<service account>`.
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
 */
export class Principal {
  /** The principal of a workload's ServiceAccount (its namespace, `default` when unset). */
  public static ofWorkload(workload: IMeshWorkload, options: PrincipalOptions = {}): Principal {
    const sa = workload.serviceAccount;
    const namespace = ApiObject.of(sa).metadata.namespace ?? 'default';
    return Principal.serviceAccount(namespace, sa.name, options);
  }

  /** The principal of the ServiceAccount `name` in `namespace`. */
  public static serviceAccount(namespace: string, name: string, options: PrincipalOptions = {}): Principal {
    const trustDomain = options.trustDomain ?? DEFAULT_TRUST_DOMAIN;
    if (!isDns1123Label(namespace)) throw new IstioConfigError(`Principal: namespace ('${namespace}') must be a DNS-1123 label`);
    if (!isDns1123Subdomain(name)) throw new IstioConfigError(`Principal: service account ('${name}') must be a DNS-1123 subdomain`);
    checkTrustDomain(trustDomain);
    return new Principal(`${trustDomain}/ns/${namespace}/sa/${name}`);
  }

  /**
   * A principal written out, e.g. `cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account`,
   * or with one wildcard at its start or end (`*` is any authenticated peer).
   */
  public static of(value: string): Principal {
    if (value === '') throw new IstioConfigError("Principal: '' is not a principal; use '*' for any authenticated peer");
    return new Principal(value);
  }

  /** Any authenticated (mTLS) peer: `*`. */
  public static anyAuthenticated(): Principal {
    return new Principal('*');
  }

  private constructor(
    /** The principal as written in a policy. */
    public readonly value: string,
  ) {}

  /** The principal as written in a policy. */
  public toString(): string {
    return this.value;
  }
}

/**
 * The workloads a policy applies to, by pod labels. A policy without one applies to its whole
 * namespace (the mesh, in the root namespace).
 */
export class WorkloadSelector {
  /** The pods carrying all of `labels`. */
  public static matchLabels(labels: { [key: string]: string }): WorkloadSelector {
    return new WorkloadSelector({ ...labels });
  }

  /** The pods of a workload (`{ app: <name> }` for a `VersionedService`). */
  public static of(workload: IMeshWorkload): WorkloadSelector {
    return new WorkloadSelector({ ...workload.selectorLabels });
  }

  private constructor(private readonly _labels: { [key: string]: string }) {}

  /** The labels (a copy). */
  public get labels(): { [key: string]: string } {
    return { ...this._labels };
  }

  /** @internal */
  public _toKube(): { matchLabels: { [key: string]: string } } {
    return { matchLabels: { ...this._labels } };
  }
}
