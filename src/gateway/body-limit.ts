/**
 * The request body limit (hardening.md 1.6), replacing yoga's `maxRequestBodySize`. Same answers (400 for an
 * unreadable Content-Length, 413 REQUEST_ENTITY_TOO_LARGE above the limit), but a body that declares its length is
 * read as it is: yoga pipes every body through a TransformStream, whose stream pipeline and abort signal cost a
 * trivial request ~15 % of its CPU. Trusting a declared length is safe: node:http delivers exactly Content-Length
 * bytes (and refuses Content-Length next to Transfer-Encoding), and a `gateway.fetch` caller runs in this process.
 * Only a body without a declared length (chunked) is counted while it is read.
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { ErrorCode } from './__generated__/resolvers-types';

function tooLarge() {
  return createGraphQLError('Request body too large', {
    extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' satisfies ErrorCode },
  });
}

/** One non-negative integer; anything else (a list, as in request-smuggling attempts) is refused, as yoga does. */
const CONTENT_LENGTH = /^\d+$/;

/** Reads a body of unknown length as text, failing as soon as it passes `limit` bytes. */
async function readLimited(body: ReadableStream<Uint8Array>, limit: number): Promise<string> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  // Decoded whole, so a character split across chunks stays intact; every parser reads the body as text anyway.
  return Buffer.concat(chunks, size).toString('utf8');
}

/** Refuses request bodies above `limitBytes`. Register after the request parsers (any user plugin is). */
export function useRequestBodyLimit(limitBytes: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        if (!CONTENT_LENGTH.test(declared)) {
          throw createGraphQLError('Content-Length header is invalid.', {
            extensions: { http: { status: 400 }, code: 'BAD_REQUEST' satisfies ErrorCode },
          });
        }
        if (Number(declared) > limitBytes) throw tooLarge();
        return;
      }
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser(async (req) => {
        const body = await readLimited(req.body as ReadableStream<Uint8Array>, limitBytes);
        return parse(new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, signal: req.signal, body }));
      });
    },
  };
}
