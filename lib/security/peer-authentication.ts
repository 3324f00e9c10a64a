import { Construct } from 'constructs';
import type { PeerAuthenticationSpec } from '../../imports/istio-types';
import { IstioResource, IstioResourceProps } from '../istio/istio-resource';
import { checkInteger } from '../istio/field-checks';
import { WorkloadSelector } from './workload-identity';

/**
 * Whether a workload accepts plain text, mutual TLS, or both.
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/#PeerAuthentication-MutualTLS-Mode
 */
export enum MtlsMode {
  /** Inherit from the parent scope (namespace, then mesh); PERMISSIVE when nothing sets it. */
  UNSET = 'UNSET',
  /** Plain text only. */
  DISABLE = 'DISABLE',
  /** Both plain text and mutual TLS. */
  PERMISSIVE = 'PERMISSIVE',
  /** Mutual TLS only. */
  STRICT = 'STRICT',
}

/** Properties of a {@link PeerAuthentication}. */
export interface PeerAuthenticationProps extends IstioResourceProps {
  /**
   * The workloads (of the object's namespace) the policy applies to.
   * @default - every workload of the namespace; of the mesh when the namespace is the root namespace (istio-system)
   */
  readonly selector?: WorkloadSelector;

  /**
   * The mTLS mode of the workloads in scope.
   * @default - inherited (UNSET)
   */
  readonly mtlsMode?: MtlsMode;

  /**
   * Modes for single ports, overriding `mtlsMode` (needs a `selector`). More with `addPortMtls()`.
   * @default - none
   */
  readonly portLevelMtls?: PortMtlsOptions[];
}

/** The mTLS mode of one port of a workload. */
export interface PortMtlsOptions {
  /** The workload (container) port, 1..65535. */
  readonly port: number;
  /** Its mode. */
  readonly mode: MtlsMode;
}

/** Options of {@link PeerAuthentication.forMesh}. */
export interface MeshPeerAuthenticationOptions {
  /** The mode for the whole mesh. */
  readonly mtlsMode: MtlsMode;
  /**
   * Istio's root namespace, where a mesh-wide policy lives.
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
  /**
   * Name of the object.
   * @default 'default'
   */
  readonly name?: string;
}

/**
 * An Istio `PeerAuthentication`: whether workloads accept mutual TLS only (STRICT), plain text
 * too (PERMISSIVE) or plain text only (DISABLE), for the mesh (in the root namespace, without
 * selector), a namespace (without selector) or some workloads (with a selector, optionally per port).
 *
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
export class PeerAuthentication extends IstioResource {
  /** A mesh-wide policy: in the root namespace, without selector. */
  public static forMesh(scope: Construct, id: string, options: MeshPeerAuthenticationOptions): PeerAuthentication {
    return new PeerAuthentication(scope, id, {
      metadata: { name: options.name ?? 'default', namespace: options.rootNamespace ?? 'istio-system' },
      mtlsMode: options.mtlsMode,
    });
  }

  /**
   * The selector, when the policy applies to some workloads.
   * @default - the whole namespace
   */
  public readonly selector?: WorkloadSelector;
  /**
   * The mode of the workloads in scope.
   * @default - inherited
   */
  public readonly mtlsMode?: MtlsMode;
  private readonly _ports = new Map<number, MtlsMode>();

  public constructor(scope: Construct, id: string, props: PeerAuthenticationProps = {}) {
    super(scope, id, 'PeerAuthentication', props);
    this.selector = props.selector;
    this.mtlsMode = props.mtlsMode;
    for (const p of props.portLevelMtls ?? []) this.addPortMtls(p.port, p.mode);
    this._constructed();
  }

  /** Sets the mode of one port. Throws when the port is not 1..65535 or already has a mode. */
  public addPortMtls(port: number, mode: MtlsMode): void {
    const at = this._specPath.at('portLevelMtls').at(String(port));
    checkInteger(at, port, 65535, 1);
    if (this._ports.has(port)) at.fail(port, 'already has a mode', 'set each port once');
    this._ports.set(port, mode);
    this._changedOrUndo(() => this._ports.delete(port));
  }

  /** The port-level modes (a copy), keyed by port. */
  public get portLevelMtls(): { [port: string]: MtlsMode } {
    return Object.fromEntries([...this._ports].map(([p, m]) => [String(p), m]));
  }

  /** @internal */
  protected _toSpec(): PeerAuthenticationSpec {
    const ports = [...this._ports].sort(([a], [b]) => a - b);
    return {
      selector: this.selector?._toKube(),
      mtls: this.mtlsMode ? { mode: this.mtlsMode } : undefined,
      portLevelMtls: ports.length > 0 ? Object.fromEntries(ports.map(([p, mode]) => [String(p), { mode }])) : undefined,
    };
  }
}
