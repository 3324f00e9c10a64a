import { App, Chart, JsonPatch, Testing } from 'cdk8s';
import { DestinationRule, IstioApp, SynthAnalysis, UserPrefixRoute, VersionedService } from '../../lib';
import * as catalogue from '../../lib/kinds/catalogue';

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

describe('IstioResource: construction checks in a batch', () => {
  afterEach(() => jest.restoreAllMocks());

  const subset = (name: string) => ({ name, labels: { version: name } });
  const newRule = () => new DestinationRule(new Chart(Testing.app(), 'mesh'), 'reviews', { host: 'reviews' });

  test('add*() calls outside a batch check the object after each call', () => {
    const rule = newRule();
    const check = jest.spyOn(catalogue, 'ruleBookProblems');
    for (const v of ['v1', 'v2', 'v3']) rule.addSubset(subset(v));
    expect(check).toHaveBeenCalledTimes(3);
  });

  test('a batch checks the object once, at its end', () => {
    const rule = newRule();
    const check = jest.spyOn(catalogue, 'ruleBookProblems');
    rule._batch(() => {
      for (const v of ['v1', 'v2', 'v3']) rule.addSubset(subset(v));
      expect(check).not.toHaveBeenCalled();
    });
    expect(check).toHaveBeenCalledTimes(1);
    expect(rule.subsetNames).toEqual(['v1', 'v2', 'v3']);
  });

  test('an error in a batch is thrown at its end, with the message the call alone throws', () => {
    const alone = synthError(() => newRule().addSubset(subset('v_1')));
    expect(alone).toContain("DestinationRule 'reviews': spec.subsets[0].name ('v_1') must be a DNS-1123 label");
    const rule = newRule();
    let reachedEnd = false;
    const batched = synthError(() =>
      rule._batch(() => {
        rule.addSubset(subset('v_1'));
        reachedEnd = true;
      }),
    );
    expect(reachedEnd).toBe(true);
    expect(batched).toBe(alone);
  });

  test("when the batch's function throws, its error propagates and the object is not checked", () => {
    const rule = newRule();
    const check = jest.spyOn(catalogue, 'ruleBookProblems');
    const message = synthError(() =>
      rule._batch(() => {
        rule.addSubset(subset('v1'));
        throw new Error('stop');
      }),
    );
    expect(message).toBe('stop');
    expect(check).not.toHaveBeenCalled();
    // Checks are back on after the batch.
    expect(() => rule.addSubset(subset('v_2'))).toThrow(/must be a DNS-1123 label/);
  });

  test('UserPrefixRoute checks its VirtualService once for all its routes', () => {
    const chart = new Chart(Testing.app(), 'mesh');
    const service = new VersionedService(chart, 'reviews', {
      versions: ['v1', 'v2', 'v3'].map((v) => ({ name: v, image: `example.com/reviews:${v}` })),
    });
    const check = jest.spyOn(catalogue, 'ruleBookProblems');
    new UserPrefixRoute(chart, 'route', {
      service,
      prefixes: [{ prefix: 'yunqi', version: 'v3' }],
      users: [{ user: 'jason', version: 'v1' }],
      defaultVersion: 'v2',
    });
    // The constructor's check (no routes yet), then one for the three routes.
    expect(check).toHaveBeenCalledTimes(2);
    expect(Testing.synth(chart).find((o) => o.kind === 'VirtualService').spec.http).toHaveLength(3);
  });
});
