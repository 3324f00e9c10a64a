import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ClientTls, TrafficPolicy } from '../../lib';
import { VersionedService, VersionedServiceProps } from '../../lib/patterns/versioned-service';

const ADDR_LABEL = 'cdk8s.io/metadata.addr';

function addedvalues(scope: Construct, props: VersionedServiceProps = {}): VersionedService {
  return new VersionedService(scope, 'addedvalues', {
    port: 9080,
    versions: ['v1', 'v2', 'v3'].map((v) => ({ name: v, image: `registry.example.com/addedvalues:${v}` })),
    ...props,
  });
}

function byKind(manifests: any[], kind: string): any[] {
  return manifests.filter((m) => m.kind === kind);
}

function deploymentNamed(manifests: any[], name: string): any {
  const found = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name);
  if (!found) throw new Error(`no Deployment ${name} in ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
}

function container(deployment: any): any {
  return deployment.spec.template.spec.containers[0];
}

describe('VersionedService', () => {
  test('Service selects app only, with a named port and labels', () => {
    const chart = Testing.chart();
    addedvalues(chart);
    const [service] = byKind(Testing.synth(chart), 'Service');
    expect(service.metadata).toEqual({ name: 'addedvalues', labels: { app: 'addedvalues', service: 'addedvalues' } });
    expect(service.spec.selector).toEqual({ app: 'addedvalues' });
    expect(service.spec.ports).toEqual([{ name: 'http', port: 9080, targetPort: 9080 }]);
  });

  test('port name, container port and service name are configurable', () => {
    const chart = Testing.chart();
    new VersionedService(chart, 'svc', {
      name: 'details',
      port: 9080,
      containerPort: 8080,
      portName: 'grpc-api',
      versions: [{ name: 'v1', image: 'details:1' }],
    });
    const manifests = Testing.synth(chart);
    const [service] = byKind(manifests, 'Service');
    expect(service.metadata.name).toBe('details');
    expect(service.spec.ports).toEqual([{ name: 'grpc-api', port: 9080, targetPort: 8080 }]);
    expect(container(deploymentNamed(manifests, 'details-v1')).ports).toEqual([{ containerPort: 8080, name: 'grpc-api' }]);
  });

  test('one ServiceAccount, used by every version', () => {
    const chart = Testing.chart();
    addedvalues(chart);
    const manifests = Testing.synth(chart);
    expect(byKind(manifests, 'ServiceAccount')).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'addedvalues', labels: { account: 'addedvalues' } },
        automountServiceAccountToken: false,
      },
    ]);
    for (const d of byKind(manifests, 'Deployment')) expect(d.spec.template.spec.serviceAccountName).toBe('addedvalues');
  });

  test('serviceAccountName overrides the account name', () => {
    const chart = Testing.chart();
    addedvalues(chart, { serviceAccountName: 'bank-addedvalues' });
    const manifests = Testing.synth(chart);
    expect(byKind(manifests, 'ServiceAccount')[0].metadata.name).toBe('bank-addedvalues');
    expect(deploymentNamed(manifests, 'addedvalues-v2').spec.template.spec.serviceAccountName).toBe('bank-addedvalues');
  });

  test('one Deployment per version, labelled and selecting app + version', () => {
    const chart = Testing.chart();
    addedvalues(chart);
    const manifests = Testing.synth(chart);
    expect(byKind(manifests, 'Deployment').map((d) => d.metadata.name)).toEqual(['addedvalues-v1', 'addedvalues-v2', 'addedvalues-v3']);
    for (const v of ['v1', 'v2', 'v3']) {
      const d = deploymentNamed(manifests, `addedvalues-${v}`);
      const labels = { app: 'addedvalues', version: v };
      expect(d.metadata.labels).toEqual(labels);
      expect(d.spec.selector).toEqual({ matchLabels: labels });
      expect(d.spec.template.metadata.labels).toEqual(labels);
      expect(d.spec.replicas).toBe(1);
      expect(container(d)).toMatchObject({
        name: 'addedvalues',
        image: `registry.example.com/addedvalues:${v}`,
        imagePullPolicy: 'IfNotPresent',
      });
    }
  });

  test('documented workload defaults: small resources, cdk8s-plus hardening kept, no probes', () => {
    const chart = Testing.chart();
    addedvalues(chart);
    const c = container(deploymentNamed(Testing.synth(chart), 'addedvalues-v1'));
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    });
    expect(c.readinessProbe).toBeUndefined();
    expect(c.livenessProbe).toBeUndefined();
    expect(c.startupProbe).toBeUndefined();
    expect(c.env).toBeUndefined();
  });

  test(`no '${ADDR_LABEL}' anywhere in the output (labels, pod templates, selectors)`, () => {
    const chart = Testing.chart();
    const svc = addedvalues(chart);
    svc.addVersion({ name: 'v4', image: 'registry.example.com/addedvalues:v4' });
    const json = JSON.stringify(Testing.synth(chart));
    // Guard: the scan only means something if the Deployments are there.
    expect(json).toContain('"addedvalues-v4"');
    expect(json).not.toContain('cdk8s.io/metadata');
  });

  test('shared workload settings apply to every version; per-version settings override them', () => {
    const chart = Testing.chart();
    const sharedResources: kplus.ContainerResources = {
      cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
      memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
    };
    new VersionedService(chart, 'addedvalues', {
      port: 9080,
      workload: {
        replicas: 2,
        resources: sharedResources,
        envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('info') },
        readiness: kplus.Probe.fromHttpGet('/health', { port: 9080 }),
        securityContext: { readOnlyRootFilesystem: false },
        imagePullPolicy: kplus.ImagePullPolicy.ALWAYS,
      },
      versions: [
        { name: 'v1', image: 'addedvalues:v1' },
        {
          name: 'v3',
          image: 'addedvalues:v3',
          replicas: 3,
          resources: { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) } },
          envVariables: { STYLETRANSFER_URL: kplus.EnvValue.fromValue('https://styletransfer.example.com') },
          readiness: kplus.Probe.fromTcpSocket({ port: 9080 }),
          liveness: kplus.Probe.fromHttpGet('/live', { port: 9080, periodSeconds: Duration.seconds(20) }),
          startup: kplus.Probe.fromCommand(['cat', '/tmp/ready']),
          securityContext: { user: 1000, readOnlyRootFilesystem: true },
          imagePullPolicy: kplus.ImagePullPolicy.NEVER,
        },
      ],
    });
    const manifests = Testing.synth(chart);
    const v1 = deploymentNamed(manifests, 'addedvalues-v1');
    const c1 = container(v1);
    expect(v1.spec.replicas).toBe(2);
    expect(c1.image).toBe('addedvalues:v1');
    expect(c1.imagePullPolicy).toBe('Always');
    expect(c1.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } });
    expect(c1.env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
    expect(c1.readinessProbe.httpGet).toEqual({ path: '/health', port: 9080, scheme: 'HTTP' });
    expect(c1.livenessProbe).toBeUndefined();
    expect(c1.securityContext.readOnlyRootFilesystem).toBe(false);

    const v3 = deploymentNamed(manifests, 'addedvalues-v3');
    const c3 = container(v3);
    expect(v3.spec.replicas).toBe(3);
    expect(c3.image).toBe('addedvalues:v3');
    expect(c3.imagePullPolicy).toBe('Never');
    // A per-version value replaces the shared one as a whole (no deep merge).
    expect(c3.resources).toEqual({ requests: { cpu: '250m' }, limits: { cpu: '1' } });
    expect(c3.env).toEqual([{ name: 'STYLETRANSFER_URL', value: 'https://styletransfer.example.com' }]);
    expect(c3.readinessProbe.tcpSocket).toEqual({ port: 9080 });
    expect(c3.readinessProbe.httpGet).toBeUndefined();
    expect(c3.livenessProbe.httpGet).toEqual({ path: '/live', port: 9080, scheme: 'HTTP' });
    expect(c3.livenessProbe.periodSeconds).toBe(20);
    expect(c3.startupProbe.exec).toEqual({ command: ['cat', '/tmp/ready'] });
    expect(c3.securityContext).toMatchObject({ runAsUser: 1000, readOnlyRootFilesystem: true });
  });

  test('a version left undefined in an override keeps the shared setting', () => {
    const chart = Testing.chart();
    new VersionedService(chart, 'addedvalues', {
      workload: { replicas: 4 },
      versions: [{ name: 'v1', image: 'addedvalues:v1', replicas: undefined }],
    });
    expect(deploymentNamed(Testing.synth(chart), 'addedvalues-v1').spec.replicas).toBe(4);
  });

  test('replicas 0 is allowed (a version scaled down but kept)', () => {
    const chart = Testing.chart();
    addedvalues(chart, { workload: { replicas: 0 } });
    expect(deploymentNamed(Testing.synth(chart), 'addedvalues-v1').spec.replicas).toBe(0);
  });

  test('DestinationRule with one subset per version selecting version', () => {
    const chart = Testing.chart();
    addedvalues(chart);
    expect(byKind(Testing.synth(chart), 'DestinationRule')).toEqual([
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'addedvalues' },
        spec: {
          host: 'addedvalues',
          subsets: [
            { name: 'v1', labels: { version: 'v1' } },
            { name: 'v2', labels: { version: 'v2' } },
            { name: 'v3', labels: { version: 'v3' } },
          ],
        },
      },
    ]);
  });

  test('trafficPolicy goes on the DestinationRule', () => {
    const chart = Testing.chart();
    addedvalues(chart, { trafficPolicy: new TrafficPolicy({ tls: ClientTls.istioMutual() }) });
    expect(byKind(Testing.synth(chart), 'DestinationRule')[0].spec.trafficPolicy).toEqual({ tls: { mode: 'ISTIO_MUTUAL' } });
  });

  test('addVersion() after construction adds a Deployment and a subset', () => {
    const chart = Testing.chart();
    const svc = new VersionedService(chart, 'addedvalues', { port: 9080, versions: [{ name: 'v1', image: 'addedvalues:v1' }] });
    const deployment = svc.addVersion({ name: 'v2', image: 'addedvalues:v2', replicas: 2 });
    expect(deployment).toBe(svc.deployment('v2'));
    expect(svc.versionNames).toEqual(['v1', 'v2']);
    const manifests = Testing.synth(chart);
    const v2 = deploymentNamed(manifests, 'addedvalues-v2');
    expect(v2.spec.replicas).toBe(2);
    expect(v2.spec.template.metadata.labels).toEqual({ app: 'addedvalues', version: 'v2' });
    expect(byKind(manifests, 'DestinationRule')[0].spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
  });

  test("destination('v3') returns host + subset, with an optional port", () => {
    const chart = Testing.chart();
    const svc = addedvalues(chart);
    expect(svc.host).toBe('addedvalues');
    expect(svc.destination('v3')._toKube()).toEqual({ host: 'addedvalues', subset: 'v3', port: undefined });
    expect(svc.destination('v1', { port: 9080 })._toKube()).toEqual({ host: 'addedvalues', subset: 'v1', port: { number: 9080 } });
  });

  test('an unknown version fails with the list of known ones', () => {
    const svc = addedvalues(Testing.chart());
    expect(() => svc.destination('v4')).toThrow("'v4' is not a version of VersionedService 'addedvalues' (known: v1, v2, v3)");
    expect(() => svc.deployment('v4')).toThrow("'v4' is not a version of VersionedService 'addedvalues' (known: v1, v2, v3)");
  });

  test('destinationRuleScope puts the DestinationRule into another chart', () => {
    const app = new App();
    const workloads = new Chart(app, 'app');
    const rules = new Chart(app, 'destination-rule-all');
    const svc = addedvalues(workloads, { destinationRuleScope: rules });
    svc.addVersion({ name: 'v4', image: 'addedvalues:v4' });
    const appKinds = workloads.toJson().map((m: any) => `${m.kind}/${m.metadata.name}`);
    expect(appKinds).toEqual([
      'ServiceAccount/addedvalues',
      'Service/addedvalues',
      'Deployment/addedvalues-v1',
      'Deployment/addedvalues-v2',
      'Deployment/addedvalues-v3',
      'Deployment/addedvalues-v4',
    ]);
    const ruleObjects = rules.toJson();
    expect(ruleObjects).toHaveLength(1);
    expect(ruleObjects[0].kind).toBe('DestinationRule');
    expect(ruleObjects[0].metadata.name).toBe('addedvalues');
    expect(ruleObjects[0].spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2', 'v3', 'v4']);
  });

  test('destinationRuleScope may be the chart the service itself lives in', () => {
    const chart = Testing.chart();
    addedvalues(chart, { destinationRuleScope: chart });
    const manifests = Testing.synth(chart);
    expect(byKind(manifests, 'DestinationRule').map((m) => m.metadata.name)).toEqual(['addedvalues']);
    expect(byKind(manifests, 'Deployment')).toHaveLength(3);
  });

  test('output is deterministic', () => {
    const build = () => {
      const chart = Testing.chart();
      const svc = addedvalues(chart, {
        workload: { envVariables: { B: kplus.EnvValue.fromValue('2'), A: kplus.EnvValue.fromValue('1') } },
      });
      svc.addVersion({ name: 'v4', image: 'addedvalues:v4' });
      return chart;
    };
    const chart = build();
    const first = JSON.stringify(Testing.synth(chart));
    expect(JSON.stringify(Testing.synth(chart))).toBe(first);
    expect(JSON.stringify(Testing.synth(build()))).toBe(first);
  });

  test('composite output', () => {
    const chart = Testing.chart();
    addedvalues(chart);
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  describe('errors', () => {
    test.each([
      ['an upper-case name', { name: 'AddedValues' }, "VersionedService 'AddedValues': name ('AddedValues') must be a DNS-1123 label"],
      ['a dotted name', { name: 'added.values' }, "VersionedService 'added.values': name ('added.values') must be a DNS-1123 label"],
      ['a name starting with a digit', { name: '9values' }, "VersionedService '9values': name ('9values') must start with a letter"],
      ['port 0', { port: 0 }, "VersionedService 'addedvalues': port (0) must be an integer between 1 and 65535"],
      ['port 65536', { port: 65536 }, "VersionedService 'addedvalues': port (65536) must be an integer between 1 and 65535"],
      ['a fractional port', { port: 80.5 }, "VersionedService 'addedvalues': port (80.5) must be an integer between 1 and 65535"],
      [
        'containerPort -1',
        { containerPort: -1 },
        "VersionedService 'addedvalues': containerPort (-1) must be an integer between 1 and 65535",
      ],
      [
        'an upper-case port name',
        { portName: 'HTTP' },
        "VersionedService 'addedvalues': portName ('HTTP') must be an IANA service name: a DNS-1123 label of at most 15 characters",
      ],
      [
        'a 16-character port name',
        { portName: 'http-0123456789a' },
        "VersionedService 'addedvalues': portName ('http-0123456789a') must be an IANA service name: a DNS-1123 label of at most 15",
      ],
      [
        'a port name without a letter',
        { portName: '8080' },
        "VersionedService 'addedvalues': portName ('8080') must be an IANA service name",
      ],
      [
        'a port name with a double dash',
        { portName: 'http--a' },
        "VersionedService 'addedvalues': portName ('http--a') must be an IANA service name",
      ],
      [
        'a bad service account',
        { serviceAccountName: 'Bank_SA' },
        "VersionedService 'addedvalues': serviceAccountName ('Bank_SA') must be a DNS-1123 subdomain",
      ],
    ])('rejects %s at construction', (_what, props, message) => {
      expect(() => new VersionedService(Testing.chart(), 'addedvalues', props as VersionedServiceProps)).toThrow(message);
    });

    test.each([
      [
        'a duplicate version',
        { name: 'v1', image: 'a:1' },
        "VersionedService 'addedvalues': versions[3].name ('v1') is already a version of this service (versions: v1, v2, v3)",
      ],
      [
        'an upper-case version',
        { name: 'V4', image: 'a:1' },
        "VersionedService 'addedvalues': versions[3].name ('V4') must be a DNS-1123 label",
      ],
      [
        'a dotted version',
        { name: 'v4.1', image: 'a:1' },
        "VersionedService 'addedvalues': versions[3].name ('v4.1') must be a DNS-1123 label",
      ],
      ['an empty version', { name: '', image: 'a:1' }, "VersionedService 'addedvalues': versions[3].name ('') must be a DNS-1123 label"],
      ['an empty image', { name: 'v4', image: '' }, "VersionedService 'addedvalues': versions[3].image ('') must not be empty"],
      ['a blank image', { name: 'v4', image: '  ' }, "VersionedService 'addedvalues': versions[3].image ('  ') must not be empty"],
      [
        'negative replicas',
        { name: 'v4', image: 'a:1', replicas: -1 },
        "VersionedService 'addedvalues': versions[3].replicas (-1) must be a non-negative integer",
      ],
      [
        'fractional replicas',
        { name: 'v4', image: 'a:1', replicas: 1.5 },
        "VersionedService 'addedvalues': versions[3].replicas (1.5) must be a non-negative integer",
      ],
    ])('addVersion rejects %s', (_what, options, message) => {
      const svc = addedvalues(Testing.chart());
      expect(() => svc.addVersion(options)).toThrow(message);
      expect(svc.versionNames).toEqual(['v1', 'v2', 'v3']);
    });

    test('a duplicate version in props names its index', () => {
      expect(
        () =>
          new VersionedService(Testing.chart(), 'addedvalues', {
            versions: [
              { name: 'v1', image: 'a:1' },
              { name: 'v1', image: 'a:2' },
            ],
          }),
      ).toThrow("VersionedService 'addedvalues': versions[1].name ('v1') is already a version of this service (versions: v1)");
    });

    test('shared replicas are checked too', () => {
      expect(() => addedvalues(Testing.chart(), { workload: { replicas: -2 } })).toThrow(
        "VersionedService 'addedvalues': versions[0].replicas (-2) must be a non-negative integer",
      );
    });

    test('no versions is a synth-time error that addVersion() can still fix', () => {
      const chart = Testing.chart();
      const svc = new VersionedService(chart, 'addedvalues');
      expect(() => Testing.synth(chart)).toThrow(/VersionedService 'addedvalues': has no versions/);
      svc.addVersion({ name: 'v1', image: 'addedvalues:v1' });
      expect(byKind(Testing.synth(chart), 'Deployment')).toHaveLength(1);
    });
  });
});
