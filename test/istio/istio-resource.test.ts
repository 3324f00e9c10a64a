import { App, Chart, JsonPatch, Testing } from 'cdk8s';
import { DestinationRule, IstioApp, SynthAnalysis } from '../../lib';

// A subset name Istio rejects, smuggled past the construct with an escape hatch.
function patchedRule(chart: Chart): DestinationRule {
  const rule = new DestinationRule(chart, 'reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
  rule.apiObject.addJsonPatch(JsonPatch.replace('/spec/subsets/0/name', 'v_1'));
  return rule;
}

function synthError(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth did not fail');
}

const PROBLEM = "spec.subsets[0].name ('v_1') must be a DNS-1123 label";

describe('IstioResource: the rule book at synth', () => {
  // The analysis prints its warnings (the hosts have no Service here) to stderr.
  beforeEach(() => jest.spyOn(process.stderr, 'write').mockImplementation(() => true));
  afterEach(() => jest.restoreAllMocks());

  test('in a plain App, the construct reports the rule book errors of the object as written', () => {
    const chart = new Chart(Testing.app(), 'mesh');
    patchedRule(chart);
    const message = synthError(() => Testing.synth(chart));
    expect(message).toContain(`DestinationRule 'reviews': ${PROBLEM}`);
    expect(message.split(PROBLEM)).toHaveLength(2);
  });

  test('in an IstioApp, the analysis reports it once, as IST0106', () => {
    const app = new IstioApp({ outdir: Testing.app().outdir });
    patchedRule(new Chart(app, 'mesh'));
    const message = synthError(() => app.synthYaml());
    expect(message).toMatch(/DestinationRule\/reviews spec\.subsets\[0\]\.name \('v_1'\) must be a DNS-1123 label.*\(IST0106\)/);
    expect(message.split(PROBLEM)).toHaveLength(2);
  });

  test('in an App with SynthAnalysis, the analysis reports it once', () => {
    const app = new App({ outdir: Testing.app().outdir });
    SynthAnalysis.of(app);
    patchedRule(new Chart(app, 'mesh'));
    const message = synthError(() => app.synthYaml());
    expect(message).toContain('(IST0106)');
    expect(message.split(PROBLEM)).toHaveLength(2);
  });

  test('the same object without the patch synthesizes', () => {
    const chart = new Chart(Testing.app(), 'mesh');
    new DestinationRule(chart, 'reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    expect(Testing.synth(chart)[0].spec.subsets[0].name).toBe('v1');
  });
});
