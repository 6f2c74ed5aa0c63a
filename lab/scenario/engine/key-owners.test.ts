import { describe, expect, it } from 'vitest';
import { nginxChashOwner, nginxChashRing } from '../../simulate/nginx-chash.ts';
import { modelledMovedShare, movedShare, type OwnerProbe } from './key-owners.ts';

const upstreams = ['127.0.0.1:5001', '127.0.0.1:5002', '127.0.0.1:5003'];
const ids = Array.from({ length: 300 }, (_, i) => i + 1);

/** A probe answered the way nginx's ring over `servers` routes, naming servers app-1.. */
function probeOf(servers: string[], answered = ids): OwnerProbe {
  const ring = nginxChashRing(servers);
  const name = (u: string) => `app-${upstreams.indexOf(u) + 1}`;
  return {
    owners: new Map(answered.map((id) => [id, name(nginxChashOwner(ring, String(id)))])),
    upstreams: servers,
  };
}

describe('key movement', () => {
  it('measures and models the same share when nginx routes as its ring says', () => {
    const before = probeOf(upstreams);
    const after = probeOf(upstreams.slice(0, 2));
    const measured = movedShare(before, after);
    expect(measured).toBeGreaterThan(0.1);
    expect(modelledMovedShare(before, after)).toBe(measured);
  });

  it('counts only keys answered both times', () => {
    const before = probeOf(upstreams);
    const after = probeOf(upstreams.slice(0, 2), ids.slice(0, 100));
    const inFirst100 = ids
      .slice(0, 100)
      .filter((id) => before.owners.get(id) !== after.owners.get(id)).length;
    expect(movedShare(before, after)).toBe(inFirst100 / 100);
    expect(modelledMovedShare(before, after)).toBe(inFirst100 / 100);
  });

  it('has no model without both upstream lists, and no share without common keys', () => {
    const before = probeOf(upstreams);
    expect(modelledMovedShare(before, { ...probeOf(upstreams), upstreams: undefined })).toBe(
      undefined,
    );
    expect(movedShare(before, { owners: new Map(), upstreams })).toBe(0);
  });
});
