import { describe, expect, it } from 'vitest';
import { LabError } from '../lab-errors.ts';
import { MissingBinaryError } from '../run/processes/binaries.ts';
import { describeError, exitCodeOf } from './output.ts';

describe('describeError', () => {
  it('prints the exact install command when a binary is missing anywhere in the chain', () => {
    const error = new LabError('UP_FAILED', 'up failed', {
      cause: new AggregateError([new MissingBinaryError('nginx', ['nginx'])]),
    });
    expect(describeError(error)).toContain('apt-get install -y nginx');
    expect(exitCodeOf(error)).toBe(4);
  });

  it('prints the code, the message and each cause', () => {
    const error = new LabError('PORT_IN_USE', 'port 8080 is in use', {
      cause: new Error('EADDRINUSE'),
    });
    expect(describeError(error)).toBe(
      'cachelab: [PORT_IN_USE] port 8080 is in use\n  caused by: EADDRINUSE\n',
    );
    expect(exitCodeOf(error)).toBe(3);
    expect(exitCodeOf(new Error('boom'))).toBe(1);
  });
});
