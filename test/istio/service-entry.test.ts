import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  RouteDestination,
  ServiceEntry,
  ServiceEntryLocation,
  ServiceEntryProps,
  ServiceEntryResolution,
  ServicePortProtocol,
} from '../../lib';

const HTTP = { number: 80, name: 'http', protocol: ServicePortProtocol.HTTP };
const HTTPS = { number: 443, name: 'https', protocol: ServicePortProtocol.HTTPS };
const TCP = { number: 5432, name: 'tcp-db', protocol: ServicePortProtocol.TCP };
const TLS = { number: 8443, name: 'tls', protocol: ServicePortProtocol.TLS };

function build(props: Partial<ServiceEntryProps>): () => ServiceEntry {
  // DNS unless the case says otherwise: most cases are about DNS resolution.
  return () =>
    new ServiceEntry(Testing.chart(), 'se', {
      hosts: ['api.example.com'],
      ports: [HTTPS],
      resolution: ServiceEntryResolution.DNS,
      ...props,
    });
}

function synthError(props: Partial<ServiceEntryProps>, then?: (se: ServiceEntry) => void): () => unknown {
  const chart = Testing.chart();
  const se = new ServiceEntry(chart, 'se', { hosts: ['api.example.com'], resolution: ServiceEntryResolution.DNS, ...props });
  then?.(se);
  return () => Testing.synth(chart);
}

describe('ServiceEntry', () => {
  test('equals the egress fixture ServiceEntry', () => {
    const sample = parseAllDocuments(
      fs.readFileSync(path.join(__dirname, '../fixtures/bookinfo/service-entry-book-metadata-api.yaml'), 'utf8'),
    )
      .map((d) => d.toJSON())
      .find((d) => d.kind === 'ServiceEntry');
    const chart = Testing.chart();
    new ServiceEntry(chart, 'book-metadata-api', {
      hosts: ['api.book-metadata.example.com'],
      ports: [HTTP, HTTPS],
      resolution: ServiceEntryResolution.DNS,
    });
    // Like the fixture, the location is left to Istio's default (MESH_EXTERNAL).
    expect(Testing.synth(chart)).toEqual([sample]);
  });

  test("defaults are Istio's: location and resolution are not written, and read as MESH_EXTERNAL and NONE", () => {
    const chart = Testing.chart();
    const plain = new ServiceEntry(chart, 'styletransfer', { hosts: ['styletransfer.example.com'], ports: [HTTPS] });
    const set = new ServiceEntry(chart, 'set', {
      hosts: ['*.example.com'],
      ports: [HTTPS],
      location: ServiceEntryLocation.MESH_EXTERNAL,
      resolution: ServiceEntryResolution.NONE,
    });
    expect([plain.resolution, plain.location]).toEqual([ServiceEntryResolution.NONE, ServiceEntryLocation.MESH_EXTERNAL]);
    expect([set.resolution, set.location]).toEqual([ServiceEntryResolution.NONE, ServiceEntryLocation.MESH_EXTERNAL]);
    expect(Testing.synth(chart).map((o) => o.spec)).toEqual([
      { hosts: ['styletransfer.example.com'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }] },
      {
        hosts: ['*.example.com'],
        ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }],
        location: 'MESH_EXTERNAL',
        resolution: 'NONE',
      },
    ]);
  });

  test('with the default resolution (NONE), endpoints are refused and a DNS-only rule does not apply', () => {
    const chart = Testing.chart();
    expect(() => new ServiceEntry(chart, 'a', { hosts: ['api.example.com'], ports: [HTTPS], endpoints: [{ address: '1.2.3.4' }] })).toThrow(
      "ServiceEntry 'a': spec: NONE mode cannot set endpoints",
    );
    // Near miss: several hosts with a TCP port are fine without DNS resolution.
    expect(
      () => new ServiceEntry(chart, 'b', { hosts: ['a.example.com', 'b.example.com'], ports: [TCP], addresses: ['10.9.0.0/16'] }),
    ).not.toThrow();
  });

  test('a failing add*() call adds nothing', () => {
    const se = new ServiceEntry(Testing.chart(), 'se', { hosts: ['api.example.com'], ports: [HTTPS] });
    expect(() => se.addPort({ ...HTTP, number: 443 })).toThrow('port number cannot be duplicated');
    expect(se.ports).toHaveLength(1);
    expect(() => se.addEndpoint({ address: '1.2.3.4' })).toThrow('NONE mode cannot set endpoints');
    expect(se.endpoints).toHaveLength(0);
  });

  test('STATIC endpoints, addresses, targetPort, exportTo, added later', () => {
    const chart = Testing.chart();
    const se = new ServiceEntry(chart, 'db', {
      hosts: ['db.internal'],
      location: ServiceEntryLocation.MESH_INTERNAL,
      resolution: ServiceEntryResolution.STATIC,
      addresses: ['10.0.0.0/24'],
      exportTo: ['~'],
    });
    expect(se.addPort({ ...TCP, targetPort: 15432 })).toEqual({ ...TCP, targetPort: 15432 });
    se.addEndpoint({
      address: '10.0.0.5',
      ports: { 'tcp-db': 6543 },
      labels: { version: 'v1' },
      network: 'n1',
      locality: 'us-east1/a',
      weight: 3,
    });
    se.addEndpoint({ address: '2001:db8::5' });
    expect(se.ports).toHaveLength(1);
    expect(se.endpoints.map((e) => e.address)).toEqual(['10.0.0.5', '2001:db8::5']);
    expect(Testing.synth(chart)[0].spec).toEqual({
      hosts: ['db.internal'],
      addresses: ['10.0.0.0/24'],
      ports: [{ number: 5432, name: 'tcp-db', protocol: 'TCP', targetPort: 15432 }],
      location: 'MESH_INTERNAL',
      resolution: 'STATIC',
      endpoints: [
        { address: '10.0.0.5', ports: { 'tcp-db': 6543 }, labels: { version: 'v1' }, network: 'n1', locality: 'us-east1/a', weight: 3 },
        { address: '2001:db8::5' },
      ],
      exportTo: ['~'],
    });
  });

  test('DNS endpoints, workloadSelector, unix socket endpoint', () => {
    const chart = Testing.chart();
    new ServiceEntry(chart, 'a', {
      hosts: ['api.example.com'],
      ports: [HTTPS],
      resolution: ServiceEntryResolution.DNS,
      endpoints: [{ address: 'eu.api.example.com' }, { address: '1.2.3.4' }],
    });
    new ServiceEntry(chart, 'b', {
      hosts: ['vm.bank.internal'],
      ports: [HTTP],
      location: ServiceEntryLocation.MESH_INTERNAL,
      resolution: ServiceEntryResolution.STATIC,
      workloadSelector: { app: 'vm' },
    });
    new ServiceEntry(chart, 'c', {
      hosts: ['local.sock'],
      ports: [HTTP],
      resolution: ServiceEntryResolution.STATIC,
      endpoints: [{ address: 'unix:///var/run/app.sock' }],
    });
    const specs = Testing.synth(chart).map((o) => o.spec);
    expect(specs[0].endpoints).toEqual([{ address: 'eu.api.example.com' }, { address: '1.2.3.4' }]);
    expect(specs[1].workloadSelector).toEqual({ labels: { app: 'vm' } });
    expect(specs[2].endpoints).toEqual([{ address: 'unix:///var/run/app.sock' }]);
  });

  test('several hosts with HTTP-family ports, and with TCP under resolution NONE', () => {
    const chart = Testing.chart();
    new ServiceEntry(chart, 'multi', {
      hosts: ['a.example.com', 'b.example.com'],
      ports: [HTTP, HTTPS, { number: 8443, name: 'tls', protocol: ServicePortProtocol.TLS }],
      resolution: ServiceEntryResolution.DNS,
    });
    new ServiceEntry(chart, 'none', {
      hosts: ['a.example.com', 'b.example.com'],
      ports: [TCP],
      resolution: ServiceEntryResolution.NONE,
      addresses: ['192.168.0.0/16'],
    });
    expect(Testing.synth(chart)).toHaveLength(2);
  });

  test('DYNAMIC_DNS with wildcard hosts and HTTP and TLS ports', () => {
    const chart = Testing.chart();
    new ServiceEntry(chart, 'dyn', {
      hosts: ['*.example.com'],
      ports: [HTTP, TLS],
      resolution: ServiceEntryResolution.DYNAMIC_DNS,
    });
    expect(Testing.synth(chart)[0].spec).toMatchObject({ resolution: 'DYNAMIC_DNS', ports: [{ protocol: 'HTTP' }, { protocol: 'TLS' }] });
  });

  test('accepts upper-case port names, as Istio does', () => {
    const chart = Testing.chart();
    new ServiceEntry(chart, 'se', {
      hosts: ['api.example.com'],
      ports: [{ number: 80, name: 'HTTP', protocol: ServicePortProtocol.HTTP }],
    });
    expect(Testing.synth(chart)[0].spec.ports).toEqual([{ number: 80, name: 'HTTP', protocol: 'HTTP' }]);
  });

  test('is a route destination on its first host', () => {
    const se = new ServiceEntry(Testing.chart(), 'googleapis', { hosts: ['www.googleapis.com', 'googleapis.com'], ports: [HTTPS] });
    expect(se.host).toBe('www.googleapis.com');
    expect(se.hosts).toEqual(['www.googleapis.com', 'googleapis.com']);
    expect(RouteDestination.to(se, { port: 443 })._toKube()).toEqual({ host: 'www.googleapis.com', port: { number: 443 } });
  });

  test.each<[string, () => unknown, string]>([
    ['no hosts', build({ hosts: [] }), "ServiceEntry 'se': spec.hosts must have at least 1 item(s) (has 0)"],
    [
      '257 hosts',
      build({ hosts: Array.from({ length: 257 }, (_, i) => `h${i}.example.com`) }),
      'spec.hosts must have at most 256 items (has 257)',
    ],
    ['host *', build({ hosts: ['*'] }), "ServiceEntry 'se': spec.hosts[0] ('*') hostname cannot be wildcard"],
    [
      'an invalid host',
      build({ hosts: ['api..example.com'] }),
      "ServiceEntry 'se': spec.hosts[0] ('api..example.com') is not a valid host",
    ],
    ['port 0', build({ ports: [{ number: 0, name: 'http' }] }), "ServiceEntry 'se': spec.ports[0].number (0) port must be between 1-65535"],
    [
      'targetPort 70000',
      build({ ports: [{ number: 80, name: 'http', targetPort: 70000 }] }),
      'spec.ports[0].targetPort (70000) port must be between 1-65535',
    ],
    [
      'a port name with an underscore',
      build({ ports: [{ number: 80, name: 'http_web' }] }),
      "ServiceEntry 'se': spec.ports[0].name ('http_web') must be a DNS-1123 label",
    ],
    [
      'a duplicate port name',
      build({ ports: [HTTP, { ...HTTPS, name: 'http' }] }),
      "spec.ports[1].name: duplicate entry (name='http' is already used by spec.ports[0])",
    ],
    ['a duplicate port number', build({ ports: [HTTP, { ...HTTPS, number: 80 }] }), 'spec.ports: port number cannot be duplicated'],
    [
      'an address that is not an IP',
      build({ addresses: ['example.com'] }),
      "ServiceEntry 'se': spec.addresses[0] ('example.com') must be an IP address or CIDR block",
    ],
    [
      'a CIDR with DNS resolution',
      build({ addresses: ['10.0.0.0/8'] }),
      'spec: CIDR addresses are allowed only for NONE/STATIC resolution types',
    ],
    [
      'endpoints with resolution NONE',
      build({ resolution: ServiceEntryResolution.NONE, endpoints: [{ address: '1.2.3.4' }] }),
      'spec: NONE mode cannot set endpoints',
    ],
    [
      'endpoints with workloadSelector',
      build({ resolution: ServiceEntryResolution.STATIC, workloadSelector: { app: 'a' }, endpoints: [{ address: '1.2.3.4' }] }),
      'spec: only one of WorkloadSelector or Endpoints can be set',
    ],
    [
      'two endpoints with DNS_ROUND_ROBIN',
      build({
        resolution: ServiceEntryResolution.DNS_ROUND_ROBIN,
        endpoints: [{ address: 'a.example.com' }, { address: 'b.example.com' }],
      }),
      'spec: DNS_ROUND_ROBIN mode cannot have multiple endpoints',
    ],
    [
      'a host name endpoint with STATIC',
      build({ resolution: ServiceEntryResolution.STATIC, endpoints: [{ address: 'db.example.com' }] }),
      "ServiceEntry 'se': spec.endpoints[0].address ('db.example.com') must be an IP address (or 'unix://' path) with resolution STATIC",
    ],
    [
      'a wildcard endpoint with DNS',
      build({ endpoints: [{ address: '*.example.com' }] }),
      "spec.endpoints[0].address ('*.example.com') must be an IP address or a host name with DNS resolution",
    ],
    [
      'a unix socket endpoint with DNS',
      build({ endpoints: [{ address: 'unix:///app.sock' }] }),
      "spec.endpoints[0].address ('unix:///app.sock') must be an IP address or a host name with DNS resolution",
    ],
    [
      'a relative unix socket',
      build({ resolution: ServiceEntryResolution.STATIC, endpoints: [{ address: 'unix://run/app.sock' }] }),
      "ServiceEntry 'se': spec.endpoints[0].address ('unix://run/app.sock') UDS must be an absolute path or abstract socket",
    ],
    [
      'a unix socket with ports',
      build({ resolution: ServiceEntryResolution.STATIC, endpoints: [{ address: 'unix:///app.sock', ports: { https: 1 } }] }),
      'spec.endpoints[0]: UDS may not include ports',
    ],
    [
      'a unix socket endpoint with two service ports',
      build({ ports: [HTTP, HTTPS], resolution: ServiceEntryResolution.STATIC, endpoints: [{ address: 'unix:///app.sock' }] }),
      "spec.endpoints[0].address ('unix:///app.sock') is a unix socket; the ServiceEntry must then declare exactly one port",
    ],
    [
      'an endpoint port out of range',
      build({ endpoints: [{ address: '1.2.3.4', ports: { https: 0 } }] }),
      'spec.endpoints[0].ports.https (0) port must be between 1-65535',
    ],
    [
      'a negative endpoint weight',
      build({ endpoints: [{ address: '1.2.3.4', weight: -1 }] }),
      'spec.endpoints[0].weight (-1) must be >= 0',
    ],
    [
      'a bad endpoint label',
      build({ endpoints: [{ address: '1.2.3.4', labels: { version: 'v 1' } }] }),
      "ServiceEntry 'se': spec.endpoints[0].labels.version ('v 1') is not a valid label value",
    ],
    [
      'a TCP port on several hosts with DNS',
      build({ hosts: ['a.example.com', 'b.example.com'], ports: [HTTP, TCP] }),
      "ServiceEntry 'se': spec.ports[1].protocol: several hosts with resolution DNS need HTTP or TLS ports",
    ],
    [
      'a port without protocol on several hosts',
      build({ hosts: ['a.example.com', 'b.example.com'], ports: [{ number: 80, name: 'web' }] }),
      'spec.ports[0].protocol: several hosts with resolution DNS need HTTP or TLS ports',
    ],
    [
      'DYNAMIC_DNS with a plain host',
      build({ resolution: ServiceEntryResolution.DYNAMIC_DNS, ports: [HTTP] }),
      "ServiceEntry 'se': spec.hosts[0] ('api.example.com') must be a wildcard host with resolution DYNAMIC_DNS",
    ],
    [
      'DYNAMIC_DNS with a TCP port',
      build({ hosts: ['*.example.com'], resolution: ServiceEntryResolution.DYNAMIC_DNS, ports: [TCP] }),
      "spec.ports[0].protocol ('TCP') must be HTTP, HTTP2, GRPC or TLS with resolution DYNAMIC_DNS",
    ],
    [
      'DYNAMIC_DNS with an HTTPS port',
      build({ hosts: ['*.example.com'], resolution: ServiceEntryResolution.DYNAMIC_DNS, ports: [HTTPS] }),
      "ServiceEntry 'se': spec.ports[0].protocol ('HTTPS') must be HTTP, HTTP2, GRPC or TLS with resolution DYNAMIC_DNS",
    ],
    [
      'DYNAMIC_DNS with addresses',
      build({ hosts: ['*.example.com'], resolution: ServiceEntryResolution.DYNAMIC_DNS, ports: [HTTP], addresses: ['1.2.3.4'] }),
      "ServiceEntry 'se': spec.addresses: may not be set with resolution DYNAMIC_DNS",
    ],
    [
      'DYNAMIC_DNS with endpoints',
      build({
        hosts: ['*.example.com'],
        resolution: ServiceEntryResolution.DYNAMIC_DNS,
        ports: [HTTP],
        endpoints: [{ address: '1.2.3.4' }],
      }),
      "ServiceEntry 'se': spec.endpoints: may not be set with resolution DYNAMIC_DNS",
    ],
    [
      'exportTo ~ with others',
      build({ exportTo: ['~', '.'] }),
      'ServiceEntry \'se\': spec.exportTo (["~","."]) may not combine \'~\' with other entries',
    ],
    [
      'an exportTo entry that is no namespace',
      build({ exportTo: ['shop_ns'] }),
      "spec.exportTo[0] ('shop_ns') must be '.', '*' or a namespace name",
    ],
    ['a duplicate exportTo entry', build({ exportTo: ['shop', 'shop'] }), "spec.exportTo[1] ('shop') is a duplicate entry"],
    [
      'a wildcard workloadSelector value',
      build({ resolution: ServiceEntryResolution.STATIC, workloadSelector: { app: '*' } }),
      "ServiceEntry 'se': spec.workloadSelector.labels.app ('*') is not a valid label value",
    ],
    [
      'a wildcard workloadSelector key',
      build({ resolution: ServiceEntryResolution.STATIC, workloadSelector: { 'app*': 'vm' } }),
      "ServiceEntry 'se': spec.workloadSelector.labels.app* ('app*') may not contain a wildcard",
    ],
    [
      'an empty workloadSelector (stricter than Istio, which warns)',
      build({ resolution: ServiceEntryResolution.STATIC, workloadSelector: {} }),
      "ServiceEntry 'se': spec.workloadSelector.labels ({}) must have at least one label",
    ],
  ])('rejects %s at construction', (_what, make, message) => {
    expect(make).toThrow(message);
  });

  test('addEndpoint after workloadSelector is rejected', () => {
    const se = new ServiceEntry(Testing.chart(), 'se', {
      hosts: ['vm.internal'],
      ports: [HTTP],
      resolution: ServiceEntryResolution.STATIC,
      workloadSelector: { app: 'vm' },
    });
    expect(() => se.addEndpoint({ address: '1.2.3.4' })).toThrow(
      "ServiceEntry 'se': spec: only one of WorkloadSelector or Endpoints can be set",
    );
  });

  test('add*() calls throw the rule book errors about what they added, with the full path', () => {
    const se = new ServiceEntry(Testing.chart(), 'se', {
      hosts: ['a.example.com', 'b.example.com'],
      ports: [HTTP],
      resolution: ServiceEntryResolution.DNS,
    });
    expect(() => se.addPort(TCP)).toThrow(
      "ServiceEntry 'se': spec.ports[1].protocol: several hosts with resolution DNS need HTTP or TLS ports",
    );
    const st = new ServiceEntry(Testing.chart(), 'st', { hosts: ['db.internal'], ports: [TCP], resolution: ServiceEntryResolution.STATIC });
    expect(() => st.addEndpoint({ address: '10.0.0.1' })).not.toThrow();
    expect(() => st.addEndpoint({ address: 'db1.internal' })).toThrow(
      "ServiceEntry 'st': spec.endpoints[1].address ('db1.internal') must be an IP address (or 'unix://' path) with resolution STATIC",
    );
  });

  test('lists every rule-book error of the construction in one error', () => {
    expect(build({ hosts: ['api..example.com'], addresses: ['example.com'] })).toThrow(
      /spec\.hosts\[0\] \('api\.\.example\.com'\) is not a valid host.*\n.*spec\.addresses\[0\] \('example\.com'\) must be an IP address/,
    );
  });

  test.each<[string, () => unknown, RegExp]>([
    ['no ports', synthError({}), /ServiceEntry 'se': spec.ports: a ServiceEntry needs at least one port \(stricter than Istio\)/],
    [
      'a wildcard host with DNS and no endpoints',
      synthError({ hosts: ['*.example.com'], ports: [HTTPS], resolution: ServiceEntryResolution.DNS }),
      /ServiceEntry 'se': spec.hosts\[0\] \('\*.example.com'\) is a wildcard, which DNS resolution cannot resolve without endpoints/,
    ],
    [
      'an endpoint port name that is not declared',
      synthError({ ports: [HTTPS], endpoints: [{ address: '1.2.3.4', ports: { http: 8080 } }] }),
      /ServiceEntry 'se': spec.endpoints\[0\].ports.http \('http'\) is not a port of this ServiceEntry \(https\)/,
    ],
    [
      'a unix socket endpoint and no port yet',
      synthError({ resolution: ServiceEntryResolution.STATIC, endpoints: [{ address: 'unix:///app.sock' }] }),
      /spec.endpoints\[0\].address \('unix:\/\/\/app.sock'\) is a unix socket; the ServiceEntry must then declare exactly one port/,
    ],
  ])('reports %s at synth', (_what, synth, message) => {
    expect(synth).toThrow(message);
  });

  test('deferred problems can be fixed by later add*() calls', () => {
    const chart = Testing.chart();
    const se = new ServiceEntry(chart, 'se', {
      hosts: ['*.example.com'],
      resolution: ServiceEntryResolution.DNS,
      endpoints: [{ address: 'lb.example.com', ports: { https: 8443 } }],
    });
    se.addPort(HTTPS);
    const wild = new ServiceEntry(chart, 'wild', { hosts: ['*.example.com'], resolution: ServiceEntryResolution.DNS, ports: [HTTPS] });
    wild.addEndpoint({ address: 'lb.example.com' });
    const sock = new ServiceEntry(chart, 'sock', { hosts: ['local.sock'], resolution: ServiceEntryResolution.STATIC });
    sock.addEndpoint({ address: 'unix:///var/run/app.sock' });
    sock.addPort(HTTP);
    expect(Testing.synth(chart).map((o) => o.spec.endpoints)).toEqual([
      [{ address: 'lb.example.com', ports: { https: 8443 } }],
      [{ address: 'lb.example.com' }],
      [{ address: 'unix:///var/run/app.sock' }],
    ]);
  });
});
