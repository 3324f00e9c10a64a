/**
 * The benchmark mesh (see mesh.ts) as a cdk8s user without cdk8s-istio writes it: the peer mode.
 *
 * Workloads with cdk8s-plus-27 (the same constructs and props `VersionedService` uses), Istio
 * objects with the classes `cdk8s import` generates from Istio's CRD bundle. The generated
 * classes are not part of the repository: bench/run.ts generates and compiles them at bench time
 * (bench/peer-imports.ts) and passes their directory, which this module loads by path.
 *
 * The two JSON patches are the ones `VersionedService` applies; a user who wants the same
 * manifests (no empty `externalIPs`, no construct address in pod labels) writes them too.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import * as path from 'path';
import { chartPlan, GATEWAY_NAME, image, Layout, onePerId, PORT, serviceName, VERSIONS } from './mesh';

const RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
};

/** The generated networking module in `importsDir`: what `import * as istio from './imports/networking.istio.io'` gives. */
export function loadPeerImports(importsDir: string): any {
  return require(path.resolve(importsDir, 'networking.istio.io'));
}

/** Builds the mesh below `app` (a plain cdk8s App) with cdk8s-plus and the imported Istio classes (`loadPeerImports`). */
export function buildPeer(app: Construct, services: number, layout: Layout, istio: any): void {
  const plan = chartPlan(layout);
  const chart = onePerId((id) => new Chart(app, id));
  new istio.Gateway(chart(plan.gateway), GATEWAY_NAME, {
    metadata: { name: GATEWAY_NAME },
    spec: {
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
    },
  });
  for (let i = 0; i < services; i++) {
    const name = serviceName(i);
    const workloads = new Construct(chart(plan.workloads(i)), name);
    const serviceAccount = new kplus.ServiceAccount(workloads, 'ServiceAccount', {
      metadata: { name, labels: { account: name } },
    });
    const service = new kplus.Service(workloads, 'Service', {
      metadata: { name, labels: { app: name, service: name } },
      ports: [{ name: 'http', port: PORT, targetPort: PORT }],
    });
    service.selectLabel('app', name);
    ApiObject.of(service).addJsonPatch(JsonPatch.remove('/spec/externalIPs'));
    new istio.DestinationRule(chart(plan.destinationRule(i)), `${name}-dr`, {
      metadata: { name },
      spec: { host: name, subsets: VERSIONS.map((v) => ({ name: v, labels: { version: v } })) },
    });
    for (const version of VERSIONS) {
      const labels = { app: name, version };
      const deployment = new kplus.Deployment(workloads, `Deployment-${version}`, {
        metadata: { name: `${name}-${version}`, labels },
        replicas: 1,
        select: false,
        serviceAccount,
        podMetadata: { labels },
        containers: [
          {
            name,
            image: image(name, version),
            imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
            ports: [{ number: PORT, name: 'http' }],
            resources: RESOURCES,
          },
        ],
      });
      deployment.select(kplus.LabelSelector.of({ labels }));
      ApiObject.of(deployment).addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
    }
    new istio.VirtualService(chart(plan.virtualService(i)), `${name}-vs`, {
      metadata: { name },
      spec: {
        hosts: [name],
        http: [
          {
            match: [{ headers: { 'end-user': { prefix: 'yunqi' } } }],
            route: [{ destination: { host: name, subset: 'v3' } }],
          },
          { route: [{ destination: { host: name, subset: 'v2' } }] },
        ],
      },
    });
  }
}
