import { describe, expect, it } from 'vitest';
import { type CpuProfile, placeOf, summarizeProfile } from './cpu-profile.ts';

const frame = (functionName: string, url: string, lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
});

describe('placeOf', () => {
  it('names packages, app files, node internals and V8 pseudo-frames', () => {
    expect(placeOf('file:///r/node_modules/router/index.js', 'next')).toBe('pkg:router');
    expect(placeOf('file:///r/node_modules/@scope/x/a.js', 'f')).toBe('pkg:@scope/x');
    expect(placeOf('file:///r/services/app/src/http/locals.ts', 'f')).toBe('app:http/locals.ts');
    expect(placeOf('node:_http_server', 'writeHead')).toBe('node');
    expect(placeOf('', '(garbage collector)')).toBe('(garbage collector)');
    expect(placeOf('', 'writev')).toBe('(native)');
  });
});

describe('summarizeProfile', () => {
  // root → handler (app) → observe (prom-client); plus idle.
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', ''), children: [2, 4] },
      {
        id: 2,
        callFrame: frame('handler', 'file:///r/services/app/src/routes/profiles.ts', 9),
        children: [3],
      },
      { id: 3, callFrame: frame('observe', 'file:///r/node_modules/prom-client/lib/histogram.js') },
      { id: 4, callFrame: frame('(idle)', '') },
    ],
    samples: [2, 3, 3, 4, 4],
    timeDeltas: [100, 100, 200, 500, 500],
  };

  it('counts self time by place and function, leaving idle out of the shares', () => {
    const summary = summarizeProfile(profile);
    expect(summary.busyMs).toBe(0.4);
    expect(summary.idleMs).toBe(1);
    expect(summary.selfByPlace).toEqual([
      { name: 'pkg:prom-client', ms: 0.3, share: 0.75 },
      { name: 'app:routes/profiles.ts', ms: 0.1, share: 0.25 },
    ]);
    expect(summary.selfByFunction[1]?.name).toBe('handler profiles.ts:10');
  });

  it('drops samples whose stack passes through an ignored URL', () => {
    const summary = summarizeProfile(profile, { ignore: /prom-client/ });
    expect(summary.busyMs).toBe(0.1);
    expect(summary.selfByPlace).toEqual([{ name: 'app:routes/profiles.ts', ms: 0.1, share: 1 }]);
  });

  it('counts inclusive time for every place on the stack', () => {
    const inclusive = summarizeProfile(profile).inclusiveByPlace;
    expect(inclusive.find((s) => s.name === 'app:routes/profiles.ts')?.share).toBe(1);
    expect(inclusive.find((s) => s.name === 'pkg:prom-client')?.share).toBe(0.75);
  });
});
