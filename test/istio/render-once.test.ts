import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IstioApp, VersionedService } from '../../lib';
import { renderOnce } from '../../lib/istio/render-once';

function mesh(app: App, resources?: kplus.ContainerResources): ApiObject {
  const service = new VersionedService(new Chart(app, 'mesh'), 'reviews', {
    port: 9080,
    versions: [{ name: 'v1', image: 'example.com/reviews:v1', resources }],
  });
  return ApiObject.of(service.deployment('v1'));
}

describe('renderOnce', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-once-'));
    // The analysis prints its warnings to stderr.
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test("an IstioApp's synth renders a VersionedService Deployment once, for its range check and its file", () => {
    const app = new IstioApp({ outdir });
    const deployment = mesh(app);
    const render = jest.spyOn(deployment, 'toJson');
    app.synth();
    expect(render).toHaveBeenCalledTimes(1);
    expect(fs.readFileSync(path.join(outdir, 'mesh.k8s.yaml'), 'utf8')).toContain('name: reviews-v1');
    // A second synth renders again: nothing is kept from the first.
    app.synth();
    expect(render).toHaveBeenCalledTimes(2);
  });

  test('the range check still reports a Deployment out of range, and nothing is written', () => {
    const app = new IstioApp({ outdir: path.join(outdir, 'out') });
    // cdk8s-plus renders this limit as '1e+21m'.
    mesh(app, { cpu: { limit: kplus.Cpu.millis(1e21) } });
    expect(() => app.synth()).toThrow(
      /Deployment 'reviews-v1': spec\.template\.spec\.containers\[0\]\.resources\.limits\.cpu \('1e\+21m'\) must be a non-negative Kubernetes quantity/,
    );
    expect(fs.existsSync(path.join(outdir, 'out'))).toBe(false);
  });

  test('outside a synth session it renders every time', () => {
    const deployment = mesh(Testing.app());
    const render = jest.spyOn(deployment, 'toJson');
    renderOnce(deployment);
    renderOnce(deployment);
    expect(render).toHaveBeenCalledTimes(2);
  });
});
