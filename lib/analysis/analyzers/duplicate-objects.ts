import { Analyzer } from '../analyzer';
import { CODES } from '../codes';
import { ObjectRef } from '../model';

/**
 * CDK0001 (our own code): two objects of one kind (and API group) with the same namespace
 * and name. Applying both keeps only the last one, silently. Each object after the first is
 * reported, naming where the first came from.
 * @internal
 */
export const duplicateObjectAnalyzer: Analyzer = {
  name: 'duplicate-objects',
  analyze(model, report) {
    const first = new Map<string, ObjectRef>();
    for (const ref of model.objects) {
      const slash = ref.apiVersion.indexOf('/');
      const group = slash >= 0 ? ref.apiVersion.slice(0, slash) : '';
      const key = `${group}|${ref.kind}|${ref.namespace}|${ref.name}`;
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, ref);
        continue;
      }
      report(
        ref,
        CODES.DuplicateObject,
        'metadata.name',
        `${ref.kind} '${ref.name}' is defined more than once in namespace '${ref.namespace}' (first ${sourceOf(earlier)}); applying both keeps only the last one; rename or remove one of them`,
      );
    }
  },
};

function sourceOf(ref: ObjectRef): string {
  const s = ref.manifest.source;
  if (s.constructPath) return `at ${s.constructPath}`;
  if (s.file) return `in ${s.file}${s.line ? `:${s.line}` : ''}`;
  return `as object #${ref.index}`;
}
