import { Testing } from 'cdk8s';
import { ServiceEntryResolution } from '../../lib';
import { ExternalService, ExternalServiceProps } from '../../lib/patterns/external-service';

function synthEntry(props: ExternalServiceProps): any {
  const chart = Testing.chart();
  new ExternalService(chart, 'styletransfer', props);
  const manifests = Testing.synth(chart);
  expect(manifests).toHaveLength(1);
  return manifests[0];
}

describe('ExternalService', () => {
  test('defaults: MESH_EXTERNAL, DNS, HTTP 80 and HTTPS 443, named after the host', () => {
    expect(synthEntry({ host: 'styletransfer.example.com' })).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'styletransfer-example-com' },
      spec: {
        hosts: ['styletransfer.example.com'],
        ports: [
          { number: 80, name: 'http', protocol: 'HTTP' },
          { number: 443, name: 'https', protocol: 'HTTPS' },
        ],
        location: 'MESH_EXTERNAL',
        resolution: 'DNS',
      },
    });
  });

  test('name and ports are configurable', () => {
    const entry = synthEntry({ host: 'api.styletransfer.io', name: 'styletransfer', httpPort: 8080, httpsPort: 8443 });
    expect(entry.metadata.name).toBe('styletransfer');
    expect(entry.spec.ports).toEqual([
      { number: 8080, name: 'http', protocol: 'HTTP' },
      { number: 8443, name: 'https', protocol: 'HTTPS' },
    ]);
  });

  test('httpPort 0 leaves HTTPS only', () => {
    expect(synthEntry({ host: 'styletransfer.example.com', httpPort: 0 }).spec.ports).toEqual([
      { number: 443, name: 'https', protocol: 'HTTPS' },
    ]);
  });

  test('httpsPort 0 leaves HTTP only', () => {
    expect(synthEntry({ host: 'styletransfer.example.com', httpsPort: 0 }).spec.ports).toEqual([
      { number: 80, name: 'http', protocol: 'HTTP' },
    ]);
  });

  test('a host with upper-case letters gets a valid default name', () => {
    const entry = synthEntry({ host: 'StyleTransfer.Example.com' });
    expect(entry.metadata.name).toBe('styletransfer-example-com');
    expect(entry.spec.hosts).toEqual(['StyleTransfer.Example.com']);
  });

  test('a host with a root dot gets a valid default name', () => {
    expect(synthEntry({ host: 'styletransfer.example.com.' }).metadata.name).toBe('styletransfer-example-com');
  });

  test('exposes the ServiceEntry as a destination host', () => {
    const chart = Testing.chart();
    const ext = new ExternalService(chart, 'styletransfer', { host: 'styletransfer.example.com' });
    expect(ext.serviceEntry.host).toBe('styletransfer.example.com');
  });

  test('can use resolution NONE (no endpoints) or STATIC with endpoint IPs', () => {
    const chart = Testing.chart();
    new ExternalService(chart, 'none', { host: 'ledger.example.com', name: 'ledger-none', resolution: ServiceEntryResolution.NONE });
    new ExternalService(chart, 'static', {
      host: 'ledger.example.com',
      name: 'ledger-static',
      resolution: ServiceEntryResolution.STATIC,
      endpoints: ['203.0.113.7'],
    });
    const [none, fixed] = Testing.synth(chart).map((o) => o.spec);
    expect([none.location, none.resolution, none.endpoints]).toEqual(['MESH_EXTERNAL', 'NONE', undefined]);
    expect([fixed.resolution, fixed.endpoints]).toEqual(['STATIC', [{ address: '203.0.113.7' }]]);
  });

  test('endpoints with resolution NONE are refused', () => {
    expect(
      () =>
        new ExternalService(Testing.chart(), 'x', {
          host: 'ledger.example.com',
          resolution: ServiceEntryResolution.NONE,
          endpoints: ['203.0.113.7'],
        }),
    ).toThrow('NONE mode cannot set endpoints');
  });

  describe('errors', () => {
    test.each([
      [
        'a short name',
        { host: 'styletransfer' },
        "ExternalService 'styletransfer': host ('styletransfer') must be a fully qualified DNS name without wildcard",
      ],
      ['a wildcard host', { host: '*.example.com' }, "host ('*.example.com') must be a fully qualified DNS name without wildcard"],
      ['an empty host', { host: '' }, "host ('') must be a fully qualified DNS name without wildcard"],
      [
        'a host with a space',
        { host: 'style transfer.example.com' },
        "host ('style transfer.example.com') must be a fully qualified DNS name",
      ],
      [
        'a URL instead of a host',
        { host: 'https://styletransfer.example.com' },
        "host ('https://styletransfer.example.com') must be a fully qualified DNS name",
      ],
      [
        'both ports disabled',
        { host: 'styletransfer.example.com', httpPort: 0, httpsPort: 0 },
        "ExternalService 'styletransfer-example-com': httpPort/httpsPort (0) leave no port open",
      ],
      [
        'a port out of range',
        { host: 'styletransfer.example.com', httpPort: 70000 },
        'spec.ports[0].number (70000) port must be between 1-65535',
      ],
      [
        'the same port twice',
        { host: 'styletransfer.example.com', httpPort: 8080, httpsPort: 8080 },
        'spec.ports: port number cannot be duplicated',
      ],
    ])('rejects %s', (_what, props, message) => {
      expect(() => new ExternalService(Testing.chart(), 'styletransfer', props)).toThrow(message);
    });
  });
});
