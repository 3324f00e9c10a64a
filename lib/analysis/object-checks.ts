import { Finding, Manifest } from './finding';

/** A check of one object on its own (schema, webhook rules). @internal */
export type ObjectCheck = (manifest: Manifest) => Finding[];

/**
 * The per-object checks the analysis engine runs on every manifest, in order.
 * @internal
 */
export const OBJECT_CHECKS: ObjectCheck[] = [];
