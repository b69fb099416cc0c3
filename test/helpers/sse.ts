/**
 * Test helpers for subscriptions: a gateway listening on an ephemeral loopback port (so a client can really
 * disconnect), an SSE reader of graphql-sse's "distinct connections" events, and a poll clock that lets a test decide
 * when the poll loops read again (no timers, no timing in assertions).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, vi } from 'vitest';
import { nodeListener } from '../../src/gateway/node-listener';
import type { Gateway } from '../../src/gateway/yoga';
import type { GraphQLResponse } from './stack';

/** The gateway served over node:http on 127.0.0.1, port 0. */
export async function listenGateway(gateway: Gateway): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(nodeListener(gateway));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One SSE event: `next` with a GraphQL result, or `complete`. */
export type SseEvent = { event: 'next'; data: GraphQLResponse } | { event: 'complete' };

export interface SseStream {
  status: number;
  /** The next event; rejects when the stream ends without one. */
  next(): Promise<SseEvent>;
  /** The `data` of every `next` event up to `complete`, which must come. */
  rest(): Promise<GraphQLResponse[]>;
  /** Disconnects (aborts the HTTP request). */
  abort(): void;
}

/** Opens a subscription over SSE (POST, JSON body, `accept: text/event-stream`). */
export async function subscribe(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  return readSse(res, abort);
}

export function readSse(res: Response, abort: AbortController): SseStream {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  async function next(): Promise<SseEvent> {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue; // keep-alive comment
          const colon = line.indexOf(':');
          fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        const event = fields.get('event');
        if (event === 'complete') return { event };
        if (event === 'next') return { event, data: JSON.parse(fields.get('data')!) as GraphQLResponse };
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended without an event (left: ${JSON.stringify(buffer)})`);
      buffer += decoder.decode(value, { stream: true });
    }
  }
  return {
    status: res.status,
    next,
    async rest() {
      const results: GraphQLResponse[] = [];
      for (;;) {
        const event = await next();
        if (event.event === 'complete') return results;
        results.push(event.data);
      }
    },
    abort: () => abort.abort(),
  };
}

/** The `data` of the next event, which must be `next`. */
export async function nextData(stream: SseStream): Promise<GraphQLResponse> {
  const event = await stream.next();
  expect(event.event).toBe('next');
  return (event as { data: GraphQLResponse }).data;
}

/**
 * The gateway's `sleep` for poll loops: every loop waits here until the test calls `tick()`, and the delays asked for
 * are recorded. `sleeping()` counts the loops waiting now; `settle(n)` waits until `n` loops wait (they read first).
 */
export function createPollClock() {
  const waiting = new Set<() => void>();
  const delays: number[] = [];
  return {
    delays,
    sleep(ms: number, signal: AbortSignal): Promise<void> {
      delays.push(ms);
      return new Promise<void>((resolve) => {
        const wake = () => {
          waiting.delete(wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        waiting.add(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    },
    sleeping: () => waiting.size,
    /** Wakes every waiting loop: each reads once more. */
    tick(): void {
      for (const wake of [...waiting]) wake();
    },
    async settle(loops: number): Promise<void> {
      await vi.waitFor(() => expect(waiting.size).toBe(loops), { timeout: 10_000, interval: 5 });
    },
  };
}
