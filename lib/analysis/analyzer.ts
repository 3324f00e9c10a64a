import { FindingCode } from './codes';
import { MeshModel, ObjectRef } from './model';

/**
 * Records one finding about `ref`, with the code's severity; `field` is the path of the offending
 * field (`spec.http[0].route[0].destination.subset`). @internal
 */
export type Report = (ref: ObjectRef, code: FindingCode, field: string | undefined, message: string) => void;

/** A cross-resource check over the whole mesh model. @internal */
export interface Analyzer {
  /** Short name, for internal-error findings. */
  readonly name: string;
  /** Reports every problem it finds; must be linear in the number of objects. */
  analyze(model: MeshModel, report: Report): void;
}
