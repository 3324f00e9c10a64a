/**
 * Checks that the public API compiles with jsii (the compiler Construct Hub and the other
 * language bindings need), without changing the normal build: copies lib/ and imports/ into a
 * temporary directory, writes a package.json with jsii's settings next to them, links this
 * repository's node_modules and runs `jsii` there.
 *
 * Usage: npm run jsii   (KEEP_JSII_TMP=1 keeps the directory; prints the time jsii took)
 *
 * jsii only looks at what lib/index.ts exports; lib/cli (the CLI) and lib/plugin (the cdk8s
 * validation plugin, typed by cdk8s-cli) are not part of that API and are left out. Runtime
 * dependencies that are not jsii modules are bundled, as jsii requires.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

/**
 * Names jsii warns about (JSII5018, reserved in some language) that we keep knowingly, by file:
 * the generators escape them (C# `@namespace`, Go `Type`), and cdk8s's own API uses the same
 * names (`ApiObjectMetadata.namespace`, cdk8s-plus's `type`). Any other warning fails the check.
 */
const KNOWN_RESERVED: readonly string[] = [
  'lib/analysis/engine.ts namespace', // Suppression.namespace, as in Kubernetes metadata
  'lib/analysis/finding.ts namespace', // Finding.namespace
  'lib/analysis/finding.ts object', // Manifest.object (C#)
  'lib/istio/istio-resource.ts namespace', // IstioResource.namespace
  'lib/istio/http-route.ts fixed', // HttpFaultDelay.fixed(), Istio's fixedDelay (C#)
  'lib/simulation/decision.ts namespace', // SimulatedWorkload.namespace, as in Kubernetes metadata
  'lib/istio/match.ts type', // StringMatch.type (Go)
  'lib/graph/graph-types.ts from', // GraphEdge.from, DeclaredCall.from (Python: from_)
  'lib/graph/graph-types.ts namespace', // DeclaredCall.namespace
  'lib/patterns/zero-trust.ts namespace', // ZeroTrust.namespace
  'lib/istio/http-route.ts delegate', // HttpRouteOptions.delegate, Istio's http[].delegate (C#: @delegate)
  'lib/istio/route-destination.ts namespace', // a delegate's namespace, as Istio names it
  'lib/istio/traffic-policy.ts from', // localityLbSetting distribute/failover `from`, Istio's field (Python: from_)
  'lib/patterns/mesh-namespace.ts namespace', // the namespace a MeshNamespace writes
  'lib/patterns/pattern-options.ts namespace', // the patterns' metadata namespace
  'lib/security/authorization-policy.ts from', // AuthorizationRuleOptions.from, Istio's rules[].from (Python: from_)
  'lib/security/evaluate.ts namespace', // the caller's namespace
  'lib/security/workload-identity.ts namespace', // Principal.serviceAccount(namespace, name)
];

function main(): number {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-jsii-'));
  try {
    for (const folder of ['lib', 'imports']) {
      fs.cpSync(path.join(ROOT, folder), path.join(dir, folder), {
        recursive: true,
        filter: (src) => !/[/\\]lib[/\\](cli|plugin)([/\\]|$)/.test(src),
      });
    }
    fs.copyFileSync(path.join(ROOT, 'README.md'), path.join(dir, 'README.md'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const jsiiPackage = {
      name: pkg.name,
      version: pkg.version,
      description: pkg.description,
      license: pkg.license,
      keywords: pkg.keywords,
      author: { name: 'cdk8s-istio contributors', organization: false },
      repository: { type: 'git', url: 'https://github.com/cdk8s-istio/cdk8s-istio.git' },
      main: 'lib/index.js',
      types: 'lib/index.d.ts',
      dependencies: pkg.dependencies,
      bundledDependencies: Object.keys(pkg.dependencies),
      peerDependencies: pkg.peerDependencies,
      // jsii wants each peer dependency's lowest version as a dev dependency.
      devDependencies: Object.fromEntries(
        Object.entries(pkg.peerDependencies as Record<string, string>).map(([n, v]) => [n, v.replace(/^\^/, '')]),
      ),
      jsii: {
        outdir: 'dist',
        targets: {},
        tsc: { outDir: '.', rootDir: '.' },
        excludeTypescript: ['node_modules'],
      },
    };
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(jsiiPackage, null, 2) + '\n');
    const started = Date.now();
    const jsii = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'jsii'), [], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1', JSII_SUPPRESS_UPGRADE_PROMPT: '1' },
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const output = `${jsii.stdout ?? ''}${jsii.stderr ?? ''}`.trim();
    if (output) console.log(output);
    if (jsii.status !== 0) {
      console.error(`jsii failed (exit ${jsii.status}) after ${seconds}s in ${dir}`);
      return 1;
    }
    const unexpected = unexpectedWarnings(output);
    if (unexpected.length > 0) {
      console.error(`jsii warned about what the public API must avoid:\n  ${unexpected.join('\n  ')}`);
      return 1;
    }
    const assembly = JSON.parse(fs.readFileSync(path.join(dir, '.jsii'), 'utf8'));
    console.log(`jsii: ${Object.keys(assembly.types ?? {}).length} types compiled in ${seconds}s`);
    return 0;
  } finally {
    if (process.env.KEEP_JSII_TMP) console.log(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** jsii's warnings other than the reserved words kept knowingly, one line each. */
function unexpectedWarnings(output: string): string[] {
  const unexpected: string[] = [];
  for (const line of output.split('\n')) {
    const warning = /^(\S+?):\d+:\d+ - warning (JSII\d+): (.*)$/.exec(line) ?? /^warning (JSII\d+): (.*)$/.exec(line);
    if (!warning) continue;
    const [file, code, message] = warning.length === 4 ? [warning[1], warning[2], warning[3]] : ['', warning[1], warning[2]];
    const word = /^"([^"]+)" is a reserved word/.exec(message)?.[1];
    if (code === 'JSII5018' && word && KNOWN_RESERVED.includes(`${file} ${word}`)) continue;
    unexpected.push(`${file ? `${file}: ` : ''}${code} ${message}`);
  }
  return unexpected;
}

process.exitCode = main();
