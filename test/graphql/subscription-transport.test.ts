import { describe, expect, it } from 'vitest';
import { acceptsEventStream } from '../../src/gateway/subscription-transport';

describe('acceptsEventStream', () => {
  it('accepts no header, text/event-stream and the wildcards that cover it, in any position, with parameters', () => {
    for (const accept of [null, '', 'text/event-stream', 'application/json, text/event-stream;q=0.9', '*/*', 'TEXT/*']) {
      expect(acceptsEventStream(accept), String(accept)).toBe(true);
    }
  });

  it('refuses JSON-only and multipart answers', () => {
    for (const accept of ['application/json', 'application/graphql-response+json, application/json;q=0.9', 'multipart/mixed', 'text/html']) {
      expect(acceptsEventStream(accept), accept).toBe(false);
    }
  });
});
