/**
 * watches.ts on its own, with a fake read (no HTTP): the edges of sharing and leaving that the end-to-end tests
 * (subscription.test.ts) cannot time, such as a subscriber leaving while a read is in flight.
 */
import { describe, expect, it, vi } from 'vitest';
import type { CbrClient } from '../../src/upstream/client';
import { createWatches, type WatchEvent, type WatchSpec } from '../../src/gateway/watches';
import { createPollClock } from '../helpers/sse';

interface State {
  status: string;
}

/** A spec whose reads wait until the test answers them; `signals` are those of the clients the loops opened. */
function fakeSpec() {
  const pending: Array<{ resolve: (state: State) => void; signal: AbortSignal }> = [];
  const signals: AbortSignal[] = [];
  const spec: WatchSpec<State> = {
    kind: 'fake',
    read: (client) =>
      new Promise<State>((resolve, reject) => {
        const signal = (client as unknown as { signal: AbortSignal }).signal;
        signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
        pending.push({ resolve, signal });
      }),
    fingerprint: (state) => state.status,
    isFinal: (state) => state.status === 'done',
  };
  const openClient = (signal: AbortSignal) => {
    signals.push(signal);
    return { signal } as unknown as CbrClient;
  };
  return {
    spec,
    signals,
    pending,
    openClient,
    async answer(status: string) {
      await vi.waitFor(() => expect(pending.length).toBeGreaterThan(0), { timeout: 10_000, interval: 2 });
      pending.shift()!.resolve({ status });
    },
  };
}

const valueOf = (result: IteratorResult<WatchEvent<State>>) => (result.done ? 'done' : 'value' in result.value ? result.value.value.status : 'error');

describe('watches', () => {
  it('stops the loop and aborts its read in flight when the only subscriber leaves before the first answer', async () => {
    const fake = fakeSpec();
    const watches = createWatches({ maxPerCaller: 5, minIntervalMs: 10, maxIntervalMs: 40, sleep: createPollClock().sleep });
    const events = watches.subscribe(fake.spec, { identity: 'me', id: 'x', openClient: fake.openClient });
    const first = events.next();
    await vi.waitFor(() => expect(fake.pending).toHaveLength(1), { timeout: 10_000, interval: 2 });

    expect(await events.return!()).toEqual({ value: undefined, done: true });
    expect(await first).toEqual({ value: undefined, done: true });
    expect(fake.signals[0]!.aborted).toBe(true);
    expect(watches.active()).toBe(0);
  });

  it('gives a late subscriber the last state at once, without a read, and keeps polling for the one left', async () => {
    const fake = fakeSpec();
    const polls = createPollClock();
    const watches = createWatches({ maxPerCaller: 5, minIntervalMs: 10, maxIntervalMs: 40, sleep: polls.sleep });
    const a = watches.subscribe(fake.spec, { identity: 'me', id: 'x', openClient: fake.openClient });
    await fake.answer('running');
    expect(valueOf(await a.next())).toBe('running');
    await polls.settle(1);

    const b = watches.subscribe(fake.spec, { identity: 'me', id: 'x', openClient: fake.openClient });
    expect(valueOf(await b.next())).toBe('running');
    expect(fake.pending).toHaveLength(0);
    expect(fake.signals).toHaveLength(1);

    await a.return!();
    expect(watches.active()).toBe(1);
    polls.tick();
    await fake.answer('done');
    expect(await b.next()).toEqual({ value: { value: { status: 'done' } }, done: false });
    expect(await b.next()).toEqual({ value: undefined, done: true });
    expect(watches.active()).toBe(0);
  });

  it('counts every subscription of a caller under the cap, shared or not, and frees it on leaving', async () => {
    const fake = fakeSpec();
    const watches = createWatches({ maxPerCaller: 2, minIntervalMs: 10, maxIntervalMs: 40, sleep: createPollClock().sleep });
    const one = watches.subscribe(fake.spec, { identity: 'me', id: 'x', openClient: fake.openClient });
    watches.subscribe(fake.spec, { identity: 'me', id: 'x', openClient: fake.openClient });
    expect(() => watches.subscribe(fake.spec, { identity: 'me', id: 'y', openClient: fake.openClient })).toThrow(/already follows 2 objects/);
    // Another caller has its own count and its own stream of the same object.
    watches.subscribe(fake.spec, { identity: 'you', id: 'x', openClient: fake.openClient });
    expect(watches.active()).toBe(2);

    await one.return!();
    expect(() => watches.subscribe(fake.spec, { identity: 'me', id: 'y', openClient: fake.openClient })).not.toThrow();
    watches.close();
    expect(watches.active()).toBe(0);
    expect(fake.signals.every((signal) => signal.aborted)).toBe(true);
  });
});
