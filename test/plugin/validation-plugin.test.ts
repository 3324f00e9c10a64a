import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
// cdk8s-cli's own classes: the plugin is driven exactly as `cdk8s synth` drives it.
import { PluginManager } from '../../node_modules/cdk8s-cli/lib/plugins/_manager';
import { ValidationContext, ValidationPlugin } from '../../node_modules/cdk8s-cli/lib/plugins/validation';
import { DestinationRule, UserPrefixRoute, VersionedService } from '../../lib';
import { IstioValidation, IstioValidationProps } from '../../lib/plugin/validation-plugin';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'istio-plugin-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Synthesizes a plain cdk8s app as `cdk8s synth` does with validations (construct metadata on). */
function synth(build: (chart: Chart) => void): { manifests: string[]; constructMetadata: string } {
  const app = new App({ outdir: dir, recordConstructMetadata: true });
  build(new Chart(app, 'bookinfo'));
  app.synth();
  const manifests = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => path.join(dir, f));
  return { manifests, constructMetadata: path.join(dir, 'construct-metadata.json') };
}

function reviews(chart: Chart, defaultVersion = 'v1'): void {
  const service = new VersionedService(chart, 'reviews', {
    port: 9080,
    versions: ['v1', 'v2'].map((v) => ({ name: v, image: `reviews:${v}` })),
  });
  new UserPrefixRoute(chart, 'route', { service, users: [{ user: 'jason', version: 'v2' }], defaultVersion });
}

async function validate(synthesized: ReturnType<typeof synth>, properties?: unknown) {
  const manager = new PluginManager(path.join(dir, 'plugins'));
  const { plugin, context } = ValidationPlugin.load(
    {
      package: path.join(__dirname, '../../lib/plugin/validation-plugin.ts'),
      version: '0.1.0',
      class: 'IstioValidation',
      properties: properties as any,
    },
    synthesized,
    false,
    manager,
  );
  const logged: string[] = [];
  (context.logger as { log: (m: string) => void }).log = (m) => logged.push(m);
  await plugin.validate(context);
  return { report: context.report, json: context.report.toJson(), log: logged.join('\n') };
}

test('a correct mesh passes', async () => {
  const { report, json } = await validate(synth((c) => reviews(c)));
  expect(report.success).toBe(true);
  expect(json.violations).toEqual([]);
  expect(json.summary.metadata).toEqual({ errors: '0', warnings: '0', objects: '6' });
});

test('an error fails the report, naming the construct, the object and the field', async () => {
  const synthesized = synth((c) => {
    reviews(c);
    // A second DestinationRule subset nobody deploys: its labels select no pods.
    new DestinationRule(c, 'ratings-rule', {
      host: 'reviews',
      metadata: { name: 'reviews-extra' },
      subsets: [{ name: 'v9', labels: { version: 'v9' } }],
    });
  });
  const { report, json, log } = await validate(synthesized);
  expect(report.success).toBe(false);
  const violation = json.violations.find((v) => v.ruleName.startsWith('IST0173'));
  expect(violation).toBeDefined();
  expect(violation!.violatingConstructs).toEqual([
    expect.objectContaining({
      resourceName: 'reviews-extra',
      constructPath: 'bookinfo/ratings-rule/Resource',
      locations: ['spec.subsets[0]'],
    }),
  ]);
  expect(log).toContain('error IST0173 [bookinfo/ratings-rule/Resource] DestinationRule/reviews-extra spec.subsets[0]');
});

test('warningsAsErrors turns a warning into a failure; a suppression silences it', async () => {
  const build = (c: Chart) => {
    reviews(c);
    // A DestinationRule for a host no Service declares: a warning (IST0174).
    new DestinationRule(c, 'ghost', { host: 'ghost' });
  };
  const plain = await validate(synth(build));
  expect(plain.report.success).toBe(true);
  expect(plain.log).toMatch(/^warning /m);
  const code = /^warning (\S+)/m.exec(plain.log)![1];

  const strict = await validate(synth(build), { warningsAsErrors: true } satisfies IstioValidationProps);
  expect(strict.report.success).toBe(false);
  expect(strict.json.violations.map((v) => v.ruleName.split(' ')[0])).toContain(code);

  const suppressed = await validate(synth(build), { warningsAsErrors: true, suppressions: [{ code }] });
  expect(suppressed.report.success).toBe(true);
});

test('invalid properties fail the report with what is wrong', async () => {
  const { report, log } = await validate(
    synth((c) => reviews(c)),
    { strict: 'yes', suppressions: [{ code: 'IST9999' }] },
  );
  expect(report.success).toBe(false);
  expect(log).toContain('properties.strict: unknown option (known: warningsAsErrors, suppressions, defaultNamespace)');
  expect(log).toContain('properties.suppressions[0].code ("IST9999") must be a finding code');
});

test('the plugin is a class cdk8s-cli can construct with no properties', async () => {
  const context = new ValidationContext([], 'cdk8s-istio', '0.1.0');
  await new IstioValidation().validate(context);
  expect(context.report.success).toBe(true);
});
