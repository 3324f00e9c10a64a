import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';
import { isObject } from '../kinds/common';
import { RoutingDecision } from '../simulation/decision';
import { MeshSimulator } from '../simulation/mesh-simulator';
import { SimulatedRequest } from '../simulation/request';
import { collectFiles, InputError, readManifests } from './load';
import type { CliIo } from './main';
import { CliUsageError, formatOf, parseFlags, reportCliError } from './args';
import { simulatorOptions } from './route';

/**
 * `cdk8s-istio test`: runs routing test cases written in istio-config-validator's `testCases`
 * format (plus our extensions) against the whole mesh, with Istio's semantics.
 * @internal
 */

export const TEST_USAGE = `Usage: cdk8s-istio test <case file|dir>... --manifests <file|dir>... [options]

Runs routing test cases in istio-config-validator's format (documents with a \`testCases\` list:
description, wantMatch, request with authority/method/uri lists and headers, expected route,
redirect, rewrite, fault, headers, delegate) against the manifests, as Istio's proxies route.
Each request is every combination of the authority, method and uri lists.

Extensions: request.port, request.scheme, request.queryParams, request.gateway (ns/name),
request.source ({namespace, labels}); expected directResponse ({status, body}) and workloads
(the workloads the traffic reaches: names or "Kind ns/name").

Options:
  --manifests <path>...    the manifests (every .yaml/.yml below the paths); repeatable
  --namespace <ns>         namespace of objects that set none and of the caller (default: default)
  --outbound-policy <p>    allow-any (default) or registry-only
  --format text|json       a line per test case and a summary (default), or one JSON object per line
  -h, --help               show this help

Exit status: 0 all test cases pass, 1 some fail, 2 usage error or unreadable input.
`;

/** One test case as read. */
interface TestCase {
  readonly file: string;
  readonly description: string;
  readonly wantMatch: boolean;
  readonly requests: SimulatedRequest[];
  readonly expect: { readonly [field: string]: any };
}

/** The expectation fields, in the order they are checked. */
const EXPECTATIONS = ['route', 'redirect', 'rewrite', 'fault', 'headers', 'delegate', 'directResponse', 'workloads'] as const;

/** The result of one test case (the JSON line of `--format json`). @internal */
export interface TestCaseResult {
  readonly file: string;
  readonly description: string;
  readonly passed: boolean;
  readonly requests: number;
  readonly failures: string[];
}

/** Runs `cdk8s-istio test <args>`; returns the exit status. @internal */
export function testCasesCommand(args: readonly string[], io: CliIo): number {
  if (args.some((a) => a === '-h' || a === '--help')) {
    io.stdout(TEST_USAGE);
    return 0;
  }
  try {
    // `--manifests a b c`: every following argument up to the next option.
    const rest: string[] = [];
    const manifestPaths: string[] = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '--manifests' || args[i].startsWith('--manifests=')) {
        if (args[i].includes('=')) manifestPaths.push(args[i].slice('--manifests='.length));
        while (i + 1 < args.length && !args[i + 1].startsWith('-')) manifestPaths.push(args[++i]);
      } else rest.push(args[i]);
    }
    const { positionals, values } = parseFlags(rest, ['--namespace', '--outbound-policy', '--format']);
    if (positionals.length === 0) throw new CliUsageError('no test case file or directory given');
    if (manifestPaths.length === 0) throw new CliUsageError('--manifests needs at least one file or directory');
    const format = formatOf(values);
    const options = simulatorOptions(values);
    const cases = collectFiles(positionals).flatMap(readTestCases);
    if (cases.length === 0) throw new InputError(`no testCases found in ${positionals.join(', ')}`);
    const sim = MeshSimulator.fromSourcedManifests(readManifests(manifestPaths), options);
    const results = cases.map((c) => runTestCase(sim, c));
    const failed = results.filter((r) => !r.passed).length;
    if (format === 'json') {
      io.stdout(results.map((r) => `${JSON.stringify(r)}\n`).join(''));
    } else {
      const out: string[] = [];
      for (const r of results) {
        out.push(`${r.passed ? 'PASS' : 'FAIL'} ${r.file}: ${r.description} (${r.requests} request${r.requests === 1 ? '' : 's'})\n`);
        for (const f of r.failures) out.push(`${f.replace(/^/gm, '    ')}\n`);
      }
      const requests = results.reduce((n, r) => n + r.requests, 0);
      out.push(`${results.length - failed} passed, ${failed} failed, ${results.length} test cases, ${requests} requests\n`);
      io.stdout(out.join(''));
    }
    return failed > 0 ? 1 : 0;
  } catch (e) {
    return reportCliError(e, io, TEST_USAGE);
  }
}

/** The test cases of one file (every YAML document's `testCases`). @internal */
export function readTestCases(file: string): TestCase[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const out: TestCase[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new InputError(`${file}: invalid YAML: ${doc.errors[0].message.split('\n')[0]}`);
    const value = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!isObject(value)) throw new InputError(`${file}: a test case document must be a mapping with a testCases list`);
    if (value.testCases === undefined) continue;
    if (!Array.isArray(value.testCases)) throw new InputError(`${file}: testCases must be a list`);
    value.testCases.forEach((tc: any, i: number) => out.push(parseTestCase(file, tc, i)));
  }
  return out;
}

function parseTestCase(file: string, tc: any, i: number): TestCase {
  const where = `${file}: testCases[${i}]`;
  if (!isObject(tc)) throw new InputError(`${where} must be a mapping`);
  const description = typeof tc.description === 'string' ? tc.description : `testCases[${i}]`;
  const r = tc.request;
  if (!isObject(r)) throw new InputError(`${where} (${description}): request is required`);
  const list = (field: string): string[] => {
    const v = r[field];
    if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string')) {
      throw new InputError(`${where} (${description}): request.${field} must be a non-empty list of strings`);
    }
    return v;
  };
  const [authorities, methods, uris] = [list('authority'), list('method'), list('uri')];
  const headers = stringMap(r.headers, `${where}.request.headers`);
  const queryParams = stringMap(r.queryParams, `${where}.request.queryParams`);
  const source = isObject(r.source) ? r.source : {};
  const requests: SimulatedRequest[] = [];
  for (const uri of uris) {
    for (const host of authorities) {
      for (const method of methods) {
        requests.push({
          host,
          method,
          uri,
          headers,
          queryParams,
          ...(typeof r.port === 'number' ? { port: r.port } : {}),
          ...(typeof r.scheme === 'string' ? { scheme: r.scheme } : {}),
          ...(typeof r.gateway === 'string' ? { gateway: r.gateway } : {}),
          ...(typeof source.namespace === 'string' ? { sourceNamespace: source.namespace } : {}),
          ...(isObject(source.labels) ? { sourceLabels: stringMap(source.labels, `${where}.request.source.labels`) } : {}),
        });
      }
    }
  }
  const expect: { [field: string]: any } = {};
  for (const f of EXPECTATIONS) if (tc[f] !== undefined && tc[f] !== null) expect[f] = tc[f];
  return { file, description, wantMatch: tc.wantMatch === true, requests, expect };
}

function stringMap(value: unknown, where: string): { [k: string]: string } {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new InputError(`${where} must be a mapping of names to values`);
  const out: { [k: string]: string } = {};
  for (const [k, v] of Object.entries(value)) out[k] = String(v);
  return out;
}

/** Runs one test case: every request, every expectation compared as wantMatch says. @internal */
export function runTestCase(sim: MeshSimulator, tc: TestCase): TestCaseResult {
  const failures: string[] = [];
  for (const request of tc.requests) {
    let decision: RoutingDecision;
    try {
      decision = sim.request(request);
    } catch (e) {
      failures.push(`${describeRequest(request)}: ${(e as Error).message}`);
      continue;
    }
    const wrong: string[] = [];
    for (const [field, wanted] of Object.entries(tc.expect)) {
      const actual = actualOf(field, decision);
      const equal = field === 'workloads' ? sameWorkloads(actual, wanted) : deepEqual(actual, wanted);
      if (equal !== tc.wantMatch) {
        wrong.push(
          tc.wantMatch
            ? `${field}: got ${JSON.stringify(actual ?? null)}, want ${JSON.stringify(wanted)}`
            : `${field}: got ${JSON.stringify(actual ?? null)}, which the test case says it must not be (wantMatch: false)`,
        );
      }
    }
    if (wrong.length > 0) {
      const by = decision.virtualService ? `${decision.virtualService} ${decision.rule ?? '(no rule)'}` : decision.outcome;
      // The first failing request of a case is explained in full; the others in one line each.
      const detail = failures.length === 0 ? `\n${indent(decision.explain())}` : '';
      failures.push(`${describeRequest(request)} [decided by ${by}]:\n  ${wrong.join('\n  ')}${detail}`);
    }
  }
  return { file: tc.file, description: tc.description, passed: failures.length === 0, requests: tc.requests.length, failures };
}

function actualOf(field: string, d: RoutingDecision): any {
  const route = d.actions.route;
  switch (field) {
    case 'route':
      return route?.route;
    case 'delegate':
      return d.delegateSpec;
    case 'workloads':
      return d.destinations.filter((x) => x.weight > 0).flatMap((x) => x.workloads.map((w) => `${w.kind} ${w.namespace}/${w.name}`));
    default:
      return route?.[field];
  }
}

function sameWorkloads(actual: string[], wanted: unknown): boolean {
  if (!Array.isArray(wanted)) return false;
  const matches = (w: string, a: string) => a === w || a.endsWith(`/${w}`);
  return wanted.every((w) => actual.some((a) => matches(String(w), a))) && actual.every((a) => wanted.some((w) => matches(String(w), a)));
}

function deepEqual(a: any, b: any): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined && a[k] !== null);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined && b[k] !== null);
  return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
}

function describeRequest(r: SimulatedRequest): string {
  const headers = Object.entries(r.headers ?? {});
  return `${r.method} ${r.host}${r.uri}${headers.length > 0 ? ` [${headers.map(([k, v]) => `${k}=${v}`).join(', ')}]` : ''}${r.gateway ? ` via ${r.gateway}` : ''}`;
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}
