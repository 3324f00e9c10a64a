import * as fs from 'fs';
import { inspect } from 'util';

const CONFIG_ERROR = Symbol.for('cdk8s-istio.IstioConfigError');
const HANDLER = Symbol.for('cdk8s-istio.reportHandler');
/** How cdk8s's own App reports failed construct validations (ours included, in a plain App). */
const CDK8S_VALIDATION = 'Validation failed with the following errors:';

/**
 * An error in the user's configuration: names the object, the field, the bad value, the rule it
 * breaks and how to fix it.
 *
 * A configuration mistake is not a bug of the program, so its `stack` is the message alone:
 * Node (uncaught), jest and the cdk8s CLI print the report without a trace of our code.
 * Not exported from the package (jsii cannot export a subclass of `Error`); users test errors
 * with {@link IstioErrors.isConfigError}.
 */
export class IstioConfigError extends Error {
  public constructor(message: string) {
    super(message);
    // Non-enumerable: Node prints an error's enumerable own properties after its stack.
    Object.defineProperty(this, 'name', { value: 'IstioConfigError', writable: true, configurable: true, enumerable: false });
    Object.defineProperty(this, 'stack', { value: message, writable: true, configurable: true, enumerable: false });
    Object.defineProperty(this, CONFIG_ERROR, { value: true, enumerable: false });
    installReportHandler();
  }

  /** True for every IstioConfigError (survives duplicated module copies, unlike instanceof). */
  public get isIstioConfigError(): boolean {
    return true;
  }
}

/**
 * Telling configuration errors (the user's mistakes, reported without a stack trace) from
 * programming errors.
 */
export class IstioErrors {
  /**
   * Whether `thrown` is a configuration error thrown by cdk8s-istio: a construct given a bad
   * value, or a synth that found errors. Works across copies of the package.
   * @param thrown anything caught
   */
  public static isConfigError(thrown: any): boolean {
    return typeof thrown === 'object' && thrown !== null && thrown[CONFIG_ERROR] === true;
  }

  /**
   * The report of a configuration error (its message), or `undefined` for anything else.
   * @param thrown anything caught
   */
  public static reportOf(thrown: any): string | undefined {
    return IstioErrors.isConfigError(thrown) ? String(thrown.message) : undefined;
  }

  private constructor() {}
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

/**
 * Runs `lookup` on behalf of `object`'s prop `field`: a configuration error it throws (e.g.
 * `'v4' is not a version of VersionedService 'reviews' (known: v1)`) is thrown again as
 * `<object>: <field> <that message>`, so that it names the construct that asked.
 * @internal
 */
export function onBehalfOf<T>(object: string, field: string, lookup: () => T): T {
  try {
    return lookup();
  } catch (e) {
    if (IstioErrors.isConfigError(e)) throw new IstioConfigError(`${object}: ${field} ${(e as Error).message}`);
    throw e;
  }
}

/**
 * Installs, once per process, the handler that prints an uncaught configuration error as its
 * report alone (no stack trace) and ends the process with a failure. Any other uncaught error
 * is printed with its stack, as Node would, and exits with 1, unless another handler listens.
 *
 * Not under jest: jest catches what a test throws and prints the error's `stack`, which for a
 * configuration error is the report.
 *
 * Under `cdk8s synth` (which sets `CDK8S_OUTDIR` and `CDK8S_RECORD_CONSTRUCT_METADATA` for the
 * app it runs, after deleting the output directory), the app exits with 0 having written
 * nothing: the CLI then fails with `ERROR: synthesis failed, app expected to create "<outdir>"`
 * and exit code 1. A non-zero exit would make the CLI print a stack trace of its own.
 * @internal
 */
export function installReportHandler(): void {
  if (process.env.JEST_WORKER_ID !== undefined) return;
  const global = globalThis as { [HANDLER]?: boolean };
  if (global[HANDLER]) return;
  global[HANDLER] = true;
  process.on('uncaughtException', reportUncaught);
}

/** The report of a configuration error, or of a failed cdk8s validation; `undefined` for a bug. @internal */
export function configErrorReport(error: unknown): string | undefined {
  const report = IstioErrors.reportOf(error);
  if (report !== undefined) return report;
  if (error instanceof Error && error.message.startsWith(CDK8S_VALIDATION)) return error.message;
  return undefined;
}

function reportUncaught(error: unknown): void {
  const report = configErrorReport(error);
  if (report === undefined) {
    // Another handler of the program's own decides (Node's `domain` adds one alongside any other).
    const others = process.listeners('uncaughtException').filter((l) => l !== reportUncaught && l.name !== 'domainUncaughtExceptionClear');
    if (others.length > 0) return;
    process.stderr.write(`${error instanceof Error ? inspect(error) : `Uncaught ${inspect(error)}`}\n`);
    process.exit(1);
  }
  process.stderr.write(`${report}\n`);
  process.exit(leaveFailureToCdk8sCli() ? 0 : 1);
}

/**
 * True when running under `cdk8s synth` with an output directory that is absent (or empty, as
 * a plain `App` leaves it after failing, then removed): exiting with 0 lets the CLI report the
 * failure without its own stack trace.
 */
function leaveFailureToCdk8sCli(): boolean {
  const outdir = process.env.CDK8S_OUTDIR;
  if (!outdir || process.env.CDK8S_RECORD_CONSTRUCT_METADATA === undefined) return false;
  try {
    if (fs.existsSync(outdir)) {
      if (fs.readdirSync(outdir).length > 0) return false;
      fs.rmdirSync(outdir);
    }
    return true;
  } catch {
    return false;
  }
}
