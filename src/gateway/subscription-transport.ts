/**
 * Subscriptions are answered as Server-Sent Events only. yoga starts a subscription before it looks for a way to send
 * it, and answers a request that does not accept `text/event-stream` with an empty 406 without ever ending the
 * subscription: its poll loop and its place under the caller's cap (watches.ts) would stay taken for good. Such a
 * request is refused here before anything starts, with a coded error saying what to send.
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { ErrorCode } from './__generated__/resolvers-types';

export function useEventStreamSubscriptions(): Plugin {
  return {
    onSubscribe({ args, setSubscribeFn }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (!request || acceptsEventStream(request.headers.get('accept'))) return;
      setSubscribeFn(() => ({
        errors: [
          createGraphQLError('Subscriptions are answered as Server-Sent Events: send the header Accept: text/event-stream', {
            extensions: { code: 'BAD_REQUEST' satisfies ErrorCode, http: { status: 406 } },
          }),
        ],
      }));
    },
  };
}

/** Whether an Accept header lets the answer be `text/event-stream` (no header accepts anything). */
export function acceptsEventStream(accept: string | null): boolean {
  if (accept === null || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const type = range.split(';')[0]!.trim().toLowerCase();
    return type === 'text/event-stream' || type === 'text/*' || type === '*/*';
  });
}
