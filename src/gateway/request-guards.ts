/**
 * HTTP-level refusals before any GraphQL runs, each a JSON GraphQL error with a status and `extensions.code`: CSRF
 * prevention and a POST body no parser reads.
 */
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { ErrorCode } from './__generated__/resolvers-types';

/**
 * yoga's CSRF prevention (see CSRF_HEADERS in yoga.ts), its 403 coded FORBIDDEN like every other refusal of the
 * gateway (the plugin's own error has no `extensions.code`). Same check, same status and message.
 */
export function useCsrfPrevention(requestHeaders: string[]): Plugin {
  const check = useCSRFPrevention({ requestHeaders }).onRequestParse!;
  return {
    onRequestParse(payload) {
      try {
        // Synchronous: it only reads headers.
        void check(payload);
      } catch (error) {
        const { message, extensions } = error as { message?: string; extensions?: { http?: { status?: number } } };
        if (extensions?.http?.status !== 403) throw error;
        throw createGraphQLError(message ?? 'Required CSRF header(s) not present', {
          extensions: { http: { status: 403 }, code: 'FORBIDDEN' satisfies ErrorCode },
        });
      }
    },
  };
}

/**
 * A POST whose Content-Type no request parser reads (e.g. `text/plain` that passed the CSRF check): yoga answers 415
 * with an empty body, which a GraphQL client shows as a bare network failure. Same status, with a GraphQL error coded
 * BAD_REQUEST, the code yoga gives every other unusable HTTP request (a 405 as much as a 400). Register after the CSRF
 * plugin (a form or text/plain body without its header stays a 403) and after yoga's parsers (any user plugin is).
 * Other methods are left to yoga, which answers 405.
 */
export function useUnsupportedMediaType(): Plugin {
  return {
    onRequestParse({ request, requestParser }) {
      if (requestParser !== undefined || request.method !== 'POST') return;
      const contentType = request.headers.get('content-type');
      const what = contentType === null ? 'A POST without Content-Type' : `Content-Type ${contentType.split(';', 1)[0]!.trim().slice(0, 100)}`;
      throw createGraphQLError(`${what} is not a GraphQL request: send the body as application/json`, {
        extensions: { http: { status: 415 }, code: 'BAD_REQUEST' },
      });
    },
  };
}
