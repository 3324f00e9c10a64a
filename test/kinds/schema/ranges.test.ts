import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import SCHEMAS from '../../../imports/schemas.json';
import { show } from '../../../lib/kinds/errors';
import { coreObjectViolations } from '../../../lib/kinds/schema';
import { SchemaViolation, validateSchema } from '../../../lib/kinds/schema/validator';
import { checkVirtualService } from '../../../lib/kinds/virtual-service';
import { Problems } from '../../../lib/kinds/problem';
import { VersionedService } from '../../../lib/patterns/versioned-service';

const violations = (value: unknown, schema: unknown): string[] => {
  const out: SchemaViolation[] = [];
  validateSchema(value, schema, 'x', out);
  return out.map((v) => v.message);
};

/** Every integer field of the Istio schemas, with the path of its first occurrence. */
function integerFields(): { path: string; schema: any }[] {
  const found: { path: string; schema: any }[] = [];
  const walk = (node: any, path: string) => {
    if (typeof node !== 'object' || node === null) return;
    if (node.type === 'integer') found.push({ path, schema: node });
    for (const [k, v] of Object.entries(node.properties ?? {})) walk(v, `${path}.${k}`);
    if (node.items) walk(node.items, `${path}[]`);
    if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}.*`);
  };
  for (const [kind, schema] of Object.entries(SCHEMAS)) walk(schema, kind);
  return found;
}

describe('integer ranges from the schemas', () => {
  const fields = integerFields();

  test('every integer field of the schemas refuses the first value beyond its range, and takes its bounds', () => {
    expect(fields.length).toBeGreaterThan(90);
    const kinds = new Set<string>();
    for (const { path, schema: withCel } of fields) {
      // Ranges only: some fields add CEL rules (ports 1-65535), tested with the CRD rules.
      const schema = { ...withCel, 'x-kubernetes-validations': undefined };
      const max = schema.maximum ?? (schema.format === 'int32' ? 2147483647 : 2 ** 63 - 1024);
      const min = schema.minimum ?? (schema.format === 'int32' ? -2147483648 : -(2 ** 63));
      kinds.add(`${schema.format}/${min}/${max}`);
      expect([path, violations(max, schema)]).toEqual([path, []]);
      expect([path, violations(min, schema)]).toEqual([path, []]);
      const above = max >= 2 ** 53 ? 2 ** 63 : max + 1;
      const below = min <= -(2 ** 53) ? -(2 ** 64) : min - 1;
      expect([path, violations(above, schema)]).toEqual([path, [expect.stringMatching(/^x \(\S+\) must (be <=|fit in a)/)]]);
      expect([path, violations(below, schema)]).toEqual([path, [expect.stringMatching(/^x \(\S+\) must (be >=|fit in a)/)]]);
    }
    // int32, uint32 (0..4294967295) and unbounded uint64 (minimum 0) fields are all there.
    expect([...kinds].sort()).toEqual(['int32/-2147483648/2147483647', 'undefined/0/4294967295', `undefined/0/${2 ** 63 - 1024}`]);
  });

  test('1e21 (written as 1e+21, a float) is out of range even where the schema sets no maximum', () => {
    const tableSize = (SCHEMAS as any)['networking.istio.io/DestinationRule'].properties.trafficPolicy.properties.loadBalancer.properties
      .consistentHash.properties.maglev.properties.tableSize;
    expect(violations(1e21, tableSize)).toEqual(['x (1e+21) must fit in a 64-bit integer (-2^63 to 2^63-1)']);
  });

  test.each([NaN, Infinity, -Infinity])('%s is named as such, for integers and numbers', (n) => {
    expect(violations(n, { type: 'integer' })).toEqual([`x (${n}) is not a finite number; JSON (and so the API server) has no such value`]);
    expect(violations(n, { type: 'number' })).toEqual([`x (${n}) is not a finite number; JSON (and so the API server) has no such value`]);
  });

  test('show() names non-finite numbers, also inside objects', () => {
    expect(show(NaN)).toBe('NaN');
    expect(show({ a: [Infinity, -Infinity], b: 'NaN' })).toBe('{"a":[Infinity,-Infinity],"b":"NaN"}');
    expect(show(undefined)).toBe('undefined');
  });
});

describe('core objects our patterns write', () => {
  const deployment = (container: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    spec: { ...spec, template: { spec: { containers: [{ name: 'c', ...container }] } } },
  });

  test.each([
    [{}, { replicas: 2147483648 }, 'spec.replicas (2147483648) must fit in a 32-bit integer'],
    [
      { resources: { limits: { cpu: '1e+21m' } } },
      {},
      "spec.template.spec.containers[0].resources.limits.cpu ('1e+21m') must be a non-negative Kubernetes quantity",
    ],
    [{ resources: { requests: { memory: '-1Mi' } } }, {}, "requests.memory ('-1Mi') must be a non-negative Kubernetes quantity"],
    [{ ports: [{ containerPort: 70000 }] }, {}, 'ports[0].containerPort (70000) must be <= 65535'],
    [{ readinessProbe: { periodSeconds: 0 } }, {}, 'readinessProbe.periodSeconds (0) must be >= 1'],
    [{ livenessProbe: { httpGet: { port: 0 } } }, {}, 'livenessProbe.httpGet.port (0) must be >= 1'],
  ])('%j %j: %s', (container, spec, message) => {
    const found = coreObjectViolations(deployment(container, spec)).map((v) => v.message);
    expect(found).toEqual([expect.stringContaining(message)]);
  });

  test('valid quantities and ranges pass; other kinds are not checked', () => {
    const ok = deployment(
      {
        resources: { limits: { cpu: '500m', memory: '1.5Gi', 'nvidia.com/gpu': 1 }, requests: { cpu: '.5', memory: '2e3' } },
        ports: [{ containerPort: 65535 }],
      },
      { replicas: 2147483647 },
    );
    expect(coreObjectViolations(ok)).toEqual([]);
    expect(coreObjectViolations({ apiVersion: 'v1', kind: 'ConfigMap', data: { replicas: 1e30 } })).toEqual([]);
  });

  test('VersionedService: replicas beyond int32 are refused at once', () => {
    const chart = Testing.chart();
    expect(() => new VersionedService(chart, 'reviews', { versions: [{ name: 'v1', image: 'i', replicas: 2147483648 }] })).toThrow(
      "VersionedService 'reviews': versions[0].replicas (2147483648) must fit in a 32-bit integer (-2147483648 to 2147483647)",
    );
  });

  test.each([
    ['Cpu.millis(1e21)', { cpu: { limit: kplus.Cpu.millis(1e21) } }, "limits.cpu ('1e+21m') must be a non-negative Kubernetes quantity"],
    ['Cpu.units(NaN)', { cpu: { request: kplus.Cpu.units(NaN) } }, "requests.cpu ('NaN') must be a non-negative Kubernetes quantity"],
    [
      'Size.mebibytes(1e21)',
      { memory: { limit: Size.mebibytes(1e21) } },
      "limits.memory ('1e+21Mi') must be a non-negative Kubernetes quantity",
    ],
  ])('VersionedService: resources %s fail the synth naming the Deployment', (_, resources, message) => {
    const chart: Chart = Testing.chart();
    new VersionedService(chart, 'reviews', { versions: [{ name: 'v1', image: 'i', resources: resources as kplus.ContainerResources }] });
    expect(() => Testing.synth(chart)).toThrow(
      `VersionedService 'reviews': Deployment 'reviews-v1': spec.template.spec.containers[0].resources.${message}`,
    );
  });
});

describe('retryOn status codes as Istio reads them (Go net/http names the code)', () => {
  const retryOn = (codes: string) => {
    const r = new Problems();
    checkVirtualService(r, {
      spec: { hosts: ['a'], http: [{ route: [{ destination: { host: 'a' } }], retries: { attempts: 2, retryOn: codes } }] },
    });
    return r.list;
  };
  test.each(['306', '420', '499', '509', '599', '0', '-503', '99999999999999999999'])('%s is refused', (code) => {
    expect(retryOn(code).map((p) => p.rule)).toEqual([expect.stringContaining(`unknown retry condition '${code}'`)]);
  });
  test.each(['503', '418', '425', '511', '+503', '0503', '5xx,gateway-error,429'])('%s is accepted', (code) => {
    expect(retryOn(code)).toEqual([]);
  });
});
