import { isLabError } from '../lab-errors.ts';
import { MissingBinaryError } from '../run/processes/binaries.ts';

/** Every error in the `cause` chain (and inside AggregateErrors), outermost first. */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  const visit = (e: unknown, depth: number): void => {
    if (e === undefined || depth > 10) return;
    chain.push(e);
    if (e instanceof AggregateError) for (const inner of e.errors) visit(inner, depth + 1);
    if (e instanceof Error) visit(e.cause, depth + 1);
  };
  visit(error, 0);
  return chain;
}

/** The first missing system binary in the chain, if that is why it failed. */
export function missingBinary(error: unknown): MissingBinaryError | undefined {
  return causeChain(error).find((e): e is MissingBinaryError => e instanceof MissingBinaryError);
}

/** The exit code for an error: the LabError's code, 1 for anything unexpected. */
export function exitCodeOf(error: unknown): number {
  return isLabError(error) ? error.exitCode : 1;
}

/** A message for the terminal: the error, its causes, and the install command when a binary is missing. */
export function describeError(error: unknown): string {
  const missing = missingBinary(error);
  if (missing)
    return `cachelab: ${missing.binary} is not installed. Install it with:\n  ${missing.installCommand}\n`;
  const lines = causeChain(error).map((e, i) => {
    const text =
      e instanceof Error ? `${isLabError(e) ? `[${e.code}] ` : ''}${e.message}` : String(e);
    return i === 0 ? `cachelab: ${text}` : `  caused by: ${text}`;
  });
  return `${lines.join('\n')}\n`;
}
