import { describe, expect, it } from 'vitest';
import { FillGuard } from './fill-guard.ts';

describe('FillGuard', () => {
  it('a ticket stays fresh without an invalidation and is released at the end', () => {
    const guard = new FillGuard();
    const ticket = guard.begin('k');
    expect(guard.end('k', ticket)).toBe(true);
    expect(guard.size).toBe(0);
  });

  it('an invalidation during an operation makes it stale; the next one is fresh', () => {
    const guard = new FillGuard();
    const ticket = guard.begin('k');
    guard.invalidate('k');
    guard.invalidate('other');
    expect(guard.end('k', ticket)).toBe(false);
    expect(guard.end('k', guard.begin('k'))).toBe(true);
  });

  it('a set takes over the watch of the miss before it', () => {
    const guard = new FillGuard();
    const read = guard.begin('k');
    guard.handOff(read);
    guard.invalidate('k');
    const write = guard.beginSet('k');
    expect(write.stale).toBe(true);
    expect(guard.end('k', write)).toBe(false);
    expect(guard.size).toBe(0);
  });

  it('a set with no miss before it starts its own watch', () => {
    const guard = new FillGuard();
    const write = guard.beginSet('k');
    expect(guard.end('k', write)).toBe(true);
  });

  it('concurrent operations share a ticket: one stale, all stale', () => {
    const guard = new FillGuard();
    const a = guard.begin('k');
    const b = guard.begin('k');
    guard.invalidate('k');
    expect(guard.end('k', a)).toBe(false);
    expect(guard.end('k', b)).toBe(false);
    expect(guard.size).toBe(0);
  });

  it('invalidateAll marks every open ticket stale', () => {
    const guard = new FillGuard();
    const a = guard.begin('a');
    const b = guard.begin('b');
    guard.invalidateAll();
    expect([guard.end('a', a), guard.end('b', b)]).toEqual([false, false]);
  });

  it('a ticket pushed out of the bounded table turns stale (doubt means stale)', () => {
    const guard = new FillGuard({ maxKeys: 2 });
    const first = guard.begin('a');
    guard.begin('b');
    guard.begin('c');
    expect(guard.end('a', first)).toBe(false);
  });
});

describe('FillGuard ticket lifetime', () => {
  it('a miss never followed by a set stops vetoing fills once its ticket expires', async () => {
    const guard = new FillGuard({ ttlMs: 30 });
    guard.handOff(guard.begin('k')); // e.g. the load found nothing
    guard.invalidate('k');
    expect(guard.end('k', guard.begin('k'))).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(guard.end('k', guard.begin('k'))).toBe(true);
  });
});
