import * as fs from 'fs';
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { Manifest, Severity } from '../../lib/analysis/finding';
import { checkRuleBook } from '../../lib/analysis/rule-book-check';
import { checkSchema } from '../../lib/analysis/schema-check';
import { checkMetadata } from '../../lib/kinds/metadata';
import { Problems } from '../../lib/kinds/problem';
import { coreObjectViolations } from '../../lib/kinds/schema';
import { documentedStricterRule } from './stricter';

/** Runs per property: small in `npm test`, larger with FUZZ_RUNS (`npm run fuzz`). */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 80);
/** Fixed in `npm test` so a failure is reproducible; FUZZ_SEED changes it. */
export const SEED = Number(process.env.FUZZ_SEED ?? 21);
export const PARAMS = { seed: SEED, numRuns: RUNS, endOnFailure: true };

export type Outcome = { readonly accepted: true; readonly errors: string[] } | { readonly accepted: false; readonly message: string };

/** True for our configuration error, also when cdk8s wraps it while serializing a construct. */
function isOurError(e: unknown): e is Error {
  if ((e as { isIstioConfigError?: boolean })?.isIstioConfigError) return true;
  return e instanceof Error && /^Failed serializing construct .*: IstioConfigError: /s.test(e.message);
}

/**
 * Builds constructs in a chart: either our configuration error (at construction, in a
 * validation, or while rendering), or the objects written, with what our per-object checks
 * (CRD schema + CEL, rule book, core object ranges, metadata) find wrong in them. Any other error is a
 * crash and is thrown.
 */
export function outcome(build: (chart: Chart) => void): Outcome {
  const chart = new Chart(Testing.app(), 'test');
  try {
    build(chart);
    const messages = chart.node.findAll().flatMap((c) => c.node.validate());
    if (messages.length > 0) return { accepted: false, message: messages.join('\n') };
    const objects = chart.toJson();
    const errors: string[] = [];
    for (const object of objects) {
      const manifest: Manifest = { object, source: { constructPath: 'test' } };
      for (const f of [...checkSchema(manifest), ...checkRuleBook(manifest)]) {
        if (f.severity === Severity.ERROR) errors.push(`${f.kind}/${f.name} ${f.field ?? ''}: ${f.message} (${f.code})`);
      }
      for (const v of coreObjectViolations(object)) errors.push(`${object.kind}/${object.metadata?.name} ${v.message}`);
      // The metadata of every object, also the Kubernetes ones (Namespace, Deployment, ...) that the schema check does not read.
      const metadata = new Problems();
      checkMetadata(metadata, object.metadata, true);
      for (const m of metadata.errors) errors.push(`${object.kind}/${object.metadata?.name} ${m.path}: ${m.rule}`);
    }
    return { accepted: true, errors };
  } catch (e) {
    if (isOurError(e)) return { accepted: false, message: e.message };
    throw e;
  }
}

// Values: valid ones and the hostile ones users write by mistake. `pools(false)` gives only
// values Istio and Kubernetes accept; `pools(true)` mixes hostile ones in.
export const dnsLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);
const hostileStrings = fc.constantFrom(
  '',
  ' ',
  '*',
  'a b',
  'Bad_Name',
  'é',
  '-a',
  'a-',
  'a'.repeat(300),
  'constructor',
  '__proto__',
  'toString',
  '.',
  '..',
  'a/b',
  'a\nb',
);
export const hostileNumbers = fc.constantFrom(0, -1, 65536, 1.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 32, 1e21, -0);
const fqdn = fc.tuple(dnsLabel, dnsLabel).map(([a, b]) => `${a}.${b}.svc.cluster.local`);
const externalHost = fc.tuple(dnsLabel, fc.constantFrom('com', 'org', 'io')).map(([a, b]) => `${a}.example.${b}`);
const labelKey = fc.oneof(
  dnsLabel,
  dnsLabel.map((l) => `example.com/${l}`),
);
const labelValue = fc.oneof(dnsLabel, fc.constant(''), fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,8}[A-Za-z0-9])?$/));

export interface Pools {
  readonly hostile: boolean;
  readonly name: fc.Arbitrary<string>;
  readonly text: fc.Arbitrary<string>;
  readonly host: fc.Arbitrary<string>;
  readonly port: fc.Arbitrary<number>;
  readonly labels: fc.Arbitrary<Record<string, string>>;
  readonly exportTo: fc.Arbitrary<string[]>;
  /** A fully qualified host, no wildcard. */
  readonly fqdn: fc.Arbitrary<string>;
  /** A small count (0-10), or a hostile number. */
  readonly count: fc.Arbitrary<number>;
  /** `min`..`max`, or a hostile number. */
  int(min: number, max: number): fc.Arbitrary<number>;
}

export function pools(hostile: boolean): Pools {
  const mix = <T>(valid: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) =>
    hostile ? fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: bad }) : valid;
  const name = mix(dnsLabel, hostileStrings);
  const int = (min: number, max: number) => mix(fc.integer({ min, max }), hostileNumbers);
  return {
    hostile,
    name,
    text: mix(dnsLabel, fc.oneof(hostileStrings, fc.string({ maxLength: 12 }))),
    host: mix(
      fc.oneof(
        dnsLabel,
        fqdn,
        externalHost,
        externalHost.map((h) => `*.${h}`),
      ),
      hostileStrings,
    ),
    port: int(1, 65535),
    labels: mix(
      fc.dictionary(labelKey, labelValue, { minKeys: 1, maxKeys: 3 }),
      fc.dictionary(fc.oneof(hostileStrings, dnsLabel), fc.oneof(hostileStrings, dnsLabel), { maxKeys: 3 }),
    ),
    // Istio: no duplicates, and '*' alone.
    exportTo: hostile
      ? fc.array(fc.oneof(fc.constantFrom('.', '*'), dnsLabel, hostileStrings), { maxLength: 3 })
      : fc.oneof(
          fc.constant<string[]>([]),
          fc.constant<string[]>(['*']),
          fc.uniqueArray(fc.oneof(fc.constant('.'), dnsLabel), { minLength: 1, maxLength: 3 }),
        ),
    fqdn: mix(fc.oneof(fqdn, externalHost), hostileStrings),
    count: int(0, 10),
    int,
  };
}

/** Props from valid pools in some runs and hostile ones in others. */
export function propsOf<T>(make: (p: Pools) => fc.Arbitrary<T>): fc.Arbitrary<{ hostile: boolean; props: T }> {
  const valid = make(pools(false));
  const hostile = make(pools(true));
  return fc.oneof(
    valid.map((props) => ({ hostile: false, props })),
    // Hostile everywhere: with many fields, almost always refused.
    hostile.map((props) => ({ hostile: true, props })),
    // Valid props with one top-level field taken from hostile ones: often accepted, so that what
    // a construct accepts of a hostile value is checked too.
    fc.tuple(valid, hostile, fc.nat()).map(([v, h, pick]) => ({ hostile: true, props: withOneFieldOf(v, h, pick) })),
  );
}

function withOneFieldOf<T>(valid: T, hostile: T, pick: number): T {
  if (!isRecord(valid) || !isRecord(hostile)) return hostile;
  const keys = [...new Set([...Object.keys(valid), ...Object.keys(hostile)])].sort();
  if (keys.length === 0) return hostile;
  const key = keys[pick % keys.length];
  return { ...valid, [key]: hostile[key] } as T;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value));
}

/** Fails with every accepted-but-invalid case found, naming the props. */
export function expectNoInvalidAccepted(props: unknown, o: Outcome): void {
  if (o.accepted && o.errors.length > 0) {
    throw new Error(`accepted but invalid:\n  ${o.errors.join('\n  ')}\nprops: ${safeJson(props)}`);
  }
}

export function safeJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

/** Counts outcomes of a property's runs. */
export class Counts {
  public accepted = 0;
  public refused = 0;
  /** Valid-pool cases accepted, and refused by a documented stricter rule (any other refusal fails the property). */
  public validAccepted = 0;
  public validRefusedDocumented = 0;
  public add(o: Outcome, hostile = true): void {
    if (o.accepted) this.accepted++;
    else this.refused++;
    if (!hostile && o.accepted) this.validAccepted++;
    if (!hostile && !o.accepted) this.validRefusedDocumented++;
  }
  /** Both outcomes occurred: the generator reaches valid and invalid props. */
  public expectBoth(): void {
    report(this);
    if (this.accepted + this.refused === 0) return;
    expect({ accepted: this.accepted > 0, refused: this.refused > 0 }).toEqual({ accepted: true, refused: true });
  }
}

/** With FUZZ_REPORT set (`npm run fuzz`), appends each property's counts to that file, one JSON line each. */
function report(c: Counts): void {
  const file = process.env.FUZZ_REPORT;
  if (!file || c.accepted + c.refused === 0) return;
  const line = { property: expect.getState().currentTestName, ...c };
  fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
}

export const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

/** Runs one property: accepted is valid; from valid pools, refused only by a documented rule. */
export function check<T>(
  make: (p: Pools) => fc.Arbitrary<T>,
  build: (scope: Construct, props: T) => void,
  counts: Counts,
  validNotRefused = true,
): void {
  fc.assert(
    fc.property(propsOf(make), ({ hostile, props }) => {
      const o = outcome((chart) => build(chart, props));
      counts.add(o, hostile || !validNotRefused);
      expectNoInvalidAccepted(props, o);
      if (validNotRefused && !hostile && !o.accepted && !documentedStricterRule(o.message)) {
        throw new Error(`valid but refused (and not a documented stricter rule): ${o.message}`);
      }
    }),
    PARAMS,
  );
}

export interface Property {
  readonly name: string;
  run(counts: Counts): void;
}

export function property<T>(
  name: string,
  make: (p: Pools) => fc.Arbitrary<T>,
  build: (scope: Construct, props: T) => void,
  validNotRefused = true,
): Property {
  return { name, run: (counts) => check(make, build, counts, validNotRefused) };
}

/**
 * One test per property. Each property must see both outcomes (accepted and refused), or its
 * generator reaches only one side and tests nothing.
 */
export function describeProperties(title: string, properties: Property[]): void {
  describe(title, () => {
    let counts: Counts;
    beforeEach(() => {
      counts = new Counts();
    });
    afterEach(() => {
      counts.expectBoth();
    });
    test.each(properties.map((p) => [p.name, p]))('%s', (_, p) => p.run(counts));
  });
}
