/**
 * HTTP-level refusals before any GraphQL runs, each a JSON GraphQL error with a status and `extensions.code`.
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
