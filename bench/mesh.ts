/**
 * The benchmark mesh: N services, each a VersionedService with three versions plus a
 * UserPrefixRoute (Service, ServiceAccount, 3 Deployments, DestinationRule, VirtualService),
 * and one ingress Gateway so that the tutorial's `gateway` chart is not empty.
 *
 * The same mesh is written three ways (see BENCHMARKS.md):
 * - `buildLib` (lib-mesh.ts): our constructs in an IstioApp;
 * - `plainObjects`: the manifests as plain JSON, written by hand here (not derived from the
 *   constructs), used by the raw mode (plain cdk8s ApiObjects) and the floor mode (yaml package).
 * The bench checks that all three outputs parse to the same documents, file by file.
 *
 * This module imports nothing, so that the raw and floor processes load only what they use.
 */

/** How the objects are split into charts (one chart = one file). */
export type Layout = 'single' | 'tutorial' | 'per-service';

export const LAYOUTS: readonly Layout[] = ['single', 'tutorial', 'per-service'];

export const PORT = 9080;
export const VERSIONS = ['v1', 'v2', 'v3'] as const;
export const GATEWAY_NAME = 'mesh-gateway';

/** Name of the i-th service: `svc-0000`, `svc-0001`, ... */
export function serviceName(i: number): string {
  return `svc-${String(i).padStart(4, '0')}`;
}

export function image(service: string, version: string): string {
  return `registry.example.com/bench/${service}:${version}`;
}

/** Which chart each object goes to, by chart id, for a layout. */
export interface ChartPlan {
  /** Chart of the Gateway. */
  readonly gateway: string;
  /** Chart of service i's Service, ServiceAccount and Deployments. */
  workloads(i: number): string;
  /** Chart of service i's DestinationRule. */
  destinationRule(i: number): string;
  /** Chart of service i's VirtualService. */
  virtualService(i: number): string;
}

export function chartPlan(layout: Layout): ChartPlan {
  switch (layout) {
    case 'single':
      return { gateway: 'mesh', workloads: () => 'mesh', destinationRule: () => 'mesh', virtualService: () => 'mesh' };
    case 'tutorial':
      return {
        gateway: 'gateway',
        workloads: () => 'app',
        destinationRule: () => 'destination-rule-all',
        virtualService: () => 'virtual-service',
      };
    case 'per-service':
      return { gateway: 'gateway', workloads: serviceName, destinationRule: serviceName, virtualService: serviceName };
    default:
      throw new Error(`unknown layout '${layout}' (known: ${LAYOUTS.join(', ')})`);
  }
}

/** `create(id)` once per id: the charts of a layout, created on first use. */
export function onePerId<T>(create: (id: string) => T): (id: string) => T {
  const made = new Map<string, T>();
  return (id) => {
    let c = made.get(id);
    if (!c) {
      c = create(id);
      made.set(id, c);
    }
    return c;
  };
}

/** The file cdk8s writes for a chart id (top-level charts, no dependencies between them). */
export function chartFile(chartId: string): string {
  return `${chartId}.k8s.yaml`;
}

/** One plain manifest and the chart it belongs to. */
export interface PlainObject {
  readonly chart: string;
  readonly json: any;
}

/**
 * The same manifests as `buildLib` writes, as plain JSON, in the order the constructs create
 * them. Written out by hand (cdk8s-plus defaults included) so that the comparison checks the
 * constructs' output rather than trusting it.
 */
export function plainObjects(services: number, layout: Layout): PlainObject[] {
  const plan = chartPlan(layout);
  const out: PlainObject[] = [];
  out.push({
    chart: plan.gateway,
    json: {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: GATEWAY_NAME },
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [{ hosts: ['*'], port: { name: 'http', number: 80, protocol: 'HTTP' } }],
      },
    },
  });
  for (let i = 0; i < services; i++) {
    const name = serviceName(i);
    const workloads = plan.workloads(i);
    out.push({
      chart: workloads,
      json: {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { labels: { account: name }, name },
        automountServiceAccountToken: false,
      },
    });
    out.push({
      chart: workloads,
      json: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { labels: { app: name, service: name }, name },
        spec: {
          ports: [{ name: 'http', port: PORT, targetPort: PORT }],
          selector: { app: name },
          type: 'ClusterIP',
        },
      },
    });
    out.push({
      chart: plan.destinationRule(i),
      json: {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name },
        spec: { host: name, subsets: VERSIONS.map((v) => ({ labels: { version: v }, name: v })) },
      },
    });
    for (const version of VERSIONS) out.push({ chart: workloads, json: deployment(name, version) });
    out.push({
      chart: plan.virtualService(i),
      json: {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name },
        spec: {
          hosts: [name],
          http: [
            { match: [{ headers: { 'end-user': { prefix: 'yunqi' } } }], route: [{ destination: { host: name, subset: 'v3' } }] },
            { route: [{ destination: { host: name, subset: 'v2' } }] },
          ],
        },
      },
    });
  }
  return out;
}

function deployment(name: string, version: string): any {
  const labels = () => ({ app: name, version });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { labels: labels(), name: `${name}-${version}` },
    spec: {
      minReadySeconds: 0,
      progressDeadlineSeconds: 600,
      replicas: 1,
      selector: { matchLabels: labels() },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
      template: {
        metadata: { labels: labels() },
        spec: {
          automountServiceAccountToken: false,
          containers: [
            {
              image: image(name, version),
              imagePullPolicy: 'IfNotPresent',
              name,
              ports: [{ containerPort: PORT, name: 'http' }],
              resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
              securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true },
            },
          ],
          dnsPolicy: 'ClusterFirst',
          hostNetwork: false,
          restartPolicy: 'Always',
          securityContext: { fsGroupChangePolicy: 'Always', runAsNonRoot: true },
          serviceAccountName: name,
          setHostnameAsFQDN: false,
          terminationGracePeriodSeconds: 30,
        },
      },
    },
  };
}
