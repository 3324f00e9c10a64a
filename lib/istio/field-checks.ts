import { Duration } from 'cdk8s';
import { fail } from '../kinds/errors';
import { FieldPath } from './field-path';
import { isDns1123Label, isIstioDuration, isLabelKey, isLabelValue } from '../kinds/fields';

// Construction-time field checks shared by the L2 constructs. Internal: lib/index.ts does
// not export this module, so none of it is public API.

/**
 * Renders a Duration as it is, as a Go duration string: `0s`, `250ms`, `1.5ms`, `30s`, `3m`, `1h`
 * (to the nanosecond, rounding away binary noise). It checks nothing: the rule book judges
 * Istio's "at least 1ms, whole milliseconds" on the rendered object.
 */
export function renderIstioDuration(duration: Duration): string {
  // Round away binary noise (Duration.seconds(1.001) is 1000.9999999999999 ms).
  const ms = Math.round(duration.toMilliseconds({ integral: false }) * 1e6) / 1e6;
  if (ms === 0) return '0s';
  if (Number.isInteger(ms) && ms % 1000 === 0) {
    const s = ms / 1000;
    if (s % 3600 === 0) return `${s / 3600}h`;
    if (s % 60 === 0) return `${s / 60}m`;
    return `${s}s`;
  }
  return `${ms}ms`;
}

/**
 * Throws through `at` unless `value` is an integer within the range of the CRD schema's integer
 * type (`int32` by default). The schema is checked at synth only, so constructs check this at once.
 */
export function checkInteger(at: FieldPath, value: number, max = 2147483647, min = -2147483648): void {
  if (!Number.isInteger(value)) at.fail(value, 'must be an integer');
  if (value > max || value < min) at.fail(value, `must be an integer between ${min} and ${max}`);
}

/**
 * Renders a Duration as a Go duration string (`250ms`, `30s`, `3m`, `1h`) after checking
 * Istio's rule: at least 1 ms, in whole milliseconds.
 */
export function formatIstioDuration(object: string, field: string, duration: Duration): string {
  // Round away binary noise (Duration.seconds(1.001) is 1000.9999999999999 ms).
  const ms = Math.round(duration.toMilliseconds({ integral: false }) * 1e6) / 1e6;
  let text = `${ms}ms`;
  if (Number.isInteger(ms) && ms > 0 && ms % 1000 === 0) {
    const s = ms / 1000;
    if (s % 3600 === 0) text = `${s / 3600}h`;
    else if (s % 60 === 0) text = `${s / 60}m`;
    else text = `${s}s`;
  }
  if (!isIstioDuration(text)) {
    fail(
      object,
      field,
      `${ms}ms`,
      'must be at least 1ms and a whole number of milliseconds',
      'use Duration.millis(n) with an integer n >= 1',
    );
  }
  return text;
}

/**
 * Checks an `exportTo` list: `.`, `*` or DNS-1123 labels, no duplicates, `*` alone,
 * `~` (hide from every namespace) alone and only where `allowTilde`. `namespace` is the
 * object's own, which `.` stands for. Returns a copy (empty when `exportTo` is undefined).
 */
export function checkExportTo(
  object: string,
  exportTo: string[] | undefined,
  namespace: string | undefined,
  allowTilde: boolean,
): string[] {
  const list = exportTo ?? [];
  const seen = new Map<string, number>();
  list.forEach((entry, i) => {
    const field = `spec.exportTo[${i}]`;
    const known = entry === '.' || entry === '*' || (allowTilde && entry === '~') || isDns1123Label(entry);
    if (!known) {
      fail(object, field, entry, `must be '.', '*'${allowTilde ? ", '~'" : ''} or a namespace name (DNS-1123 label)`);
    }
    if ((entry === '*' || entry === '~') && list.length > 1) {
      fail(object, field, entry, 'must be the only entry of exportTo', `use ['${entry}'] alone`);
    }
    // Like Istio's webhook, '.' and the object's own namespace name count as the same entry.
    const key = entry === '.' ? (namespace ?? '.') : entry;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      const alias = list[earlier] !== entry ? ` ('.' is this object's namespace '${key}')` : '';
      fail(object, field, entry, `is listed twice${alias}`, 'remove the duplicate');
    }
    seen.set(key, i);
  });
  return [...list];
}

/**
 * Checks a label map used as a selector: at least one entry, each a valid Kubernetes label
 * (so no `*`). Returns a copy.
 */
export function checkSelector(object: string, field: string, labels: { [key: string]: string }): { [key: string]: string } {
  if (Object.keys(labels).length === 0) {
    fail(object, field, labels, 'must have at least one label', "select pods with a label such as { version: 'v1' }");
  }
  return checkLabels(object, field, labels);
}

/** Checks a label map (which may be empty): Kubernetes label keys and values. Returns a copy. */
export function checkLabels(object: string, field: string, labels: { [key: string]: string }): { [key: string]: string } {
  for (const [key, value] of Object.entries(labels)) {
    if (!isLabelKey(key)) {
      fail(object, `${field}.${key}`, key, 'is not a valid label key ([prefix/]name, name at most 63 alphanumerics, "-", "_", ".")');
    }
    if (typeof value !== 'string' || !isLabelValue(value)) {
      fail(
        object,
        `${field}.${key}`,
        value,
        'is not a valid label value (at most 63 alphanumerics, "-", "_", ".", starting and ending alphanumeric)',
      );
    }
  }
  return { ...labels };
}
