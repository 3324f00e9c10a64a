import { fail } from '../kinds/errors';

/**
 * Where a value is rendered: the owning object (`DestinationRule 'reviews'`) and the field
 * path inside it (`spec.trafficPolicy.tls`). Value classes render through one, so their errors
 * name the object and the full path, wherever the same value is used.
 * @internal
 */
export class FieldPath {
  /** The root of an object's fields (its path is empty). */
  public static of(owner: string): FieldPath {
    return new FieldPath(owner, '');
  }

  private constructor(
    /** The owning object, as messages name it. */
    public readonly owner: string,
    /** The path from the object's root. */
    public readonly path: string,
  ) {}

  /** The path of a member: `spec` → `spec.host`. */
  public at(key: string): FieldPath {
    return new FieldPath(this.owner, this.path === '' ? key : `${this.path}.${key}`);
  }

  /** The path of a list item: `spec.http` → `spec.http[2]`. */
  public item(index: number): FieldPath {
    return new FieldPath(this.owner, `${this.path}[${index}]`);
  }

  /** Throws an IstioConfigError about this field: `<owner>: <path> (<value>) <rule>[; <fix>]`. */
  public fail(value: unknown, rule: string, fix?: string): never {
    return fail(this.owner, this.path, value, rule, fix);
  }
}
