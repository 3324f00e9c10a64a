import * as path from 'path';
import { runCli } from './run-cli';

const SHOP = path.join(__dirname, '../fixtures/simulation/shop');
const ROUTING = path.join(SHOP, 'routing.yaml');

const run = runCli;

describe('cdk8s-istio route', () => {
  test('text: the deciding rule with its file, the destinations, and why earlier rules did not match', () => {
    const r = run('route', SHOP, '--host', 'reviews.shop', '--from', 'web/app=frontend');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`Outcome: ROUTED by VirtualService shop/reviews http[1] [${ROUTING}:14]`);
    expect(r.stdout).toContain(
      '80% -> reviews.shop.svc.cluster.local subset v1 port 9080 (Service shop/reviews; Deployment shop/reviews-v1)',
    );
    expect(r.stdout).toContain('- match[0] (header x-tester equals "yes"): header x-tester is absent (wanted: equals "yes")');
    expect(r.stdout).toContain('from a sidecar in web with labels app=frontend');
  });

  test('json: virtualService, rule, destinations with percent, subset, port and workloads', () => {
    const r = run('route', SHOP, '--host', 'reviews.shop', '-H', 'X-Tester=yes', '--format', 'json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ virtualService: 'shop/reviews', rule: 0, redirect: null, directResponse: null, fault: null });
    expect(j.destinations).toEqual([
      {
        host: 'reviews.shop.svc.cluster.local',
        subset: 'v2',
        port: 9080,
        weight: 100,
        service: 'Service shop/reviews',
        destinationRule: 'shop/reviews',
        workloads: ['Deployment shop/reviews-v2'],
      },
    ]);
  });

  test('json through a gateway: redirect, direct response, fault', () => {
    const at = (uri: string) =>
      JSON.parse(run('route', SHOP, '--host', 'shop.example.com', '--gateway', 'shop/web', '--uri', uri, '--format=json').stdout);
    expect(at('/old/x').redirect).toEqual({ status: 301, location: 'http://shop.example.com/catalog' });
    expect(at('/maintenance').directResponse).toEqual({ status: 503 });
    expect(at('/reviews/1')).toMatchObject({ rule: 3, fault: { delay: { fixedDelay: '1s' } }, rewrite: { uri: '/', resultUri: '//1' } });
    expect(at('/catalog/v2')).toMatchObject({ rule: 2, delegate: 'shop/catalog-routes', delegateRule: 0 });
  });

  test('query parameters, method and port are used', () => {
    const r = run(
      'route',
      SHOP,
      '--host',
      'reviews.shop',
      '--port',
      '9080',
      '--method',
      'POST',
      '--uri',
      '/a',
      '--query',
      'x=1',
      '--format',
      'json',
    );
    expect(JSON.parse(r.stdout).request).toMatchObject({ method: 'POST', uri: '/a', port: 9080, queryParams: { x: '1' } });
  });

  test('exit 1 when the request is not delivered', () => {
    expect(run('route', SHOP, '--host', 'shop.example.com', '--gateway', 'shop/web', '--uri', '/nothing').code).toBe(1);
    expect(run('route', SHOP, '--host', 'example.org', '--outbound-policy', 'registry-only').code).toBe(1);
    expect(run('route', SHOP, '--host', 'example.org').code).toBe(0);
  });

  test.each([
    [['route', SHOP], '--host is required'],
    [['route', '--host', 'x'], 'no file or directory given'],
    [['route', SHOP, '--host', 'x', '--port', '0'], '--port must be a port number'],
    [['route', SHOP, '--host', 'x', '-H', 'novalue'], "--header wants name=value, not 'novalue'"],
    [['route', SHOP, '--host', 'x', '--gateway', 'a/b', '--from', 'ns'], '--gateway and --from exclude each other'],
    [['route', SHOP, '--host', 'x', '--gateway', 'shop/nope'], 'no Gateway shop/nope in the manifests (known: shop/web)'],
    [['route', SHOP, '--host', 'x', '--bogus'], "unknown option '--bogus'"],
    [['route', SHOP, '--host', 'x', '--format', 'xml'], "--format must be 'text' or 'json'"],
    [['route', '/no/such/dir', '--host', 'x'], '/no/such/dir: no such file or directory'],
  ])('usage and input errors exit 2: %j', (argv, message) => {
    const r = run(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('--help', () => {
    expect(run('route', '--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: cdk8s-istio route') });
  });
});
