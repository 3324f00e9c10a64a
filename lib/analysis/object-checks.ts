import { Finding, Manifest, Severity } from './finding';

/** A check of one object on its own (schema, rule book). @internal */
export type ObjectCheck = (manifest: Manifest) => Finding[];

/** A finding about one field of a manifest's object. @internal */
export function findingAbout(manifest: Manifest, severity: Severity, code: string, field: string, message: string): Finding {
  const o = manifest.object ?? {};
  const meta = o.metadata !== null && typeof o.metadata === 'object' ? o.metadata : {};
  return {
    severity,
    code,
    kind: typeof o.kind === 'string' ? o.kind : 'unknown',
    namespace: typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined,
    name: typeof meta.name === 'string' ? meta.name : '',
    file: manifest.source.file,
    constructPath: manifest.source.constructPath,
    field,
    message,
  };
}
