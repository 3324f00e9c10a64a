import { ApiObject, ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { isAnalyzedApp } from '../kinds/analyzed-apps';
import { checkKeysCdk8sCanWrite } from './cdk8s-keys';
import { apiVersionOf, IstioKind, kindNamed, ruleBookProblems } from '../kinds/catalogue';
import { describe, fail, IstioConfigError } from '../kinds/errors';
import { isDns1123Subdomain } from '../kinds/fields';
import { Problem, problemMessage } from '../kinds/problem';
import { specSchemaViolations } from '../kinds/schema';
import { IstioApi } from './api-version';
import { FieldPath } from './field-path';

/** Options every Istio construct accepts. */
export interface IstioResourceProps {
  /**
   * Metadata of the Istio object. `name` is used exactly as given (never hashed).
   * @default - name is the construct id; namespace is the chart's
   */
  readonly metadata?: ApiObjectMetadata;
}

/**
 * Base of the L2 Istio constructs: one Istio object as the child `Resource`,
 * with an exact name and a spec rendered lazily, so that constructor props and
 * later `add*()` calls share one code path.
 *
 * The CRD's schema (with its CEL rules) and Istio's admission rules (the rule book,
 * `lib/kinds/`) are checked over the rendered object: the constructor and every `add*()`
 * call throw the errors about what they set; errors a later call could still fix (see
 * `_isCompletable`) are reported at synth, by the mesh analysis where the app runs it, else
 * by the construct's own validation.
 */
export abstract class IstioResource extends Construct {
  /** The object's `metadata.name`. */
  public readonly name: string;
  /** The Kubernetes kind (`VirtualService`, ...). */
  public readonly kind: string;
  /** The underlying API object, for escape hatches such as `addJsonPatch`. */
  public readonly apiObject: ApiObject;
  private readonly _entry: IstioKind;
  // The metadata as the props gave it: all the rule book reads before synth (synth reads the object as written).
  private readonly _metadata: ApiObjectMetadata;
  private _building = true;

  protected constructor(scope: Construct, id: string, kind: string, props: IstioResourceProps) {
    super(scope, id);
    this._entry = kindNamed(kind);
    this.kind = kind;
    this.name = props.metadata?.name ?? id;
    this.validateName(this.name);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: apiVersionOf(this._entry, IstioApi.versionOf(this)),
      kind,
      metadata: { ...props.metadata, name: this.name },
      spec: Lazy.any({ produce: () => this._toSpec() }),
    });
    this._metadata = { ...props.metadata, name: this.name, namespace: this.apiObject.metadata.namespace };
    this.node.addValidation({ validate: () => (isAnalyzedApp(this.node.root) ? [] : this._synthErrors()) });
  }

  /** The namespace of the object, when it or its chart sets one. */
  public get namespace(): string | undefined {
    return this.apiObject.metadata.namespace;
  }

  /** `Kind 'name'`, for error messages. @internal */
  protected get _describe(): string {
    return describe(this.kind, this.name);
  }

  /** Where the spec renders: this object's `spec`. @internal */
  protected get _specPath(): FieldPath {
    return FieldPath.of(this._describe).at('spec');
  }

  /** Checks `metadata.name`; kinds with stricter rules override it. */
  protected validateName(name: string): void {
    if (!isDns1123Subdomain(name)) {
      fail(
        describe(this.kind, name),
        'metadata.name',
        name,
        'must be a DNS-1123 subdomain (lower case alphanumerics, "-" and ".", at most 253 characters)',
        'choose a name like "addedvalues" or "addedvalues-v2"',
      );
    }
  }

  /**
   * Subclasses call this last in their constructor: the rule book checks the object as the
   * props made it, and throws its errors (but the completable ones) at once.
   * @internal
   */
  protected _constructed(): void {
    this._building = false;
    this._throwRuleBookErrors();
  }

  /** `add*()` methods call this after a change; inside the constructor (or `_batch`) it waits for the end of it. @internal */
  protected _changed(): void {
    if (!this._building) this._throwRuleBookErrors();
  }

  /**
   * Runs `fn` (a series of `add*()` calls) and checks the object once at its end rather than
   * after each call, as the constructor does with its props: the patterns that build an object
   * from several parts call it so that their construction checks each object once, not once per
   * part. The errors are those of the object as `fn` left it; when `fn` throws, nothing more is
   * checked. Inside the constructor or another batch, `fn` simply runs.
   * @internal
   */
  public _batch<T>(fn: () => T): T {
    if (this._building) return fn();
    this._building = true;
    let result: T;
    try {
      result = fn();
    } finally {
      this._building = false;
    }
    this._throwRuleBookErrors();
    return result;
  }

  /**
   * `_changed()` after an `add*()` call has applied its change; when that throws, `undo` takes the
   * change back before the error propagates, so a refused call adds nothing.
   * @internal
   */
  protected _changedOrUndo(undo: () => void): void {
    try {
      this._changed();
    } catch (e) {
      undo();
      throw e;
    }
  }

  /**
   * `add*()` methods call this: adds `item` to `list`, checks the object, and takes the item
   * back out (rethrowing) when it broke a rule.
   * @internal
   */
  protected _addChecked<T>(list: T[], item: T): void {
    list.push(item);
    this._changedOrUndo(() => list.pop());
  }

  /**
   * True for a rule-book error that a later `add*()` call can still fix (a list that is empty
   * so far): it is reported at synth rather than thrown. None by default.
   * @internal
   */
  protected _isCompletable(_problem: Problem): boolean {
    return false;
  }

  /** Renders the spec as the kind's generated spec type. @internal */
  protected abstract _toSpec(): object;

  private _throwRuleBookErrors(): void {
    const object = { metadata: this._metadata, spec: this._toSpec() };
    checkKeysCdk8sCanWrite(this._describe, object);
    const errors = this._errorsOf(object, (p) => !this._isCompletable(p));
    if (errors.length > 0) throw new IstioConfigError(errors.join('\n'));
  }

  // At synth, on the object as written (escape-hatch patches included).
  private _synthErrors(): string[] {
    return this._errorsOf(this.apiObject.toJson(), () => true);
  }

  // The spec schema's violations (with the CRD's CEL rules), then the rule book's errors.
  private _errorsOf(object: { spec?: unknown }, keep: (p: Problem) => boolean): string[] {
    const schema = specSchemaViolations(this._entry, object.spec).map((v) => v.message);
    const rules = ruleBookProblems(this._entry, object).errors.filter(keep).map(problemMessage);
    // A rule the CRD and the rule book share (durations of at least 1ms) reads the same in both: say it once.
    return [...new Set([...schema, ...rules])].map((message) => `${this._describe}: ${message}`);
  }
}
