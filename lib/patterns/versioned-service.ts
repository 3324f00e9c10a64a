import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DestinationRule } from '../istio/destination-rule';
import { describe, fail, IstioConfigError } from '../kinds/errors';
import { RouteDestination, RouteDestinationOptions } from '../istio/route-destination';
import { formatList, isDns1123Label, isDns1123Subdomain, isLabelValue, isPort } from '../kinds/fields';
import { TrafficPolicy } from '../istio/traffic-policy';
import { coreFieldRule, coreObjectViolations } from '../kinds/schema';
import { renderOnce } from '../istio/render-once';
import { IMeshWorkload } from '../security/workload-identity';
import { PatternMetadataOptions } from './pattern-options';
import { withPatternMetadata } from './pattern-support';

/**
 * Workload settings of a version. Each can be set once for all versions
 * (`VersionedServiceProps.workload`) and overridden per version; an override replaces the
 * shared value as a whole (a version's `envVariables` are not merged with the shared ones).
 *
 * Defaults that cdk8s-plus-27 would add, and what we do with them:
 * - replicas: cdk8s-plus uses 2; we use 1, like Istio's samples (scale per version).
 * - resources: cdk8s-plus requests 1 CPU / 512Mi and limits 1.5 CPU / 2Gi per container, far
 *   more than a demo mesh of five deployments can schedule on a small cluster; we request
 *   100m / 128Mi and limit 500m / 512Mi.
 * - securityContext: cdk8s-plus sets runAsNonRoot, readOnlyRootFilesystem, no privilege
 *   escalation, not privileged. We keep these hardening defaults (they do not interfere with
 *   the Istio sidecar); override `securityContext` for images that write to their filesystem.
 * - imagePullPolicy: cdk8s-plus uses Always; we use IfNotPresent, like Istio's samples, since
 *   versions are distinct immutable tags.
 * - automountServiceAccountToken false, terminationGracePeriod 30s, rolling updates,
 *   progressDeadline 600s: kept (the sidecar gets its own projected token).
 * - the `cdk8s.io/metadata.addr` pod label and selector: removed. Its value depends on the
 *   construct path, so moving a construct would change pod labels and restart pods; pods are
 *   labelled `app` and `version` instead, as Istio expects.
 */
export interface VersionWorkloadOptions {
  /**
   * Number of pods of the version.
   * @default 1
   */
  readonly replicas?: number;

  /**
   * CPU and memory of the application container.
   * @default - requests 100m CPU / 128Mi, limits 500m CPU / 512Mi
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Environment variables of the application container.
   * @default - none
   */
  readonly envVariables?: { [name: string]: kplus.EnvValue };

  /**
   * Readiness probe.
   * @default - none (cdk8s-plus-27 adds no readiness probe by default)
   */
  readonly readiness?: kplus.Probe;

  /**
   * Liveness probe.
   * @default - none
   */
  readonly liveness?: kplus.Probe;

  /**
   * Startup probe.
   * @default - none
   */
  readonly startup?: kplus.Probe;

  /**
   * Security context of the application container.
   * @default - cdk8s-plus hardening: runAsNonRoot, read-only root filesystem, no privilege escalation
   */
  readonly securityContext?: kplus.ContainerSecurityContextProps;

  /**
   * Image pull policy.
   * @default kplus.ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;
}

/** One version of a {@link VersionedService}. */
export interface ServiceVersionOptions extends VersionWorkloadOptions {
  /** Version label value and subset name (`v1`, `v2`, ...): a DNS-1123 label. */
  readonly name: string;
  /** Container image of this version. */
  readonly image: string;
}

/** Properties of a {@link VersionedService}. */
export interface VersionedServiceProps extends PatternMetadataOptions {
  /**
   * Name of the Service (and `app` label, and host in routes).
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Port the Service exposes.
   * @default 80
   */
  readonly port?: number;

  /**
   * Port the containers listen on.
   * @default - the Service port
   */
  readonly containerPort?: number;

  /**
   * Name of the Service port; its prefix tells Istio the protocol (`http`, `grpc`, `tcp`, ...).
   * @default 'http'
   * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
   */
  readonly portName?: string;

  /**
   * The versions to run. More can be added with `addVersion()`.
   * @default - none; at least one is required before synth
   */
  readonly versions?: ServiceVersionOptions[];

  /**
   * Workload settings shared by every version (each version may override them).
   * @default - see VersionWorkloadOptions
   */
  readonly workload?: VersionWorkloadOptions;

  /**
   * Name of the ServiceAccount the pods run as (their mesh identity).
   * @default - the service name
   */
  readonly serviceAccountName?: string;

  /**
   * Scope in which to define the DestinationRule, e.g. another chart, to write it to
   * another file than the workloads.
   * @default - this construct
   */
  readonly destinationRuleScope?: Construct;

  /**
   * Traffic policy of the DestinationRule (load balancing, mTLS, circuit breaking).
   * @default - none: Istio's defaults
   */
  readonly trafficPolicy?: TrafficPolicy;
}

const DEFAULT_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
};

/**
 * A service with several versions running side by side, the way Istio routes them:
 * one Kubernetes Service selecting `app=<name>`, one ServiceAccount, one Deployment per
 * version (`<name>-<version>`, pods labelled `app` and `version`), and a DestinationRule
 * with one subset per version (`labels: { version }`).
 *
 * Routes reach a version with `service.destination('v3')`.
 */
export class VersionedService extends Construct implements IMeshWorkload {
  /** Service name, `app` label and route host. */
  public readonly name: string;
  /** Service port. */
  public readonly port: number;
  /** The Kubernetes Service. */
  public readonly service: kplus.Service;
  /** The ServiceAccount of all versions. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The DestinationRule with one subset per version. */
  public readonly destinationRule: DestinationRule;

  private readonly containerPort: number;
  private readonly portName: string;
  private readonly workload: VersionWorkloadOptions;
  private readonly metadata: PatternMetadataOptions;
  private readonly _deployments = new Map<string, kplus.Deployment>();

  public constructor(scope: Construct, id: string, props: VersionedServiceProps = {}) {
    super(scope, id);
    this.name = props.name ?? id;
    this.port = props.port ?? 80;
    this.containerPort = props.containerPort ?? this.port;
    this.workload = props.workload ?? {};
    this.metadata = { namespace: props.namespace, labels: props.labels, annotations: props.annotations };
    const self = describe('VersionedService', this.name);
    if (!isDns1123Label(this.name)) {
      fail(
        self,
        'name',
        this.name,
        'must be a DNS-1123 label (lower case alphanumerics and "-", at most 63 characters): it names a Service',
      );
    }
    // Kubernetes Service names are DNS-1035 labels: a leading digit is rejected by the API server.
    if (!/^[a-z]/.test(this.name)) fail(self, 'name', this.name, 'must start with a letter: Kubernetes Service names are DNS-1035 labels');
    for (const [field, port] of [
      ['port', this.port],
      ['containerPort', this.containerPort],
    ] as const) {
      if (!isPort(port)) fail(self, field, port, 'must be an integer between 1 and 65535');
    }
    const portName = props.portName ?? 'http';
    // Container port names are IANA service names: at most 15 characters.
    if (!isDns1123Label(portName) || portName.length > 15 || !/[a-z]/.test(portName) || portName.includes('--')) {
      fail(
        self,
        'portName',
        portName,
        'must be an IANA service name: a DNS-1123 label of at most 15 characters with a letter and no "--"',
        'use e.g. "http" or "grpc-api"',
      );
    }
    this.portName = portName;
    const serviceAccountName = props.serviceAccountName ?? this.name;
    if (!isDns1123Subdomain(serviceAccountName)) fail(self, 'serviceAccountName', serviceAccountName, 'must be a DNS-1123 subdomain');

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: withPatternMetadata({ name: serviceAccountName, labels: { account: this.name } }, this.metadata),
    });
    this.service = new kplus.Service(this, 'Service', {
      metadata: withPatternMetadata({ name: this.name, labels: { app: this.name, service: this.name } }, this.metadata),
      ports: [{ name: portName, port: this.port, targetPort: this.containerPort }],
    });
    this.service.selectLabel('app', this.name);
    // cdk8s-plus always writes an empty externalIPs list; empty lists are left out of our output.
    ApiObject.of(this.service).addJsonPatch(JsonPatch.remove('/spec/externalIPs'));
    // In a foreign scope the id carries the service name, and a prefix so that it cannot collide with
    // the construct a user named after the service (e.g. this one, when the scope is its own chart).
    const drId = props.destinationRuleScope ? `DestinationRule-${this.name}` : 'DestinationRule';
    this.destinationRule = new DestinationRule(props.destinationRuleScope ?? this, drId, {
      metadata: withPatternMetadata({ name: this.name }, this.metadata),
      host: this.name,
      trafficPolicy: props.trafficPolicy,
    });
    // One construction check of the DestinationRule for all the initial versions, not one per subset.
    this.destinationRule._batch(() => {
      for (const version of props.versions ?? []) this.addVersion(version);
    });
    this.node.addValidation({
      validate: () => (this._deployments.size === 0 ? [`${self}: has no versions; call addVersion({ name: 'v1', image: ... })`] : []),
    });
  }

  /** The route host of the service (its name). */
  public get host(): string {
    return this.name;
  }

  /** Pod labels that select every version's pods: `{ app: <name> }`. */
  public get selectorLabels(): { [key: string]: string } {
    return { app: this.name };
  }

  /** Names of the versions, in the order they were added. */
  public get versionNames(): string[] {
    return [...this._deployments.keys()];
  }

  /** The Deployment of a version. */
  public deployment(version: string): kplus.Deployment {
    const deployment = this._deployments.get(version);
    if (!deployment) throw this.unknownVersion(version);
    return deployment;
  }

  /** A route destination to one version of the service (host + subset). */
  public destination(version: string, options: RouteDestinationOptions = {}): RouteDestination {
    if (!this._deployments.has(version)) throw this.unknownVersion(version);
    return RouteDestination.to(this, { port: options.port, subset: version });
  }

  /** Adds a version: a Deployment `<name>-<version>` and a DestinationRule subset. */
  public addVersion(options: ServiceVersionOptions): kplus.Deployment {
    const self = describe('VersionedService', this.name);
    const field = `versions[${this._deployments.size}]`;
    if (!isDns1123Label(options.name) || !isLabelValue(options.name)) {
      fail(
        self,
        `${field}.name`,
        options.name,
        'must be a DNS-1123 label (it is a subset name and a label value)',
        "use names like 'v1', 'v2'",
      );
    }
    if (this._deployments.has(options.name)) {
      fail(self, `${field}.name`, options.name, `is already a version of this service (versions: ${formatList(this.versionNames)})`);
    }
    if (options.image.trim().length === 0) fail(self, `${field}.image`, options.image, 'must not be empty');
    const settings: VersionWorkloadOptions = { ...this.workload, ...definedOnly(options) };
    const replicas = settings.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 0) fail(self, `${field}.replicas`, replicas, 'must be a non-negative integer');
    const replicasRule = coreFieldRule('apps/v1/Deployment', 'spec.replicas', replicas);
    if (replicasRule) fail(self, `${field}.replicas`, replicas, replicasRule);

    const labels = { app: this.name, version: options.name };
    const deployment = new kplus.Deployment(this, `Deployment-${options.name}`, {
      metadata: withPatternMetadata({ name: `${this.name}-${options.name}`, labels }, this.metadata),
      replicas,
      select: false,
      serviceAccount: this.serviceAccount,
      podMetadata: { labels },
      containers: [
        {
          name: this.name,
          image: options.image,
          imagePullPolicy: settings.imagePullPolicy ?? kplus.ImagePullPolicy.IF_NOT_PRESENT,
          ports: [{ number: this.containerPort, name: this.portName }],
          resources: settings.resources ?? DEFAULT_RESOURCES,
          envVariables: settings.envVariables,
          readiness: settings.readiness,
          liveness: settings.liveness,
          startup: settings.startup,
          securityContext: settings.securityContext,
        },
      ],
    });
    deployment.select(kplus.LabelSelector.of({ labels }));
    // What cdk8s-plus renders from resources and probes (e.g. Cpu.millis(1e21) as '1e+21m') is
    // checked against the Deployment's ranges at synth.
    deployment.node.addValidation({
      validate: () =>
        coreObjectViolations(renderOnce(ApiObject.of(deployment))).map(
          (v) => `${self}: Deployment '${this.name}-${options.name}': ${v.message}`,
        ),
    });
    // cdk8s-plus always labels pod templates with the construct address; see VersionWorkloadOptions.
    ApiObject.of(deployment).addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
    this._deployments.set(options.name, deployment);
    this.destinationRule.addSubset({ name: options.name, labels: { version: options.name } });
    return deployment;
  }

  private unknownVersion(version: string): IstioConfigError {
    return new IstioConfigError(
      `'${version}' is not a version of VersionedService '${this.name}' (known: ${formatList(this.versionNames)}); add it with addVersion() or pick a known one`,
    );
  }
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
