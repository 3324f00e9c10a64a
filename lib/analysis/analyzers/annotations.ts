import { ISTIO_ANNOTATIONS, IstioAnnotation } from '../../../imports/annotations';
import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { isIpOrCidr } from '../../kinds/fields';
import { isObject } from '../../kinds/common';

const CATALOGUE = new Map<string, IstioAnnotation>(ISTIO_ANNOTATIONS.map((a) => [a.name, a]));
// Kinds whose own annotations Istio's analyzer checks.
const CHECKED_KINDS = new Set(['Namespace', 'Service', 'Pod', 'Deployment']);
// Set by Istio itself (injector, controllers, revisions): never reported.
const ALWAYS_IGNORED = new Set(['sidecar.istio.io/status', 'gateway.istio.io/controller-version', 'istio.io/rev']);
const INJECT = 'sidecar.istio.io/inject';

/**
 * IST0108, IST0135, IST0107 and IST0125, like Istio's `annotations.K8sAnalyzer`, on the
 * annotations of Namespaces, Services, Pods and Deployments (their own metadata) whose domain
 * is `istio.io` or one of its subdomains (plus `kubernetes.io/ingress.class`), against Istio's annotation catalogue
 * (`imports/annotations.ts`, generated from istio/api by `npm run import:annotations`):
 * - IST0108: not in the catalogue;
 * - IST0135: deprecated (`sidecar.istio.io/inject` not when the object also has that label);
 * - IST0107: the annotation does not apply to the object's kind (the catalogue lists the kinds,
 *   or `Any`);
 * - IST0125: the value is not one the sidecar injector accepts (ports, CIDR lists, interface
 *   names, interception mode, integers, booleans, resource quantities). Unlike istioctl,
 *   `proxy.istio.io/config` is not parsed.
 * @internal
 */
export const annotationAnalyzer: Analyzer = {
  name: 'annotations',
  analyze(model, report) {
    for (const ref of model.objects) {
      if (!CHECKED_KINDS.has(ref.kind) || !['v1', 'apps/v1'].includes(ref.apiVersion)) continue;
      if ((ref.kind === 'Deployment') !== (ref.apiVersion === 'apps/v1')) continue;
      const annotations = ref.object.metadata?.annotations;
      if (!isObject(annotations)) continue;
      const labels = isObject(ref.object.metadata?.labels) ? ref.object.metadata.labels : {};
      for (const name of Object.keys(annotations).sort()) {
        if (!isIstioAnnotation(name) || ALWAYS_IGNORED.has(name)) continue;
        const field = `metadata.annotations['${name}']`;
        const entry = CATALOGUE.get(name);
        if (!entry) {
          report(
            ref,
            CODES.UnknownAnnotation,
            field,
            `'${name}' is not an Istio annotation, so Istio ignores it; check the spelling against Istio's annotation reference`,
          );
          continue;
        }
        if (entry.deprecated && !(name === INJECT && INJECT in labels)) {
          const hint = name === INJECT ? "; use the 'sidecar.istio.io/inject' label instead" : '';
          report(ref, CODES.DeprecatedAnnotation, field, `'${name}' is deprecated${hint}`);
        }
        if (entry.resources.includes('Any')) continue;
        if (!entry.resources.includes(ref.kind)) {
          report(
            ref,
            CODES.MisplacedAnnotation,
            field,
            `'${name}' applies to ${entry.resources.join(', ')}, not to a ${ref.kind}, so Istio ignores it here${ref.kind === 'Deployment' && entry.resources.includes('Pod') ? '; put it on the pod template (spec.template.metadata.annotations)' : ''}`,
          );
          continue;
        }
        const problem = VALIDATORS[name]?.(String(annotations[name]));
        if (problem) report(ref, CODES.InvalidAnnotation, field, `'${name}': ${problem}`);
      }
    }
  },
};

// Istio takes every domain ending in `istio.io`; we take `istio.io` and its subdomains only, so
// that our own `cdk8s-istio.io/suppress` (and any `*istio.io` domain of others) is not judged.
function isIstioAnnotation(name: string): boolean {
  const domain = name.split('/')[0];
  return name === 'kubernetes.io/ingress.class' || domain === 'istio.io' || domain.endsWith('.istio.io');
}

type Validator = (value: string) => string | undefined;

const portList =
  (allowStar: boolean): Validator =>
  (value) => {
    if (allowStar && value === '*') return undefined;
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    const bad = trimmed.split(',').find((p) => !isPort(p.trim()));
    return bad === undefined ? undefined : `'${bad}' is not a port number (0-65535); write a comma-separated list of ports`;
  };

const cidrList =
  (allowStar: boolean): Validator =>
  (value) => {
    if ((allowStar && value === '*') || value === '') return undefined;
    const bad = value.split(',').find((c) => !c.includes('/') || !isIpOrCidr(c));
    return bad === undefined ? undefined : `'${bad}' is not a CIDR block; write a comma-separated list such as '10.0.0.0/8,172.16.0.0/12'`;
  };

const interfaces: Validator = (value) => {
  if (value === '') return undefined;
  for (const raw of value.split(',')) {
    const name = raw.trim();
    if (name === '') return 'an interface name is empty';
    if (name.length > 15) return `interface name '${name}' is longer than 15 characters`;
    if (!/^[a-zA-Z][a-zA-Z0-9_.-]*$/.test(name)) return `interface name '${name}' has characters an interface name cannot have`;
  }
  return undefined;
};

const uint32: Validator = (value) =>
  /^\d+$/.test(value) && Number(value) <= 4294967295 ? undefined : `'${value}' is not a whole number from 0 to 4294967295`;

const bool: Validator = (value) =>
  ['1', 't', 'T', 'true', 'TRUE', 'True', '0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)
    ? undefined
    : `'${value}' is not a boolean (true or false)`;

const quantity: Validator = (value) =>
  /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/.test(value)
    ? undefined
    : `'${value}' is not a Kubernetes resource quantity (such as '100m', '128Mi')`;

function isPort(text: string): boolean {
  return /^\d+$/.test(text) && Number(text) <= 65535;
}

// The injector's checks of annotation values (Istio's inject.AnnotationValidation), by annotation.
const VALIDATORS: { readonly [name: string]: Validator } = {
  'sidecar.istio.io/interceptionMode': (v) =>
    ['REDIRECT', 'TPROXY', 'NONE'].includes(v) ? undefined : `'${v}' is not REDIRECT, TPROXY or NONE`,
  'status.sidecar.istio.io/port': (v) => (isPort(v.trim()) ? undefined : `'${v}' is not a port number (0-65535)`),
  'readiness.status.sidecar.istio.io/initialDelaySeconds': uint32,
  'readiness.status.sidecar.istio.io/periodSeconds': uint32,
  'readiness.status.sidecar.istio.io/failureThreshold': uint32,
  'traffic.sidecar.istio.io/includeOutboundIPRanges': cidrList(true),
  'traffic.sidecar.istio.io/excludeOutboundIPRanges': cidrList(false),
  'traffic.sidecar.istio.io/includeInboundPorts': portList(true),
  'traffic.sidecar.istio.io/excludeInboundPorts': portList(false),
  'traffic.sidecar.istio.io/excludeOutboundPorts': portList(false),
  'traffic.sidecar.istio.io/excludeInterfaces': interfaces,
  'traffic.sidecar.istio.io/kubevirtInterfaces': interfaces,
  'istio.io/reroute-virtual-interfaces': interfaces,
  'prometheus.istio.io/merge-metrics': bool,
  'sidecar.istio.io/proxyCPU': quantity,
  'sidecar.istio.io/proxyMemory': quantity,
  'sidecar.istio.io/proxyCPULimit': quantity,
  'sidecar.istio.io/proxyMemoryLimit': quantity,
};
