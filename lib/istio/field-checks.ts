import { Duration } from 'cdk8s';
import { FieldPath } from './field-path';

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
