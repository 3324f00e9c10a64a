import { Construct } from 'constructs';
import type { DestinationRuleSpec, DestinationRuleSpecSubsets } from '../../imports/istio-types';
import { IstioConfigError } from '../kinds/errors';
import { formatList, isLabelKey, isLabelValue } from '../kinds/fields';
import { FieldPath } from './field-path';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { IDestinationHost, RouteDestination } from './route-destination';
import { TrafficPolicy } from './traffic-policy';

/** Properties of a {@link DestinationRule}. */
export interface DestinationRuleProps extends IstioResourceProps {
  /**
   * The service the rule applies to: a short name (`addedvalues`), an FQDN, or a wildcard (`*.example.com`).
   * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#DestinationRule
   */
  readonly host: string;

  /**
   * Named subsets (versions) of the service. More can be added with `addSubset()`.
   * @default - none
   */
  readonly subsets?: SubsetOptions[];

  /**
   * Traffic policy for all traffic to the host; a subset's own policy overrides it.
   * @default - none
   */
  readonly trafficPolicy?: TrafficPolicy;

  /**
   * Namespaces that see this rule: `.` (own namespace), `*` (all) or namespace names.
   * @default - all namespaces (or the mesh's default export policy)
   */
  readonly exportTo?: string[];

  /**
   * Labels of the client workloads (in this namespace) the rule applies to; with it, `exportTo`
   * may only name the own namespace.
   *
   * Stricter than Istio: at least one label (Istio warns that an empty selector selects every
   * workload), each a valid Kubernetes label key and value.
   * @default - every workload that sees the rule
   */
  readonly workloadSelector?: { [key: string]: string };
}

/** A named subset of the endpoints of a DestinationRule's host. */
export interface SubsetOptions {
  /** Name of the subset, a DNS label: letters, digits and `-` (`v1`, `v2-mysql`); routes refer to it. */
  readonly name: string;

  /**
   * Pod labels that select the subset's endpoints (Istio's convention: `{ version: 'v1' }`).
   * `{}` (as in Istio) makes the subset every endpoint of the host, e.g. to route to the host
   * under another traffic policy; the labels are then not written.
   */
  readonly labels: { [key: string]: string };

  /**
   * Traffic policy for this subset only; overrides the rule's policy.
   * @default - the rule's policy
   */
  readonly trafficPolicy?: TrafficPolicy;
}

/** Options of {@link DestinationRule.destination}. */
export interface DestinationRuleDestinationOptions {
  /**
   * Port on the host; required when the host exposes more than one port.
   * @default - the host's only port
   */
  readonly port?: number;
}

/**
 * An Istio `DestinationRule`: subsets (versions) of a service and the traffic policy
 * that applies once routing has picked it.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/
 */
export class DestinationRule extends IstioResource implements IDestinationHost {
  /** The host the rule applies to. */
  public readonly host: string;
  /**
   * Traffic policy for the whole host.
   * @default - none
   */
  public readonly trafficPolicy?: TrafficPolicy;
  private readonly _subsets: Subset[] = [];
  private readonly _exportTo: string[];
  private readonly _workloadSelector?: { [key: string]: string };

  public constructor(scope: Construct, id: string, props: DestinationRuleProps) {
    super(scope, id, 'DestinationRule', props);
    this.host = props.host;
    this.trafficPolicy = props.trafficPolicy;
    this._exportTo = [...(props.exportTo ?? [])];
    this._workloadSelector = props.workloadSelector === undefined ? undefined : { ...props.workloadSelector };
    for (const subset of props.subsets ?? []) this.addSubset(subset);
    this._constructed();
  }

  /**
   * Adds a subset and returns it. Throws, and adds nothing, when the rule with this subset is
   * invalid (a name that is taken or not a DNS label, bad labels, a bad traffic policy).
   */
  public addSubset(options: SubsetOptions): Subset {
    const subset = Subset._create(this, options.name, options.labels, options.trafficPolicy);
    this._subsets.push(subset);
    try {
      this._changed();
    } catch (e) {
      this._subsets.pop();
      throw e;
    }
    return subset;
  }

  /** Names of the subsets defined so far (a copy). */
  public get subsetNames(): string[] {
    return this._subsets.map((s) => s.name);
  }

  /** The subsets defined so far (a copy). */
  public get subsets(): Subset[] {
    return [...this._subsets];
  }

  /** The namespaces the rule is exported to (a copy; empty means the default). */
  public get exportTo(): string[] {
    return [...this._exportTo];
  }

  /**
   * A route destination on this rule's host, optionally narrowed to one of its subsets.
   * Throws when `subsetName` is not a subset of this rule.
   */
  public destination(subsetName?: string, options: DestinationRuleDestinationOptions = {}): RouteDestination {
    if (subsetName !== undefined && !this._subsets.some((s) => s.name === subsetName)) {
      throw new IstioConfigError(
        `'${subsetName}' is not a subset of ${this._describe} (known: ${formatList(this.subsetNames)}); call addSubset() first or use one of the known subsets`,
      );
    }
    return RouteDestination.to(this, { subset: subsetName, port: options.port });
  }

  /** @internal */
  protected _toSpec(): DestinationRuleSpec {
    const spec = this._specPath;
    const subsets = spec.at('subsets');
    return {
      host: this.host,
      trafficPolicy: this.trafficPolicy?._toKube(spec.at('trafficPolicy')),
      subsets: this._subsets.length > 0 ? this._subsets.map((s, i) => s._toKube(subsets.item(i))) : undefined,
      exportTo: this._exportTo.length > 0 ? [...this._exportTo] : undefined,
      workloadSelector: this._workloadSelector
        ? { matchLabels: selectorLabels(spec.at('workloadSelector').at('matchLabels'), this._workloadSelector) }
        : undefined,
    };
  }
}

/** A subset of a {@link DestinationRule}: a named group of the host's endpoints. */
export class Subset implements IDestinationHost {
  /** @internal */
  public static _create(rule: IDestinationHost, name: string, labels: { [key: string]: string }, trafficPolicy?: TrafficPolicy): Subset {
    return new Subset(rule, name, labels, trafficPolicy);
  }

  /** The subset's name. */
  public readonly name: string;
  /** The host of the DestinationRule that defines the subset. */
  public readonly host: string;
  /**
   * Traffic policy of the subset.
   * @default - the rule's policy
   */
  public readonly trafficPolicy?: TrafficPolicy;
  private readonly _labels: { [key: string]: string };

  private constructor(rule: IDestinationHost, name: string, labels: { [key: string]: string }, trafficPolicy?: TrafficPolicy) {
    this.host = rule.host;
    this.name = name;
    this._labels = { ...labels };
    this.trafficPolicy = trafficPolicy;
  }

  /** Pod labels that select the subset (a copy). */
  public get labels(): { [key: string]: string } {
    return { ...this._labels };
  }

  /** A route destination on the rule's host and this subset. */
  public destination(options: DestinationRuleDestinationOptions = {}): RouteDestination {
    return RouteDestination.to(this, { subset: this.name, port: options.port });
  }

  /** @internal */
  public _toKube(at: FieldPath): DestinationRuleSpecSubsets {
    // The rule book judges the names and values of the labels. No labels (as in Istio): the
    // subset is every endpoint of the host, e.g. to give it a traffic policy of its own.
    const labels = Object.keys(this._labels).length > 0 ? { ...this._labels } : undefined;
    return { name: this.name, labels, trafficPolicy: this.trafficPolicy?._toKube(at.at('trafficPolicy')) };
  }
}

/**
 * The workloadSelector's labels, checked more strictly than Istio does (which rejects only an
 * empty key and `*`, and warns about an empty selector): at least one label, each a valid
 * Kubernetes label key and value, as on the pods it should select. Returns a copy.
 */
function selectorLabels(at: FieldPath, labels: { [key: string]: string }): { [key: string]: string } {
  if (Object.keys(labels).length === 0) {
    at.fail(labels, 'must have at least one label', "select workloads with a label such as { app: 'productpage' }");
  }
  for (const [key, value] of Object.entries(labels)) {
    if (!isLabelKey(key)) {
      at.at(key).fail(key, "is not a valid label key: '[prefix/]name', name at most 63 alphanumerics, '-', '_' or '.'");
    }
    if (typeof value !== 'string' || !isLabelValue(value)) {
      at.at(key).fail(value, "is not a valid label value: at most 63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric");
    }
  }
  return { ...labels };
}
