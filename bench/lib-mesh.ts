/**
 * The benchmark mesh (see mesh.ts) built with our constructs: the lib mode.
 */
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Gateway, UserPrefixRoute, VersionedService } from '../lib';
import { chartPlan, GATEWAY_NAME, image, Layout, onePerId, PORT, serviceName, VERSIONS } from './mesh';

/** Builds the mesh with our constructs below `app` (an IstioApp in the lib mode). */
export function buildLib(app: Construct, services: number, layout: Layout): void {
  const plan = chartPlan(layout);
  const chart = onePerId((id) => new Chart(app, id));
  new Gateway(chart(plan.gateway), GATEWAY_NAME, {
    selector: { istio: 'ingressgateway' },
    servers: [{ port: 80, hosts: ['*'] }],
  });
  for (let i = 0; i < services; i++) {
    const name = serviceName(i);
    const workloads = chart(plan.workloads(i));
    const drChart = chart(plan.destinationRule(i));
    const service = new VersionedService(workloads, name, {
      port: PORT,
      destinationRuleScope: drChart === workloads ? undefined : drChart,
      versions: VERSIONS.map((v) => ({ name: v, image: image(name, v) })),
    });
    new UserPrefixRoute(chart(plan.virtualService(i)), `${name}-route`, {
      service,
      prefixes: [{ prefix: 'yunqi', version: 'v3' }],
      defaultVersion: 'v2',
    });
  }
}
