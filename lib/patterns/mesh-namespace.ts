import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { checkKeysCdk8sCanWrite } from '../istio/cdk8s-keys';
import { describe, fail, IstioConfigError } from '../kinds/errors';
import { isDns1123Label, isLabelValue } from '../kinds/fields';
import { checkMetadata } from '../kinds/metadata';
import { DATAPLANE_MODE_LABEL, INJECTION_LABEL, REVISION_LABEL } from '../kinds/mesh-labels';
import { Problems, problemMessage } from '../kinds/problem';

/** Properties of a {@link MeshNamespace}. */
export interface MeshNamespaceProps {
  /**
   * Name of the namespace (a DNS-1123 label).
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Inject sidecars from this control-plane revision (`istio.io/rev=<revision>`) instead of the
   * default one (`istio-injection=enabled`), e.g. for canary upgrades.
   * @default - the default revision: `istio-injection=enabled`
   */
  readonly revision?: string;

  /**
   * Put the namespace in ambient mode (`istio.io/dataplane-mode=ambient`): no sidecars, traffic
   * captured by ztunnel. Then no injection label is written (Istio reads a namespace with one as
   * not ambient); stricter than Istio, it cannot be combined with `revision`.
   * @default false
   */
  readonly ambient?: boolean;

  /**
   * Further labels of the namespace, with Kubernetes' label keys and values; they may not set
   * the labels this construct writes.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of the namespace, with Kubernetes' annotation keys.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * A namespace in the mesh: labelled so that its pods get sidecars (`istio-injection=enabled`,
 * or `istio.io/rev=<revision>`), or so that it is in ambient mode (`istio.io/dataplane-mode=ambient`).
 * Applying it to an existing namespace (such as `default`) adds the labels.
 *
 * @see https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/
 */
export class MeshNamespace extends Construct {
  /** The namespace name. */
  public readonly name: string;
  /** The Kubernetes Namespace. */
  public readonly namespace: kplus.Namespace;

  public constructor(scope: Construct, id: string, props: MeshNamespaceProps = {}) {
    super(scope, id);
    this.name = props.name ?? id;
    const self = describe('MeshNamespace', this.name);
    if (!isDns1123Label(this.name)) {
      fail(self, 'name', this.name, 'must be a DNS-1123 label (lower case alphanumerics and -, at most 63 characters)');
    }
    if (props.revision !== undefined && (props.revision === '' || !isLabelValue(props.revision))) {
      fail(self, 'revision', props.revision, "must be a revision name usable as a label value (e.g. '1-30-3' or 'canary')");
    }
    if (props.ambient && props.revision !== undefined) {
      fail(
        self,
        'revision',
        props.revision,
        'cannot be combined with ambient: Istio reads a namespace with a revision label as not ambient',
        'drop one of them',
      );
    }
    const mesh: { [key: string]: string } = props.ambient
      ? { [DATAPLANE_MODE_LABEL]: 'ambient' }
      : props.revision !== undefined
        ? { [REVISION_LABEL]: props.revision }
        : { [INJECTION_LABEL]: 'enabled' };
    for (const key of Object.keys(props.labels ?? {})) {
      if ([INJECTION_LABEL, REVISION_LABEL, DATAPLANE_MODE_LABEL].includes(key)) {
        fail(self, `labels.${key}`, props.labels![key], 'is written by MeshNamespace', 'use the revision or ambient props instead');
      }
    }
    const metadata = { name: this.name, labels: { ...props.labels, ...mesh }, annotations: props.annotations && { ...props.annotations } };
    // The API server's rules for label and annotation keys and values (the rule book's metadata check).
    checkKeysCdk8sCanWrite(self, { metadata });
    const problems = new Problems();
    checkMetadata(problems, metadata);
    if (problems.errors.length > 0) throw new IstioConfigError(problems.errors.map((p) => `${self}: ${problemMessage(p)}`).join('\n'));
    this.namespace = new kplus.Namespace(this, 'Resource', { metadata });
  }
}
