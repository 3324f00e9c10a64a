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

/** Renders a value for a message: strings quoted, everything else as JSON. @internal */
export function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/**
 * Throws an {@link IstioConfigError}: `<object>: <field> (<value>) <rule>[; <fix>]`.
 * @internal
 */
export function fail(object: string, field: string, value: unknown, rule: string, fix?: string): never {
  throw new IstioConfigError(`${object}: ${field} (${show(value)}) ${rule}${fix ? `; ${fix}` : ''}`);
}
