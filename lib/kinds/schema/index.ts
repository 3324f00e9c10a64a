import { IstioKind } from '../catalogue';
import { SchemaViolation, validateSchema } from './validator';

// Required, not imported: jsii compiles without resolveJsonModule. The build copies the file
// next to the compiled imports (`npm run build`).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SPEC_SCHEMAS: Record<string, unknown> = require('../../../imports/schemas.json');

/**
 * The violations of a kind's spec schema (structure, types, ranges, enums and the CRD's CEL
 * rules), as the API server reports them with strict field validation. The constructs check
 * their rendered spec with it; the analysis checks every manifest's.
 * @internal
 */
export function specSchemaViolations(entry: IstioKind, spec: unknown): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  validateSchema(spec, SPEC_SCHEMAS[entry.schema], 'spec', violations);
  return violations;
}
export { coreFieldRule, coreObjectViolations } from './core';
