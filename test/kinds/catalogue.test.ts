import * as fs from 'fs';
import * as path from 'path';
import SCHEMAS from '../../imports/schemas.json';
import { MeshModel } from '../../lib/analysis/model';
import { IstioApiVersion } from '../../lib';
import { apiVersionOf, ISTIO_KINDS, kindNamed, servedKindOf } from '../../lib/kinds/catalogue';

const TYPES = fs.readFileSync(path.join(__dirname, '..', '..', 'imports', 'istio-types.ts'), 'utf8');

describe('kind catalogue', () => {
  test.each(ISTIO_KINDS.map((k) => [k.kind, k]))('%s has a schema, spec types, a rule-book entry and a model index', (_name, entry) => {
    expect((SCHEMAS as Record<string, unknown>)[entry.schema]).toEqual(expect.objectContaining({ properties: expect.any(Object) }));
    expect(TYPES).toContain(`export interface ${entry.kind}Spec {`);
    expect(typeof entry.rules).toBe('function');
    expect(entry.versions).toContain(entry.defaultVersion);

    // The model files an object of every served version under the catalogue's index.
    for (const version of entry.versions) {
      const object = { apiVersion: `${entry.group}/${version}`, kind: entry.kind, metadata: { name: 'x', namespace: 'shop' }, spec: {} };
      const model = MeshModel.build([{ object, source: {} }]);
      expect(model[entry.index].map((ref) => ref.name)).toEqual(['x']);
    }
  });

  test('the schemas and the catalogue name the same kinds', () => {
    expect(Object.keys(SCHEMAS).sort()).toEqual(ISTIO_KINDS.map((k) => k.schema).sort());
  });

  test('an object is recognized only in a served version of its group', () => {
    expect(servedKindOf('networking.istio.io/v1beta1', 'VirtualService')?.kind).toBe('VirtualService');
    expect(servedKindOf('networking.istio.io/v2', 'VirtualService')).toBeUndefined();
    expect(servedKindOf('security.istio.io/v1', 'VirtualService')).toBeUndefined();
    expect(servedKindOf('networking.istio.io/v1', 'Telemetry')).toBeUndefined();
    expect(servedKindOf(undefined, 'VirtualService')).toBeUndefined();
  });

  test('the public IstioApiVersion enum offers exactly the versions the networking kinds serve', () => {
    for (const entry of ISTIO_KINDS.filter((k) => k.group === 'networking.istio.io')) {
      expect([...entry.versions].sort()).toEqual(Object.values(IstioApiVersion).sort());
    }
  });

  test('the apiVersion written is the chosen version when served, else the default', () => {
    const vs = kindNamed('VirtualService');
    expect(apiVersionOf(vs)).toBe('networking.istio.io/v1');
    expect(apiVersionOf(vs, 'v1alpha3')).toBe('networking.istio.io/v1alpha3');
    expect(apiVersionOf(vs, 'v9')).toBe('networking.istio.io/v1');
    expect(() => kindNamed('Telemetry')).toThrow("'Telemetry' is not in the kind catalogue");
  });
});
