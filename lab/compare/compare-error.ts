import { LabError, type LabErrorCode } from '../lab-errors.ts';

/** Why a compare, diff or demo command failed. */
export type CompareErrorKind =
  | 'USAGE'
  | 'RESULTS_NOT_FOUND'
  | 'RESULTS_INVALID'
  | 'NOTHING_MEASURED'
  | 'INTERRUPTED';

// Until lab/lab-errors.ts has codes of its own for these, each maps to the closest lab code (exit code).
const LAB_CODES: Record<CompareErrorKind, LabErrorCode> = {
  USAGE: 'USAGE',
  RESULTS_NOT_FOUND: 'USAGE',
  RESULTS_INVALID: 'STATE_INVALID',
  NOTHING_MEASURED: 'UP_FAILED',
  INTERRUPTED: 'INTERRUPTED',
};

/** A failure of `cachelab compare|diff|demo`; a LabError so the CLI prints it and exits with its code. */
export class CompareError extends LabError {
  readonly kind: CompareErrorKind;

  constructor(kind: CompareErrorKind, message: string, options: { cause?: unknown } = {}) {
    super(LAB_CODES[kind], message, options);
    this.name = 'CompareError';
    this.kind = kind;
  }
}
