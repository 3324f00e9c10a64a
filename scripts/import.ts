/**
 * Generates the L1 bindings in `imports/` from Istio's CRD bundle.
 *
 * Usage: npm run import -- <crd-bundle.yaml>
 *
 * The bundle is pre-filtered (only the kinds and the one version the library uses, upstream
 * descriptions removed) and handed to `cdk8s import`, so the generated code is never edited by
 * hand. The same filtered schemas are written as compact JSON for the validator.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';

/** The kinds the library binds, by API group. */
const KINDS: Record<string, string[]> = {
  'networking.istio.io': ['DestinationRule', 'Gateway', 'ServiceEntry', 'VirtualService'],
};
const VERSION = 'v1';
const OUT_DIR = path.join(__dirname, '..', 'imports');

function stripDescriptions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripDescriptions);
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'description') continue;
      out[k] = stripDescriptions(v);
    }
    return out;
  }
  return node;
}

function main(): void {
  const input = process.argv[2];
  if (!input) {
    console.error('usage: npm run import -- <istio-crd-bundle.yaml>');
    process.exit(2);
  }
  const docs = parseAllDocuments(fs.readFileSync(input, 'utf8')).map((d) => d.toJS());
  const selected: any[] = [];
  const schemas: Record<string, unknown> = {};
  for (const crd of docs) {
    if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
    const kinds = KINDS[crd.spec.group];
    if (!kinds || !kinds.includes(crd.spec.names.kind)) continue;
    const version = crd.spec.versions.find((v: any) => v.name === VERSION);
    if (!version) throw new Error(`${crd.metadata.name} has no version ${VERSION}`);
    const filtered = stripDescriptions({
      apiVersion: crd.apiVersion,
      kind: crd.kind,
      metadata: { name: crd.metadata.name },
      spec: { ...crd.spec, versions: [{ ...version, storage: true }] },
    });
    selected.push(filtered);
    const schema = (filtered as any).spec.versions[0].schema.openAPIV3Schema;
    schemas[`${crd.spec.group}/${crd.spec.names.kind}`] = schema.properties.spec;
  }
  const wanted = Object.values(KINDS).flat().length;
  if (selected.length !== wanted) {
    throw new Error(`expected ${wanted} CRDs in ${input}, found ${selected.length}`);
  }
  selected.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-import-'));
  try {
    const filteredFile = path.join(tmp, 'networking.istio.io.yaml');
    fs.writeFileSync(filteredFile, selected.map((d) => stringify(d)).join('---\n'));
    const cli = path.join(__dirname, '..', 'node_modules', '.bin', 'cdk8s');
    execFileSync(cli, ['import', filteredFile, '--language', 'typescript', '--output', OUT_DIR, '--no-save', '--no-check-upgrade'], {
      stdio: 'inherit',
      cwd: tmp,
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const sortedSchemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(path.join(OUT_DIR, 'schemas.json'), JSON.stringify(sortedSchemas) + '\n');
  console.log(`imports: ${selected.map((d) => d.spec.names.kind).join(', ')} (${VERSION}) from ${input}`);
}

main();
