/**
 * Generates the L1 bindings in `imports/` from Istio's CRD bundle, for the kinds of the kind
 * catalogue (`lib/kinds/catalogue.ts`):
 *
 * - `imports/istio-types.ts`: the spec *types* of every kind, one interface per object in the
 *   schema, enums as string-literal unions. Types only: nothing of it exists at run time.
 * - `imports/schemas.json`: the spec schemas (with their CEL rules), compact, for the validator.
 *
 * Usage: npm run import -- <crd-bundle.yaml>
 *
 * The script checks that every kind's CRD serves exactly the catalogue's versions, with one
 * schema for all of them; upstream descriptions are dropped. Never edit the output by hand.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ISTIO_KINDS } from '../lib/kinds/catalogue';

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

function pascal(name: string): string {
  return name.replace(/(^|[_-])([a-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase()).replace(/^[a-z]/, (c) => c.toUpperCase());
}

/** Writes TypeScript declarations for JSON schemas: one interface per object schema. */
class TypeWriter {
  private readonly blocks: string[] = [];

  /** Declares the interface `name` for the object schema and returns its name. */
  public declare(name: string, schema: any): string {
    const required = new Set<string>(schema.required ?? []);
    const lines = [`export interface ${name} {`];
    for (const key of Object.keys(schema.properties ?? {}).sort()) {
      const type = this.typeOf(`${name}${pascal(key)}`, schema.properties[key]);
      const prop = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
      lines.push(`  readonly ${prop}${required.has(key) ? '' : '?'}: ${type};`);
    }
    lines.push('}');
    this.blocks.push(lines.join('\n'));
    return name;
  }

  public get text(): string {
    return this.blocks.join('\n\n');
  }

  private typeOf(name: string, schema: any): string {
    if (Array.isArray(schema.enum)) return schema.enum.map((v: unknown) => JSON.stringify(v)).join(' | ');
    switch (schema.type) {
      case 'string':
        return 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'array':
        return `${this.wrap(this.typeOf(name, schema.items ?? {}))}[]`;
      case 'object':
        if (schema.properties) return this.declare(name, schema);
        if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
          return `{ readonly [key: string]: ${this.typeOf(name, schema.additionalProperties)} }`;
        }
        return '{ readonly [key: string]: unknown }';
      default:
        return 'unknown';
    }
  }

  private wrap(type: string): string {
    return type.includes(' ') ? `(${type})` : type;
  }
}

function main(): void {
  const input = process.argv[2];
  if (!input) {
    console.error('usage: npm run import -- <istio-crd-bundle.yaml>');
    process.exit(2);
  }
  const crds = new Map<string, any>();
  for (const doc of parseAllDocuments(fs.readFileSync(input, 'utf8'))) {
    const crd = doc.toJS();
    if (crd?.kind === 'CustomResourceDefinition') crds.set(`${crd.spec.group}/${crd.spec.names.kind}`, crd);
  }
  const schemas: Record<string, unknown> = {};
  const types = new TypeWriter();
  for (const entry of ISTIO_KINDS) {
    const crd = crds.get(`${entry.group}/${entry.kind}`);
    if (!crd) throw new Error(`${input} has no CRD for ${entry.group}/${entry.kind}`);
    const served = crd.spec.versions.filter((v: any) => v.served).map((v: any) => v.name);
    if ([...served].sort().join() !== [...entry.versions].sort().join()) {
      throw new Error(`${entry.kind}: the CRD serves ${served.join(', ')}, the catalogue says ${entry.versions.join(', ')}`);
    }
    const specs = crd.spec.versions.map((v: any) => JSON.stringify(stripDescriptions(v.schema.openAPIV3Schema.properties.spec)));
    if (new Set(specs).size !== 1) throw new Error(`${entry.kind}: the served versions have different schemas`);
    const spec = JSON.parse(specs[0]);
    const required: string[] = crd.spec.versions[0].schema.openAPIV3Schema.required ?? [];
    if (required.includes('spec') !== entry.specRequired) {
      throw new Error(`${entry.kind}: the CRD ${required.includes('spec') ? 'requires' : 'does not require'} spec; fix specRequired`);
    }
    schemas[entry.schema] = spec;
    types.declare(`${entry.kind}Spec`, spec);
  }
  const sortedSchemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(path.join(OUT_DIR, 'schemas.json'), JSON.stringify(sortedSchemas) + '\n');
  const header = [
    "// Generated by scripts/import.ts from Istio's CRD bundle; do not edit.",
    '// The spec types of the kinds in lib/kinds/catalogue.ts: one interface per schema object,',
    '// enums as string-literal unions. Types only.',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(OUT_DIR, 'istio-types.ts'), `${header}\n${types.text}\n`);
  console.log(`imports: ${ISTIO_KINDS.map((k) => k.kind).join(', ')} from ${input}`);
}

main();
