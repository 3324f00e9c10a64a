import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Manifest } from '../analysis/finding';

/**
 * Every ApiObject under `root`, rendered, as a manifest with its construct path: what the
 * analysis, the routing simulator and the graph read of an app.
 * @internal
 */
export function manifestsOf(root: IConstruct): Manifest[] {
  const manifests: Manifest[] = [];
  for (const c of root.node.findAll()) {
    if (ApiObject.isApiObject(c)) manifests.push({ object: c.toJson(), source: { constructPath: c.node.path } });
  }
  return manifests;
}
