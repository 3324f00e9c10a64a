/**
 * An error in the user's configuration: names the object, the field, the bad value,
 * the rule it breaks and how to fix it. The CLI and the synth entry print its message
 * without a stack trace.
 */
export class IstioConfigError extends Error {
  /** True for every IstioConfigError (survives duplicated module copies, unlike instanceof). */
  public readonly isIstioConfigError = true;

  public constructor(message: string) {
    super(message);
    this.name = 'IstioConfigError';
  }
}

/** Describes an object for messages: `VirtualService 'addedvalues'`. @internal */
export function describe(kind: string, name: string): string {
  return `${kind} '${name}'`;
}

/**
 * Renders a value for a message: strings quoted, everything else as JSON, except that NaN and
 * ±Infinity (which JSON shows as `null`) are named as such, also inside objects and arrays.
 * @internal
 */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number') return String(value);
  const text = JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? `\u0000${v}\u0000` : v));
  return text === undefined ? String(value) : text.replace(/"\\u0000(NaN|-?Infinity)\\u0000"/g, '$1');
}

/**
 * Throws an {@link IstioConfigError}: `<object>: <field> (<value>) <rule>[; <fix>]`.
 * @internal
 */
export function fail(object: string, field: string, value: unknown, rule: string, fix?: string): never {
  throw new IstioConfigError(`${object}: ${field} (${show(value)}) ${rule}${fix ? `; ${fix}` : ''}`);
}
