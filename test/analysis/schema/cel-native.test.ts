import * as fc from 'fast-check';
import SCHEMAS from '../../../imports/schemas.json';
import { celProgram, compileCel } from '../../../lib/kinds/schema/cel';
import { nativeRules } from '../../../lib/kinds/schema/cel-native';
import { fixture } from '../../kinds/fixtures';

/** Every CEL rule of the generated schemas. */
function schemaRules(): Set<string> {
  const rules = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'x-kubernetes-validations') for (const r of value as { rule: string }[]) rules.add(r.rule);
      else walk(value);
    }
  };
  walk(SCHEMAS);
  return rules;
}

// Values in the shapes the rules read (CEL ints as bigint, as toCel binds them), and some they do not expect.
const scalar = fc.oneof(
  fc.constantFrom('*', 'a', 'a*b', '', 'NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', '10.0.0.0/8', '1.2.3.4', 'unix:///tmp/s'),
  fc.bigInt({ min: -3n, max: 70000n }),
  fc.constantFrom(0n, 1n, 65535n, 65536n),
  fc.integer({ min: -2, max: 70000 }),
  fc.boolean(),
);
const keys = fc.constantFrom(
  'workloadSelector',
  'endpoints',
  'credentialName',
  'credentialNames',
  'tlsCertificates',
  'address',
  'network',
  'addresses',
  'resolution',
  'number',
  'a*',
  '',
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map'), fc.constant(undefined)),
  list: fc.array(tie('any'), { maxLength: 3 }),
  // Plain objects, as YAML parsing and toCel make them (fast-check's have no prototype).
  map: fc.dictionary(keys, tie('any'), { maxKeys: 4 }).map((d) => ({ ...d })),
})).any;
const port = fc.record({ number: fc.constantFrom(80n, 443n, 9080n), name: fc.constantFrom('http', 'https') }).map((p) => ({ ...p }));
const portsList = fc.array(port, { maxLength: 4 });

describe('CEL rules: the JavaScript twins', () => {
  test('every twin is of a rule the generated schemas use', () => {
    const rules = schemaRules();
    for (const rule of nativeRules()) expect(rules).toContain(rule);
  });

  test.each(nativeRules())('%s: the twin answers as CEL does', (rule) => {
    const twin = celProgram(rule);
    const cel = compileCel(rule);
    fc.assert(
      fc.property(fc.oneof(value, portsList), (self) => {
        expect(twin(self)).toBe(cel(self));
      }),
      { numRuns: 400 },
    );
  });

  test('a ServiceEntry reaching seven CEL rules is checked without loading the CEL library', () => {
    jest.isolateModules(() => {
      jest.doMock('@bufbuild/cel', () => {
        throw new Error('the CEL library was loaded');
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { checkSchema } = require('../../../lib/analysis/schema-check');
      const object = fixture('ServiceEntry');
      expect(checkSchema({ object, source: { file: 'mesh.yaml' } })).toEqual([]);
      const bad = { ...object, spec: { ...object.spec, ports: [...object.spec.ports, { number: 80, name: 'http2', protocol: 'HTTP' }] } };
      expect(checkSchema({ object: bad, source: { file: 'mesh.yaml' } }).map((f: { field: string }) => f.field)).toEqual(['spec.ports']);
    });
  });
});
