import { Finding, Manifest } from '../finding';
import { OBJECT_CHECKS } from '../object-checks';
import { checkDestinationRule } from './destination-rule';
import { checkGateway } from './gateway';
import { checkServiceEntry } from './service-entry';
import { checkMetadata, isObject, NETWORKING_GROUP, Reporter, splitApiVersion } from './shared';
import { checkVirtualService } from './virtual-service';

const BY_KIND: Record<string, (r: Reporter, object: any) => void> = {
  VirtualService: checkVirtualService,
  DestinationRule: checkDestinationRule,
  Gateway: checkGateway,
  ServiceEntry: checkServiceEntry,
};

/**
 * Applies Istio's admission-webhook rules (the ones the CRD schema cannot express) to a
 * VirtualService, DestinationRule, Gateway or ServiceEntry of any served version: errors as
 * IST0106, warnings as IST0133. Other objects yield no findings.
 * @internal
 */
export function checkWebhookRules(manifest: Manifest): Finding[] {
  const object = manifest.object;
  if (!isObject(object) || splitApiVersion(object.apiVersion).group !== NETWORKING_GROUP) return [];
  const check = BY_KIND[object.kind];
  if (!check) return [];
  const r = new Reporter(manifest);
  checkMetadata(r, object.metadata);
  check(r, object);
  return r.findings;
}

OBJECT_CHECKS.push(checkWebhookRules);
