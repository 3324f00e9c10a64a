import type { ApiObject as CdkApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Manifest } from '../analysis/finding';

/**
 * Every ApiObject under `root`, rendered, as a manifest with its construct path: what the
 * analysis, the routing simulator and the graph read of an app.
 * @internal
 */
export function manifestsOf(root: IConstruct): Manifest[] {
  // cdk8s is loaded wherever there is an app; the CLI, which imports this module through the
  // graph and the simulator, never has one and does not load it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ApiObject } = require('cdk8s') as { ApiObject: typeof CdkApiObject };
  const manifests: Manifest[] = [];
  for (const c of root.node.findAll()) {
    if (ApiObject.isApiObject(c)) manifests.push({ object: c.toJson(), source: { constructPath: c.node.path } });
  }
  return manifests;
}
