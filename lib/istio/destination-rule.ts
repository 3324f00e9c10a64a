import { Construct } from 'constructs';
import { fail, IstioConfigError } from '../kinds/errors';
import { checkExportTo, checkSelector } from './field-checks';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { IDestinationHost, RouteDestination } from './route-destination';
import { formatList, isDns1123Label, isWildcardDomain } from '../kinds/fields';
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
   * Labels of the client workloads (in this namespace) the rule applies to.
   * @default - every workload that sees the rule
   */
  readonly workloadSelector?: { [key: string]: string };
}

/** A named subset of the endpoints of a DestinationRule's host. */
export interface SubsetOptions {
  /** Name of the subset, a DNS-1123 label (`v1`, `v2-mysql`); routes refer to it. */
  readonly name: string;

  /** Pod labels that select the subset's endpoints (Istio's convention: `{ version: 'v1' }`). */
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
    if (!isWildcardDomain(props.host)) {
      fail(
        this._describe,
        'spec.host',
        props.host,
        'must be a host name: a short name, an FQDN or a wildcard like "*.example.com"',
        'use the Service name, e.g. "addedvalues"',
      );
    }
    this.host = props.host;
    this.trafficPolicy = props.trafficPolicy;
    this._exportTo = checkExportTo(this._describe, props.exportTo, this.namespace, false);
    if (props.workloadSelector !== undefined) {
      this._workloadSelector = checkSelector(this._describe, 'spec.workloadSelector.matchLabels', props.workloadSelector);
      const own =
        this._exportTo.length === 0 || (this._exportTo.length === 1 && (this._exportTo[0] === '.' || this._exportTo[0] === this.namespace));
      if (!own) {
        fail(
          this._describe,
          'spec.exportTo',
          this._exportTo,
          'may only name the own namespace when workloadSelector is set',
          "use exportTo: ['.'] or drop workloadSelector",
        );
      }
    }
    for (const subset of props.subsets ?? []) this.addSubset(subset);
  }

  /** Adds a subset and returns it; throws when the name is taken or the labels are invalid. */
  public addSubset(options: SubsetOptions): Subset {
    const field = `spec.subsets[${this._subsets.length}]`;
    if (!isDns1123Label(options.name)) {
      fail(
        this._describe,
        `${field}.name`,
        options.name,
        'must be a DNS-1123 label (lower case alphanumerics and "-", at most 63 characters)',
        'use a name like "v1" or "v2-mysql"',
      );
    }
    if (this._subsets.some((s) => s.name === options.name)) {
      fail(
        this._describe,
        `${field}.name`,
        options.name,
        'is already defined in this DestinationRule; subset names must be unique',
        'choose another name',
      );
    }
    const labels = checkSelector(this._describe, `${field}.labels`, options.labels);
    const subset = Subset._create(this, options.name, labels, options.trafficPolicy);
    this._subsets.push(subset);
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
        `Unknown subset '${subsetName}' of ${this._describe} (known: ${formatList(this.subsetNames)}); call addSubset() first or use one of the known subsets`,
      );
    }
    return RouteDestination.to(this, { subset: subsetName, port: options.port });
  }

  /** @internal */
  protected _toSpec(): any {
    return {
      host: this.host,
      trafficPolicy: this.trafficPolicy?._toKube(),
      subsets: this._subsets.length > 0 ? this._subsets.map((s) => s._toKube()) : undefined,
      exportTo: this._exportTo.length > 0 ? [...this._exportTo] : undefined,
      workloadSelector: this._workloadSelector ? { matchLabels: { ...this._workloadSelector } } : undefined,
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
  public _toKube(): any {
    return { name: this.name, labels: { ...this._labels }, trafficPolicy: this.trafficPolicy?._toKube() };
  }
}
