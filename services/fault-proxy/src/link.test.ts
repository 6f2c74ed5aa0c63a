import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Link, type LinkSink, type ToxicSpec } from './link.ts';
import { createScheduler } from './scheduler.ts';
import { latency } from './toxics/latency.ts';
import { limitData } from './toxics/limit-data.ts';

function recordingSink() {
  const events: string[] = [];
  const sink: LinkSink = {
    write: (data) => events.push(data.toString()),
    end: () => events.push('<end>'),
    close: () => events.push('<close>'),
    reset: () => events.push('<reset>'),
  };
  return { sink, events };
}

const delay = (name: string, ms: number, toxicity = 1): ToxicSpec => ({
  name,
  kind: latency,
  attributes: { latency: ms, jitter: 0 },
  toxicity,
});

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'],
  });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('link', () => {
  it('with no toxic forwards synchronously', () => {
    const { sink, events } = recordingSink();
    const link = new Link(sink, { scheduler: createScheduler({ wakeThread: false }) }, []);
    link.receive(Buffer.from('a'));
    link.end();
    expect(events).toEqual(['a', '<end>']);
  });

  it('chains toxics in order: two latencies add up', () => {
    const { sink, events } = recordingSink();
    const link = new Link(sink, { scheduler: createScheduler({ wakeThread: false }) }, [
      delay('one', 2),
      delay('two', 3),
    ]);
    link.receive(Buffer.from('a'));
    vi.advanceTimersByTime(4);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['a']);
  });

  it('a toxic with toxicity 0 passes everything through', () => {
    const { sink, events } = recordingSink();
    const link = new Link(sink, { scheduler: createScheduler({ wakeThread: false }) }, [
      delay('never', 50, 0),
    ]);
    link.receive(Buffer.from('a'));
    expect(events).toEqual(['a']);
  });

  it('removing a toxic releases what it held, in order, and later data flows freely', () => {
    const { sink, events } = recordingSink();
    const link = new Link(sink, { scheduler: createScheduler({ wakeThread: false }) }, [
      delay('slow', 1_000),
    ]);
    link.receive(Buffer.from('a'));
    link.receive(Buffer.from('b'));
    link.remove('slow');
    link.receive(Buffer.from('c'));
    expect(events).toEqual(['a', 'b', 'c']);
  });

  it('adding and updating a toxic on a live link applies to data from then on, in place', () => {
    const { sink, events } = recordingSink();
    const link = new Link(sink, { scheduler: createScheduler({ wakeThread: false }) }, []);
    link.add(delay('slow', 10));
    link.add({ name: 'cap', kind: limitData, attributes: { bytes: 100 }, toxicity: 1 });
    link.receive(Buffer.from('a'));
    link.update(delay('slow', 1));
    expect(events).toEqual(['a']);
    link.receive(Buffer.from('b'));
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['a', 'b']);
    link.update({ name: 'cap', kind: limitData, attributes: { bytes: 0 }, toxicity: 1 });
    link.receive(Buffer.from('c'));
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['a', 'b', '<close>']);
  });

  it('dispose drops held data', () => {
    const { sink, events } = recordingSink();
    const link = new Link(sink, { scheduler: createScheduler({ wakeThread: false }) }, [
      delay('slow', 10),
    ]);
    link.receive(Buffer.from('a'));
    link.dispose();
    vi.advanceTimersByTime(100);
    expect(events).toEqual([]);
  });
});
