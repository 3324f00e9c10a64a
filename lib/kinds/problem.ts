import { show } from './errors';

/**
 * What the rule book says about one field of an Istio object: the field path, the bad value
 * (when the message quotes it), the rule it breaks, how to fix it, and how bad it is.
 *
 * The rule book only returns problems; the constructs turn errors into {@link IstioConfigError}s
 * and the analysis turns every problem into an IST0106 (error) or IST0133 (warning) finding.
 * @internal
 */
export interface Problem {
  /** `error`: Istio's admission webhook rejects the object; `warning`: it accepts it with a warning. */
  readonly severity: 'error' | 'warning';
  /** Path of the field, from the object's root (`spec.http[0].retries.perTryTimeout`). */
  readonly path: string;
  /** True when the message quotes {@link value}. */
  readonly quoted: boolean;
  /** The bad value. */
  readonly value?: unknown;
  /** The rule it breaks (`must be a whole number of milliseconds`). */
  readonly rule: string;
  /** How to fix it, when the rule alone does not say. */
  readonly fix?: string;
}

/**
 * Collects the problems of one object. Rule functions take one and add to it; they never throw
 * for a user's mistake.
 * @internal
 */
export class Problems {
  public readonly list: Problem[] = [];

  /** An error quoting the bad value: `<path> (<value>) <rule>`. */
  public error(path: string, value: unknown, rule: string, fix?: string): void {
    this.list.push({ severity: 'error', path, quoted: true, value, rule, fix });
  }

  /** An error that quotes no value (a missing field, a whole object): `<path>: <rule>`. */
  public errorAt(path: string, rule: string, fix?: string): void {
    this.list.push({ severity: 'error', path, quoted: false, rule, fix });
  }

  /** A warning quoting the value. */
  public warn(path: string, value: unknown, rule: string, fix?: string): void {
    this.list.push({ severity: 'warning', path, quoted: true, value, rule, fix });
  }

  /** A warning that quotes no value. */
  public warnAt(path: string, rule: string, fix?: string): void {
    this.list.push({ severity: 'warning', path, quoted: false, rule, fix });
  }

  /** The errors only. */
  public get errors(): Problem[] {
    return this.list.filter((p) => p.severity === 'error');
  }
}

/**
 * Runs `check` and keeps only its errors: for the parts of a spec whose warnings Istio's webhook
 * drops (it joins their results as plain errors). @internal
 */
export function errorsOnly(r: Problems, check: (scratch: Problems) => void): void {
  const scratch = new Problems();
  check(scratch);
  r.list.push(...scratch.errors);
}

/** `<path> (<value>) <rule>[; <fix>]`, or `<path>: <rule>[; <fix>]` when no value is quoted. @internal */
export function problemMessage(p: Problem): string {
  const head = p.quoted ? `${p.path} (${show(p.value)}) ${p.rule}` : `${p.path}: ${p.rule}`;
  return p.fix ? `${head}; ${p.fix}` : head;
}

/** A rule-book entry: every admission rule of one kind, over the object as plain JSON. @internal */
export type RuleBookEntry = (object: any, out: Problems) => void;
