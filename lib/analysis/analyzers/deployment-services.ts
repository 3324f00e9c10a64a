import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { MeshModel, ObjectRef, Workload } from '../model';
import { arr, isObject } from '../../kinds/common';

const INJECT = 'sidecar.istio.io/inject';
const WAYPOINT = { label: 'gateway.istio.io/managed', value: 'istio.io/mesh-controller' };

/**
 * IST0116 and IST0137, like Istio's `deployment.ServiceAssociationAnalyzer`, for each
 * Deployment in the mesh (see {@link inMesh}; waypoints excepted) and the Services of its
 * namespace whose non-empty selector matches its pod template:
 * - IST0116: two of them use one port number with different protocols (`TCP` when unset);
 * - IST0137: two of them send different service ports to one target port (the port itself
 *   when `targetPort` is unset).
 * Services are matched to Deployments through the model's label index, so the work is linear.
 * @internal
 */
export const deploymentServiceAnalyzer: Analyzer = {
  name: 'deployment-services',
  analyze(model, report) {
    const servicesOf = new Map<Workload, ObjectRef[]>();
    for (const svc of model.services) {
      const selector = svc.spec.selector;
      if (!isObject(selector) || Object.keys(selector).length === 0) continue;
      const labels: { [key: string]: string } = {};
      for (const [k, v] of Object.entries(selector)) labels[k] = String(v);
      for (const w of model.workloadsSelectedBy(labels)) {
        if (w.ref.kind !== 'Deployment' || w.namespace !== svc.namespace) continue;
        const list = servicesOf.get(w) ?? [];
        list.push(svc);
        servicesOf.set(w, list);
      }
    }
    for (const [workload, services] of servicesOf) {
      if (services.length < 2 || isWaypoint(workload.ref) || !inMesh(model, workload)) continue;
      const protocols = new Map<number, Map<string, string[]>>();
      const targets = new Map<string, Map<number, string>>();
      for (const svc of services) {
        for (const port of arr(svc.spec.ports)) {
          if (typeof port?.port !== 'number') continue;
          const protocol = typeof port.protocol === 'string' && port.protocol !== '' ? port.protocol : 'TCP';
          const byProtocol = protocols.get(port.port) ?? new Map<string, string[]>();
          byProtocol.set(protocol, [...(byProtocol.get(protocol) ?? []), svc.name]);
          protocols.set(port.port, byProtocol);
          const target =
            port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '' ? String(port.port) : String(port.targetPort);
          const byPort = targets.get(target) ?? new Map<number, string>();
          byPort.set(port.port, svc.name);
          targets.set(target, byPort);
        }
      }
      for (const [port, byProtocol] of protocols) {
        if (byProtocol.size < 2) continue;
        const names = [...byProtocol.values()].flat().sort();
        report(
          workload.ref,
          CODES.DeploymentAssociatedToMultipleServices,
          'spec.template.metadata.labels',
          `the pods of this Deployment are selected by Services ${names.join(', ')}, which use port ${port} with different protocols (${[...byProtocol.keys()].sort().join(', ')}); the sidecar can serve one protocol per port, so use one protocol or different ports`,
        );
      }
      for (const [target, byPort] of targets) {
        if (byPort.size < 2) continue;
        report(
          workload.ref,
          CODES.DeploymentConflictingPorts,
          'spec.template.metadata.labels',
          `the pods of this Deployment are selected by Services ${[...new Set(byPort.values())].sort().join(', ')}, which send different ports (${[...byPort.keys()].sort((a, b) => a - b).join(', ')}) to target port ${target}; Services selecting one workload with one targetPort must use the same port`,
        );
      }
    }
  },
};

function isWaypoint(ref: ObjectRef): boolean {
  return ref.object.metadata?.labels?.[WAYPOINT.label] === WAYPOINT.value;
}

/**
 * Istio's test of a Deployment being in the mesh: its template has an `istio-proxy` container
 * with an image; else the template's `sidecar.istio.io/inject` label, else that annotation,
 * decides (`"true"` is in); else its Namespace object's `istio-injection=enabled` label. When
 * the set holds no Namespace object for it, the Deployment counts as outside the mesh, as in
 * istioctl.
 */
function inMesh(model: MeshModel, workload: Workload): boolean {
  if (arr(workload.podSpec.containers).some((c) => c?.name === 'istio-proxy' && typeof c.image === 'string' && c.image !== '')) return true;
  if (INJECT in workload.labels) return workload.labels[INJECT] === 'true';
  if (INJECT in workload.podAnnotations) return workload.podAnnotations[INJECT] === 'true';
  const namespace = model.namespaceObjects.get(workload.namespace);
  return namespace?.object.metadata?.labels?.['istio-injection'] === 'enabled';
}
