/** How bad a finding is. Errors fail the synth and make `cdk8s-istio analyze` exit 1. */
export enum Severity {
  /** Istio or the API server would reject the configuration, or it cannot work. */
  ERROR = 'error',
  /** Accepted, but probably not what was meant. */
  WARNING = 'warning',
  /** Worth knowing; harmless. */
  INFO = 'info',
}

/** Where a manifest came from: a file (CLI) or a construct (synth). */
export interface ManifestSource {
  /**
   * File the object was read from.
   * @default - not read from a file
   */
  readonly file?: string;
  /**
   * 1-based line of the document's start in `file`.
   * @default - unknown
   */
  readonly line?: number;
  /**
   * Path of the construct that produced the object.
   * @default - not produced by a construct
   */
  readonly constructPath?: string;
}

/** One Kubernetes object to analyze, as plain JSON, with where it came from. */
export interface Manifest {
  /** The object (`apiVersion`, `kind`, `metadata`, `spec` ...). */
  readonly object: any;
  /** Where it came from. */
  readonly source: ManifestSource;
}

/** One problem found by the mesh analysis. */
export interface Finding {
  /** How bad it is. */
  readonly severity: Severity;
  /** `istioctl analyze` code where the meaning is the same (`IST0101`), else our own (`CDK0001`). */
  readonly code: string;
  /** Kind of the object the finding is about. */
  readonly kind: string;
  /**
   * Namespace of the object.
   * @default - the object sets none (the `default` namespace is assumed)
   */
  readonly namespace?: string;
  /** Name of the object. */
  readonly name: string;
  /**
   * File the object came from.
   * @default - not from a file
   */
  readonly file?: string;
  /**
   * Construct that produced the object.
   * @default - not from a construct
   */
  readonly constructPath?: string;
  /**
   * Path of the offending field (`spec.http[0].route[0].destination.subset`).
   * @default - the object as a whole
   */
  readonly field?: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}
