import { CliIo } from './main';
import { InputError } from './load';

/** A mistake in the command line: exit status 2 with the usage. @internal */
export class CliUsageError extends Error {}

/** Command-line arguments: flags with values (repeatable ones collected) and positionals. @internal */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly values: Map<string, string[]>;
}

/**
 * Parses `args` given the flags that take a value (aliases map to their long name), those that
 * may be repeated, and the switches (flags without a value, recorded as `'true'`). @internal
 */
export function parseFlags(
  args: readonly string[],
  flags: readonly string[],
  aliases: { [alias: string]: string } = {},
  multi: readonly string[] = [],
  switches: readonly string[] = [],
): ParsedArgs {
  const positionals: string[] = [];
  const values = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const raw = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = aliases[raw] ?? raw;
    if (switches.includes(flag)) {
      if (eq > 0) throw new CliUsageError(`${raw} takes no value`);
      values.set(flag, ['true']);
      continue;
    }
    if (!flags.includes(flag)) throw new CliUsageError(`unknown option '${raw}'`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') throw new CliUsageError(`${raw} needs a value`);
    const list = values.get(flag) ?? [];
    if (list.length > 0 && !multi.includes(flag)) throw new CliUsageError(`${raw} given twice`);
    list.push(value);
    values.set(flag, list);
  }
  return { positionals, values };
}

/** Exit status 2 with a message for usage and input errors; never a stack trace. @internal */
export function reportCliError(e: unknown, io: CliIo, usage: string): number {
  if (e instanceof CliUsageError) io.stderr(`cdk8s-istio: ${e.message}\n\n${usage}`);
  else if (e instanceof InputError) io.stderr(`cdk8s-istio: ${e.message}\n`);
  else io.stderr(`cdk8s-istio: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  return 2;
}

/** The `--format` of a command that writes text or JSON. @internal */
export function formatOf(values: Map<string, string[]>): 'text' | 'json' {
  const f = values.get('--format')?.[0] ?? 'text';
  if (f !== 'text' && f !== 'json') throw new CliUsageError(`--format must be 'text' or 'json', not '${f}'`);
  return f;
}
