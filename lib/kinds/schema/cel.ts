import type * as Cel from '@bufbuild/cel';
import type * as CelExt from '@bufbuild/cel/ext';
import type { RE2JS as Re2 } from 're2js';
import { nativeRule, UNSURE } from './cel-native';

/**
 * The CEL environment of Kubernetes' `x-kubernetes-validations`: the standard library
 * (`duration()`, `size()`, `has()`, macros `all`/`exists`/`exists_one`, `matches` with RE2)
 * plus the strings extension (`substring` ...) and the part of Kubernetes' URL library that
 * Istio's CRD rules use (`url(s).getScheme()` ...).
 */
function environment(cel: typeof Cel, ext: typeof CelExt, RE2JS: typeof Re2) {
  return cel.celEnv({
    funcs: [...ext.strings, ...urlLibrary(cel)],
    re2: {
      compile(pattern: string) {
        const re = RE2JS.compile(pattern);
        return { test: (text: string) => re.matcher(text).find() };
      },
    },
  });
}

/**
 * Kubernetes' `url()` (an absolute URI, or an absolute path) with its getters, as a map from part
 * to string; a string that is not a URL makes `url()` fail, which reports the rule as broken.
 */
function urlLibrary(cel: typeof Cel) {
  const parts = cel.mapType(cel.CelScalar.STRING, cel.CelScalar.STRING);
  const parse = (text: string): Map<string, string> => {
    const u = new URL(text, text.startsWith('/') ? 'path:/' : undefined);
    const relative = text.startsWith('/');
    return new Map([
      ['scheme', relative ? '' : u.protocol.replace(/:$/, '')],
      ['host', relative ? '' : u.host],
      ['hostname', relative ? '' : u.hostname.replace(/^\[|\]$/g, '')],
      ['port', relative ? '' : u.port],
      ['path', u.pathname],
      ['query', u.search.replace(/^\?/, '')],
    ]);
  };
  const getter = (method: string, part: string) =>
    cel.celMethod(method, parts, [], cel.CelScalar.STRING, function (this: Cel.CelMap) {
      const value = this.get(part);
      return typeof value === 'string' ? value : '';
    });
  return [
    cel.celFunc('url', [cel.CelScalar.STRING], parts, (text: string) => parse(text)),
    cel.celFunc('isURL', [cel.CelScalar.STRING], cel.CelScalar.BOOL, (text: string) => {
      try {
        parse(text);
        return true;
      } catch {
        return false;
      }
    }),
    getter('getScheme', 'scheme'),
    getter('getHost', 'host'),
    getter('getHostname', 'hostname'),
    getter('getPort', 'port'),
    getter('getEscapedPath', 'path'),
    getter('getQuery', 'query'),
  ];
}

// Loaded with the first rule to compile: most manifests reach no CEL rule, and loading the CEL
// library is about a third of the analysis's start-up.
let runtime: { readonly cel: typeof Cel; readonly env: ReturnType<typeof environment> } | undefined;
function celRuntime(): NonNullable<typeof runtime> {
  if (!runtime) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const cel: typeof Cel = require('@bufbuild/cel');
    const ext: typeof CelExt = require('@bufbuild/cel/ext');
    const re2: typeof Re2 = require('re2js').RE2JS;
    /* eslint-enable @typescript-eslint/no-require-imports */
    runtime = { cel, env: environment(cel, ext, re2) };
  }
  return runtime;
}

type Program = (self: unknown) => boolean | undefined;

// Rules are compiled once per distinct expression; the CRDs repeat the same few rules many times.
const PROGRAMS = new Map<string, Program>();

/**
 * Compiles a CEL rule into a predicate over `self`. The predicate returns undefined when
 * evaluation fails (e.g. `duration('abc')`), which the API server reports as a violation too.
 * @internal
 */
export function celProgram(rule: string): Program {
  let program = PROGRAMS.get(rule);
  if (!program) {
    const native = nativeRule(rule);
    if (native) {
      // The JavaScript twin answers; CEL (compiled on first need) only for what the twin leaves to it.
      let cel: Program | undefined;
      program = (self: unknown) => {
        const result = native(self);
        if (result !== UNSURE) return result;
        cel ??= compileCel(rule);
        return cel(self);
      };
    } else {
      program = compileCel(rule);
    }
    PROGRAMS.set(rule, program);
  }
  return program;
}

/** The rule compiled by the CEL library (loaded on first use). @internal */
export function compileCel(rule: string): Program {
  const { cel, env } = celRuntime();
  const run = cel.plan(env, cel.parse(rule));
  return (self: unknown) => {
    const result = run({ self: self as any });
    return cel.isCelError(result) || typeof result !== 'boolean' ? undefined : result;
  };
}

/**
 * Converts a JSON value into the CEL value the API server would bind: integers of
 * `integer`-typed fields become CEL ints (bigint), everything else keeps its JSON shape.
 * @internal
 */
export function toCel(value: unknown, schema: any): unknown {
  if (value === null || value === undefined || !schema) return value;
  if (typeof value === 'number') {
    return schema.type === 'integer' && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => toCel(v, schema.items));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null) continue; // pruned by the API server
      out[k] = toCel(
        v,
        schema.properties?.[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined),
      );
    }
    return out;
  }
  return value;
}
