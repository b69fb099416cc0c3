/**
 * Watches: the upstream poll loops behind subscriptions (`taskUpdated`, …). One loop per watched object and caller
 * identity (caller-identity.ts), shared by all its subscribers: ten subscribers on one task cost one GET per poll.
 * The loop polls at once, then after a delay that doubles while nothing changes (up to a maximum) and drops back to
 * the minimum after a change; it ends at a terminal state, on an error that polling again cannot fix (a 404: the
 * object is gone), or as soon as its last subscriber leaves. Created once per gateway (yoga.ts); nothing of a caller
 * outlives its last subscriber: the loop's client, and with it the caller's credentials, is dropped then.
 */
import { createGraphQLError } from 'graphql-yoga';
import type { CbrClient } from '../upstream/client';
import { UpstreamError, UpstreamTimeoutError, UpstreamUnavailableError } from '../upstream/errors';
import type { ErrorCode } from './__generated__/resolvers-types';

/** What a watch reads and when it is done: one per subscription field. */
export interface WatchSpec<T> {
  /** Names the kind of object in the stream's key, e.g. `task`. */
  kind: string;
  /** One upstream read of the object. */
  read(client: CbrClient, id: string): Promise<T>;
  /** What subscribers are told about: a new event is emitted only when this changes (status, progress). */
  fingerprint(value: T): string;
  /** True at a terminal state: the event is emitted, then the subscription completes. */
  isFinal(value: T): boolean;
}

/** One event of a subscription: the object's state, or the error that ends it. */
export type WatchEvent<T> = { value: T } | { error: unknown };

export interface WatchOptions {
  /** Concurrent subscriptions one caller identity may hold. */
  maxPerCaller: number;
  /** Delay after a change (and after the first read). */
  minIntervalMs: number;
  /** Longest delay between two reads while nothing changes. */
  maxIntervalMs: number;
  /** Waits `ms` or until `signal` aborts (whichever comes first). Injectable so tests decide when a poll happens. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface WatchRequest {
  /** The caller's identity (context.identity): streams are shared within it only, and the cap counts per identity. */
  identity: string;
  id: string;
  /** A client with the caller's credentials whose calls `signal` aborts; called once, by the subscriber that starts the loop. */
  openClient(signal: AbortSignal): CbrClient;
}

/** Consecutive failures of a retryable kind (timeouts, 5xx, 429, unreachable) before the error ends the watch. */
const MAX_RETRIES = 3;

interface Subscriber<T> {
  push(event: WatchEvent<T>): void;
  end(): void;
}

interface Stream<T> {
  subscribers: Set<Subscriber<T>>;
  latest?: { value: T };
  stop: AbortController;
}

export function createWatches(options: WatchOptions) {
  const sleep = options.sleep ?? defaultSleep;
  const streams = new Map<string, Stream<any>>();
  const perCaller = new Map<string, number>();

  function start<T>(key: string, spec: WatchSpec<T>, request: WatchRequest): Stream<T> {
    const stop = new AbortController();
    const client = request.openClient(stop.signal);
    const stream: Stream<T> = { subscribers: new Set(), stop };
    streams.set(key, stream);
    const finish = () => {
      if (streams.get(key) === stream) streams.delete(key);
      stream.stop.abort();
      for (const subscriber of stream.subscribers) subscriber.end();
    };
    void (async () => {
      let delay = options.minIntervalMs;
      let failures = 0;
      let seen: string | undefined;
      while (!stream.stop.signal.aborted) {
        let value: T;
        try {
          value = await spec.read(client, request.id);
          failures = 0;
        } catch (error) {
          if (stream.stop.signal.aborted) return;
          if (isRetryable(error) && ++failures <= MAX_RETRIES) {
            delay = Math.min(options.maxIntervalMs, delay * 2);
            await sleep(delay, stream.stop.signal);
            continue;
          }
          for (const subscriber of stream.subscribers) subscriber.push({ error });
          finish();
          return;
        }
        if (stream.stop.signal.aborted) return;
        const fingerprint = spec.fingerprint(value);
        if (fingerprint !== seen) {
          seen = fingerprint;
          stream.latest = { value };
          for (const subscriber of stream.subscribers) subscriber.push({ value });
          delay = options.minIntervalMs;
        } else {
          delay = Math.min(options.maxIntervalMs, delay * 2);
        }
        if (spec.isFinal(value)) {
          finish();
          return;
        }
        await sleep(delay, stream.stop.signal);
      }
    })();
    return stream;
  }

  return {
    /**
     * Subscribes to the object `request.id`: the events of its shared stream, the current state first. Throws a
     * GraphQL error coded TOO_MANY_SUBSCRIPTIONS when the caller holds `maxPerCaller` subscriptions already.
     */
    subscribe<T>(spec: WatchSpec<T>, request: WatchRequest): AsyncIterableIterator<WatchEvent<T>> {
      const held = perCaller.get(request.identity) ?? 0;
      if (held >= options.maxPerCaller) {
        throw createGraphQLError(
          `This caller already follows ${held} objects, the most one caller may follow at once: end a subscription first`,
          { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' satisfies ErrorCode } },
        );
      }
      const key = `${spec.kind}\u0000${request.identity}\u0000${request.id}`;
      const stream: Stream<T> = streams.get(key) ?? start(key, spec, request);
      perCaller.set(request.identity, held + 1);
      const channel = createChannel<WatchEvent<T>>(() => {
        stream.subscribers.delete(subscriber);
        const left = (perCaller.get(request.identity) ?? 1) - 1;
        if (left === 0) perCaller.delete(request.identity);
        else perCaller.set(request.identity, left);
        // The last subscriber gone: stop polling and let go of the client (and the caller's credentials).
        if (stream.subscribers.size === 0) {
          if (streams.get(key) === stream) streams.delete(key);
          stream.stop.abort();
        }
      });
      const subscriber: Subscriber<T> = { push: channel.push, end: channel.end };
      stream.subscribers.add(subscriber);
      // A late subscriber starts from what the stream last read, without a read of its own.
      if (stream.latest) channel.push(stream.latest);
      return channel.iterator;
    },
    /** Poll loops running now. */
    active: () => streams.size,
    /** Stops every loop and ends every subscription (gateway shutdown). */
    close(): void {
      for (const stream of [...streams.values()]) {
        stream.stop.abort();
        for (const subscriber of stream.subscribers) subscriber.end();
      }
      streams.clear();
    },
  };
}

export type Watches = ReturnType<typeof createWatches>;

/** Worth another read later: the upstream was slow, unreachable, throttling or failing, not refusing. */
function isRetryable(error: unknown): boolean {
  if (error instanceof UpstreamTimeoutError || error instanceof UpstreamUnavailableError) return true;
  return error instanceof UpstreamError && (error.status === 429 || error.status >= 500);
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * A queue with an async iterator over it. Hand-written rather than an async generator: a generator's `return()` waits
 * for a pending `next()`, so a subscriber waiting for the next event could not leave until it arrived.
 */
function createChannel<T>(onClose: () => void) {
  const queue: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let ended = false;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    onClose();
  };
  const iterator: AsyncIterableIterator<T> = {
    next() {
      const value = queue.shift();
      if (value !== undefined) return Promise.resolve({ value, done: false });
      if (ended) {
        close();
        return Promise.resolve({ value: undefined, done: true });
      }
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      ended = true;
      queue.length = 0;
      close();
      const result: IteratorResult<T> = { value: undefined, done: true };
      waiting?.(result);
      waiting = undefined;
      return Promise.resolve(result);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return {
    iterator,
    push(value: T) {
      if (ended) return;
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value, done: false });
      } else {
        queue.push(value);
      }
    },
    /** No more events: the iterator completes once the queued ones are read. */
    end() {
      if (ended) return;
      ended = true;
      if (waiting && queue.length === 0) {
        const resolve = waiting;
        waiting = undefined;
        close();
        resolve({ value: undefined, done: true });
      }
    },
  };
}
