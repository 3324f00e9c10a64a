import { Chart, Testing } from 'cdk8s';
import { VirtualService, RouteDestination } from '../../lib';
import { ISTIO_KINDS } from '../../lib/kinds/catalogue';
import { fixture } from './fixtures';
import { analyze, expectCase, RuleCase, variant } from './helpers';

const VS = fixture('VirtualService', 'addedvalues');

// Metadata as the API server checks it, for every Istio object we write: one breaking change and
// one near miss per rule.
const CASES: RuleCase[] = [
  {
    rule: 'name is a DNS-1123 subdomain',
    bad: { 'metadata.name': 'Added_Values' },
    good: { 'metadata.name': 'added-values.v2' },
    field: 'metadata.name',
    message: 'must be a DNS-1123 subdomain',
  },
  {
    rule: 'namespace is a DNS-1123 label (no dots, no upper case)',
    bad: { 'metadata.namespace': 'bank.eu' },
    good: { 'metadata.namespace': 'bank-eu' },
    field: 'metadata.namespace',
    message: 'must be a DNS-1123 label',
  },
  {
    rule: 'namespace at most 63 characters',
    bad: { 'metadata.namespace': 'b'.repeat(64) },
    good: { 'metadata.namespace': 'b'.repeat(63) },
    field: 'metadata.namespace',
    message: 'must be a DNS-1123 label',
  },
  {
    rule: 'label key name is a qualified name',
    bad: { 'metadata.labels': { team_: 'payments' } },
    good: { 'metadata.labels': { team_a: 'payments' } },
    field: 'metadata.labels.team_',
    message: 'is not a valid label key',
  },
  {
    rule: 'label key prefix is a lower-case DNS subdomain (Kubernetes, unlike Istio in specs)',
    bad: { 'metadata.labels': { 'Bank.example/team': 'payments' } },
    good: { 'metadata.labels': { 'bank.example/Team': 'payments' } },
    field: 'metadata.labels.Bank.example/team',
    message: 'is not a valid label key',
  },
  {
    rule: 'label key name at most 63 characters',
    bad: { 'metadata.labels': { ['k'.repeat(64)]: 'v' } },
    good: { 'metadata.labels': { ['k'.repeat(63)]: 'v' } },
    field: `metadata.labels.${'k'.repeat(64)}`,
    message: 'is not a valid label key',
  },
  {
    rule: 'label value at most 63 characters',
    bad: { 'metadata.labels': { version: 'v'.repeat(64) } },
    good: { 'metadata.labels': { version: 'v'.repeat(63) } },
    field: 'metadata.labels.version',
    message: 'is not a valid label value',
  },
  {
    rule: 'label value starts and ends alphanumeric',
    bad: { 'metadata.labels': { version: '-v2' } },
    good: { 'metadata.labels': { version: 'v2-canary', empty: '' } },
    field: 'metadata.labels.version',
    message: 'is not a valid label value',
  },
  {
    rule: 'label value is a string',
    bad: { 'metadata.labels': { version: 2 } },
    good: { 'metadata.labels': { version: '2' } },
    field: 'metadata.labels.version',
    message: 'must be a string',
  },
  {
    rule: 'annotation key is a qualified name',
    bad: { 'metadata.annotations': { 'bank.example/owner team': 'payments' } },
    good: { 'metadata.annotations': { 'bank.example/owner-team': 'payments' } },
    field: 'metadata.annotations.bank.example/owner team',
    message: 'is not a valid annotation key',
  },
  {
    rule: 'annotation keys are compared in lower case (upper case allowed)',
    bad: { 'metadata.annotations': { 'Bank.example/Owner/Team': 'payments' } },
    good: { 'metadata.annotations': { 'Bank.example/Owner': 'payments' } },
    field: 'metadata.annotations.Bank.example/Owner/Team',
    message: 'is not a valid annotation key',
  },
  {
    rule: 'annotation value is a string',
    bad: { 'metadata.annotations': { 'bank.example/replicas': 3 } },
    good: { 'metadata.annotations': { 'bank.example/replicas': '3' } },
    field: 'metadata.annotations.bank.example/replicas',
    message: 'must be a string',
  },
  {
    rule: 'annotations at most 256 KiB in all',
    bad: { 'metadata.annotations': { 'bank.example/a': 'x'.repeat(200 * 1024), 'bank.example/b': 'x'.repeat(60 * 1024) } },
    good: { 'metadata.annotations': { 'bank.example/a': 'x'.repeat(200 * 1024), 'bank.example/b': 'x'.repeat(56 * 1024 - 30) } },
    field: 'metadata.annotations',
    message: 'the API server allows at most 262144 (256 KiB) in all',
  },
  {
    rule: 'Istio refuses its internal annotations',
    bad: { 'metadata.annotations': { 'internal.istio.io/parents': 'x' } },
    good: { 'metadata.annotations': { 'istio.io/parents': 'x' } },
    field: 'metadata.annotations.internal.istio.io/parents',
    message: 'is reserved for Istio internals',
  },
];

describe('metadata rules (Kubernetes API server, every Istio kind)', () => {
  test.each(CASES.map((c) => [c.rule, c] as const))('%s', (_rule, c) => expectCase(VS, c));

  test.each(ISTIO_KINDS.map((k) => [k.kind] as const))('runs for %s', (kind) => {
    const object = variant(fixture(kind), { 'metadata.labels': { version: '-v2' }, 'metadata.namespace': 'Bank' });
    const fields = analyze(object).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['metadata.labels.version', 'metadata.namespace']));
  });

  test('a construct with a bad label throws at construction, naming object, field and rule', () => {
    const chart = Testing.chart();
    expect(
      () =>
        new VirtualService(chart, 'accounts', {
          metadata: { labels: { version: 'v2!' } },
          hosts: ['accounts'],
          http: [{ route: [{ destination: RouteDestination.toHost('accounts') }] }],
        }),
    ).toThrow("VirtualService 'accounts': metadata.labels.version ('v2!') is not a valid label value");
  });

  test('a chart namespace that is not a DNS label is reported on the objects it holds', () => {
    const chart = new Chart(Testing.app(), 'bank', { namespace: 'Bank' });
    expect(
      () =>
        new VirtualService(chart, 'accounts', {
          hosts: ['accounts'],
          http: [{ route: [{ destination: RouteDestination.toHost('accounts') }] }],
        }),
    ).toThrow("VirtualService 'accounts': metadata.namespace ('Bank') must be a DNS-1123 label");
  });
});
