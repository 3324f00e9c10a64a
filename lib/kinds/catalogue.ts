import { checkMetadata } from './metadata';
import { checkDestinationRule } from './destination-rule';
import { checkGateway } from './gateway';
import { Problems } from './problem';
import { checkServiceEntry } from './service-entry';
import { checkSidecar } from './sidecar';
import { checkVirtualService } from './virtual-service';
import { checkPeerAuthentication } from './peer-authentication';
import { checkAuthorizationPolicy } from './authorization-policy';
import { checkRequestAuthentication } from './request-authentication';

/**
 * The one catalogue of the Istio kinds this library knows: where each lives (group, served
 * versions, the version written by default), its schema, its rule-book entry and how the mesh
 * model indexes it. `IstioResource`, the apiVersion choice, the model, the schema check, the
 * rule-book check and the import script all read this table; group and version strings
 * appear nowhere else.
 * @internal
 */

/** The API group of Istio's traffic kinds. @internal */
export const NETWORKING_GROUP = 'networking.istio.io';

/** Which of the mesh model's indexes holds objects of a kind. @internal */
export type ModelIndex =
  | 'virtualServices'
  | 'destinationRules'
  | 'gateways'
  | 'serviceEntries'
  | 'sidecars'
  | 'peerAuthentications'
  | 'authorizationPolicies'
  | 'requestAuthentications';

/** One Istio kind. @internal */
export interface IstioKind {
  /** API group (`networking.istio.io`). */
  readonly group: string;
  /** Kind (`VirtualService`). */
  readonly kind: string;
  /** Every version the CRD serves; their schemas are identical. */
  readonly versions: readonly string[];
  /** The version written unless the user chooses another. */
  readonly defaultVersion: string;
  /** True when the CRD makes `spec` itself required. */
  readonly specRequired: boolean;
  /** Key of the kind's spec schema in `imports/schemas.json`. */
  readonly schema: string;
  /** The admission rules of the kind (beyond the schema), over the object as plain JSON. */
  readonly rules: (out: Problems, object: any) => void;
  /** The model index that holds the kind's objects. */
  readonly index: ModelIndex;
}

const NETWORKING_VERSIONS = ['v1', 'v1beta1', 'v1alpha3'];

function networking(kind: string, rules: IstioKind['rules'], index: ModelIndex, specRequired = false): IstioKind {
  return {
    group: NETWORKING_GROUP,
    kind,
    versions: NETWORKING_VERSIONS,
    defaultVersion: 'v1',
    specRequired,
    schema: `${NETWORKING_GROUP}/${kind}`,
    rules,
    index,
  };
}

/** The API group of Istio's security kinds. @internal */
export const SECURITY_GROUP = 'security.istio.io';

function security(kind: string, rules: IstioKind['rules'], index: ModelIndex): IstioKind {
  return {
    group: SECURITY_GROUP,
    kind,
    versions: ['v1', 'v1beta1'],
    defaultVersion: 'v1',
    specRequired: false,
    schema: `${SECURITY_GROUP}/${kind}`,
    rules,
    index,
  };
}

/** Every kind, in the order the import script writes them. @internal */
export const ISTIO_KINDS: readonly IstioKind[] = [
  networking('DestinationRule', checkDestinationRule, 'destinationRules'),
  networking('Gateway', checkGateway, 'gateways'),
  networking('ServiceEntry', checkServiceEntry, 'serviceEntries', true),
  networking('VirtualService', checkVirtualService, 'virtualServices'),
  networking('Sidecar', checkSidecar, 'sidecars'),
  // security.istio.io (issue 16)
  security('PeerAuthentication', checkPeerAuthentication, 'peerAuthentications'),
  security('AuthorizationPolicy', checkAuthorizationPolicy, 'authorizationPolicies'),
  security('RequestAuthentication', checkRequestAuthentication, 'requestAuthentications'),
];

const BY_GROUP_KIND = new Map(ISTIO_KINDS.map((k) => [`${k.group}/${k.kind}`, k]));

/** The catalogue entry of a kind (kind names are unique across Istio's groups). @internal */
export function kindNamed(kind: string): IstioKind {
  const entry = ISTIO_KINDS.find((k) => k.kind === kind);
  if (!entry) throw new Error(`'${kind}' is not in the kind catalogue (lib/kinds/catalogue.ts)`);
  return entry;
}

/** The (group, version) of an apiVersion string. @internal */
export function splitApiVersion(apiVersion: unknown): { group: string; version: string } {
  if (typeof apiVersion !== 'string') return { group: '', version: '' };
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The catalogue entry of a group and kind, whatever the version. @internal */
export function istioKind(group: string, kind: unknown): IstioKind | undefined {
  return typeof kind === 'string' ? BY_GROUP_KIND.get(`${group}/${kind}`) : undefined;
}

/**
 * The catalogue entry of an object's `apiVersion` and `kind` when the version is served, so that
 * the model and the rule book recognize it. @internal
 */
export function servedKindOf(apiVersion: unknown, kind: unknown): IstioKind | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  const entry = istioKind(group, kind);
  return entry && entry.versions.includes(version) ? entry : undefined;
}

/** The apiVersion to write for a kind: `version` when the kind serves it, else its default. @internal */
export function apiVersionOf(entry: IstioKind, version?: string): string {
  return `${entry.group}/${version !== undefined && entry.versions.includes(version) ? version : entry.defaultVersion}`;
}

/** Runs the rule book (metadata rules, then the kind's own) over one object. @internal */
export function ruleBookProblems(entry: IstioKind, object: any): Problems {
  const out = new Problems();
  // Only an AuthorizationPolicy may carry `istio.io/dry-run`; its rule book checks the value.
  checkMetadata(out, object?.metadata, entry.kind === 'AuthorizationPolicy');
  entry.rules(out, object);
  return out;
}
