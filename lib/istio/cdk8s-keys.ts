import { fail } from '../kinds/errors';

/**
 * Refuses a map key named `constructor` or `__proto__` anywhere in `value` (the object to write),
 * with an IstioConfigError naming `object` and the key's path. Construct-only, stricter than
 * Istio and Kubernetes: cdk8s copies maps into plain objects, where these keys break (its copy
 * rejects or drops them).
 * @internal
 */
export function checkKeysCdk8sCanWrite(object: string, value: unknown): void {
  const unwritable = keyCdk8sCannotWrite(value, '');
  if (unwritable) {
    fail(
      object,
      unwritable,
      unwritable.slice(unwritable.lastIndexOf('.') + 1),
      'is a key cdk8s cannot write (its object copy rejects or drops it)',
      'write this object as a plain manifest',
    );
  }
}

/** The path of the first map key named `constructor` or `__proto__` in `value`, if any. */
function keyCdk8sCannotWrite(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = keyCdk8sCannotWrite(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    for (const key of Object.keys(value)) {
      const at = path === '' ? key : `${path}.${key}`;
      if (key === 'constructor' || key === '__proto__') return at;
      const found = keyCdk8sCannotWrite((value as Record<string, unknown>)[key], at);
      if (found) return found;
    }
  }
  return undefined;
}
