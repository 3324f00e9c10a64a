import { isObject } from '../kinds/common';
import { servedKindOf, ruleBookProblems } from '../kinds/catalogue';
import { problemMessage } from '../kinds/problem';
import { CODES } from './codes';
import { Finding, Manifest } from './finding';
import { findingAbout } from './object-checks';

/**
 * The rule book's problems with one Istio object (of any kind in the catalogue, any served
 * version) as findings: errors as IST0106, warnings as IST0133. Other objects yield none.
 * @internal
 */
export function checkRuleBook(manifest: Manifest): Finding[] {
  const object = manifest.object;
  if (!isObject(object)) return [];
  const entry = servedKindOf(object.apiVersion, object.kind);
  if (!entry) return [];
  return ruleBookProblems(entry, object).list.map((p) => {
    const code = p.severity === 'error' ? CODES.SchemaValidationError : CODES.SchemaWarning;
    return findingAbout(manifest, code.severity, code.code, p.path, problemMessage(p));
  });
}
