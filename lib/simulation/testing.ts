/**
 * Test helpers for routing assertions, exported as `cdk8s-istio/testing`.
 *
 * @example
 * import { expectRoute } from 'cdk8s-istio/testing';
 * expectRoute(sim, { host: 'addedvalues', headers: { 'end-user': 'yunqi' } }).toReach({ subset: 'v3' });
 */
import { MeshSimulator } from './mesh-simulator';
import { SimulatedRequest } from './request';
import { RouteExpectation } from './route-expectation';

export * from './request';
export * from './decision';
export * from './mesh-simulator';
export * from './route-expectation';

/** Routes `request` through `sim` and returns the assertions on its decision. */
export function expectRoute(sim: MeshSimulator, request: SimulatedRequest): RouteExpectation {
  return sim.expect(request);
}
