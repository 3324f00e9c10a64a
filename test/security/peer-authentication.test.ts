import { Chart, Testing } from 'cdk8s';
import { IstioApi, IstioApiVersion, MtlsMode, PeerAuthentication, WorkloadSelector } from '../../lib';

describe('PeerAuthentication', () => {
  test('namespace-wide STRICT: no selector, mtls mode only', () => {
    const chart = new Chart(Testing.app(), 'bank', { namespace: 'bank' });
    new PeerAuthentication(chart, 'default', { mtlsMode: MtlsMode.STRICT });
    expect(Testing.synth(chart)).toEqual([
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name: 'default', namespace: 'bank' },
        spec: { mtls: { mode: 'STRICT' } },
      },
    ]);
  });

  test('mesh-wide lives in the root namespace', () => {
    const chart = Testing.chart();
    const pa = PeerAuthentication.forMesh(chart, 'mesh', { mtlsMode: MtlsMode.PERMISSIVE });
    expect(pa.namespace).toBe('istio-system');
    expect(pa.name).toBe('default');
    const other = PeerAuthentication.forMesh(chart, 'mesh2', { mtlsMode: MtlsMode.STRICT, rootNamespace: 'istio-config', name: 'strict' });
    expect(Testing.synth(chart)[1].metadata).toEqual({ name: 'strict', namespace: 'istio-config' });
    expect(other.mtlsMode).toBe(MtlsMode.STRICT);
  });

  test('workload scope with port-level modes, sorted by port', () => {
    const chart = Testing.chart();
    const pa = new PeerAuthentication(chart, 'details', {
      selector: WorkloadSelector.matchLabels({ app: 'details' }),
      mtlsMode: MtlsMode.STRICT,
      portLevelMtls: [{ port: 9090, mode: MtlsMode.DISABLE }],
    });
    pa.addPortMtls(8080, MtlsMode.PERMISSIVE);
    expect(Testing.synth(chart)[0].spec).toEqual({
      selector: { matchLabels: { app: 'details' } },
      mtls: { mode: 'STRICT' },
      portLevelMtls: { 8080: { mode: 'PERMISSIVE' }, 9090: { mode: 'DISABLE' } },
    });
    expect(pa.portLevelMtls).toEqual({ 8080: 'PERMISSIVE', 9090: 'DISABLE' });
  });

  test('port-level modes need a selector (the CRD rule), at once', () => {
    expect(() => new PeerAuthentication(Testing.chart(), 'ns', { portLevelMtls: [{ port: 80, mode: MtlsMode.DISABLE }] })).toThrow(
      "PeerAuthentication 'ns': spec: portLevelMtls requires selector",
    );
  });

  test('a port outside 1..65535 or set twice throws and changes nothing', () => {
    const pa = new PeerAuthentication(Testing.chart(), 'p', { selector: WorkloadSelector.matchLabels({ app: 'a' }) });
    expect(() => pa.addPortMtls(0, MtlsMode.STRICT)).toThrow(
      "PeerAuthentication 'p': spec.portLevelMtls.0 (0) must be an integer between 1 and 65535",
    );
    pa.addPortMtls(80, MtlsMode.STRICT);
    expect(() => pa.addPortMtls(80, MtlsMode.DISABLE)).toThrow('already has a mode');
    expect(pa.portLevelMtls).toEqual({ 80: 'STRICT' });
  });

  test('an empty selector is written (Istio warns; the analysis reports it)', () => {
    const chart = Testing.chart();
    new PeerAuthentication(chart, 'p', { selector: WorkloadSelector.matchLabels({}) });
    expect(Testing.synth(chart)[0].spec).toEqual({ selector: { matchLabels: {} } });
  });

  test('the chosen networking version is written when security.istio.io serves it, else v1', () => {
    const versions = [IstioApiVersion.V1BETA1, IstioApiVersion.V1ALPHA3].map((v) => {
      const chart = Testing.chart();
      IstioApi.useVersion(chart, v);
      new PeerAuthentication(chart, 'p', { mtlsMode: MtlsMode.STRICT });
      return Testing.synth(chart)[0].apiVersion;
    });
    expect(versions).toEqual(['security.istio.io/v1beta1', 'security.istio.io/v1']);
  });
});
