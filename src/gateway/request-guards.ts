/**
 * HTTP-level refusals before any GraphQL runs, each a JSON GraphQL error with a status and `extensions.code`: the Host
 * check against DNS rebinding, CSRF prevention, and a POST body no parser reads.
 */
import { isIP } from 'node:net';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { ErrorCode } from './__generated__/resolvers-types';

/**
 * Hosts no attacker can point elsewhere: `localhost` and `*.localhost` (resolved to loopback by browsers, RFC 6761),
 * and IP addresses (`127.0.0.1`, `[::1]`, `10.0.0.7`), which no DNS answer is involved in reaching. webpack-dev-server
 * and Vite let them through for the same reason.
 */
function cannotBeRebound(name: string): boolean {
  return name === 'localhost' || name.endsWith('.localhost') || isIP(name.startsWith('[') ? name.slice(1, -1) : name) !== 0;
}

/**
 * The host name of a Host header, lower case, without the port and without the trailing dot of a fully qualified
 * name (a browser sends `localhost.` as typed): `[::1]:4000` → `[::1]`, `LocalHost.:4000` → `localhost`.
 */
function hostNameOf(host: string): string {
  const end = host.charCodeAt(0) === 0x5b /* [ */ ? host.indexOf(']') + 1 : host.indexOf(':');
  const name = (end > 0 ? host.slice(0, end) : host).toLowerCase();
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/**
 * DNS rebinding: a page whose host name the attacker points at 127.0.0.1 is same-origin to the browser, so neither
 * CORS nor CSRF prevention stops it, and a request without X-Auth-Token acts with the gateway's own credentials.
 * Such requests are served only when their Host cannot be rebound (localhost, an IP address) or is one of
 * `allowedHosts` (host names without a port, lower case, as config.ts normalises ALLOWED_HOSTS); others are refused with 403 FORBIDDEN before anything runs
 * (no IAM or CBR call, not even introspection). Requests with X-Auth-Token pass: a rebinding page cannot know the
 * caller's token. A request without a Host header passes too: browsers always send one, and any other client could
 * send `Host: localhost` anyway (it is how `gateway.fetch` is called in process). As webpack-dev-server's
 * `allowedHosts` and Vite's `server.allowedHosts`. Install only when the gateway has credentials of its own.
 */
export function useAllowedHosts(allowedHosts: readonly string[]): Plugin {
  const allowed = new Set(allowedHosts.map((name) => name.toLowerCase()));
  return {
    onRequestParse({ request }) {
      const { headers } = request;
      if (headers.has('x-auth-token')) return;
      const host = headers.get('host');
      if (host === null) return;
      const name = hostNameOf(host);
      if (allowed.has(name) || cannotBeRebound(name)) return;
      throw createGraphQLError(
        `Requests without X-Auth-Token use this gateway's own credentials, which host "${name.slice(0, 255)}" may not use (DNS rebinding protection): send an X-Auth-Token, or add the host name to ALLOWED_HOSTS`,
        { extensions: { http: { status: 403 }, code: 'FORBIDDEN' satisfies ErrorCode } },
      );
    },
  };
}

/**
 * yoga's CSRF prevention (see CSRF_HEADERS in yoga.ts), its 403 coded FORBIDDEN like every other refusal of the
 * gateway (the plugin's own error has no `extensions.code`) and naming the headers that would pass (the plugin's
 * "Required CSRF header(s) not present" leaves a caller guessing). Same check, same status.
 */
export function useCsrfPrevention(requestHeaders: string[]): Plugin {
  const check = useCSRFPrevention({ requestHeaders }).onRequestParse!;
  // Only the methods yoga serves: any other (a preflight's OPTIONS, DELETE) is yoga's 405, not a CSRF refusal.
  const served = new Set(['GET', 'POST']);
  const refusal = `A GET, or a POST that is not application/json, needs one of the headers ${requestHeaders.join(', ')} (CSRF prevention)`;
  return {
    onRequestParse(payload) {
      if (!served.has(payload.request.method)) return;
      try {
        // Synchronous: it only reads headers.
        void check(payload);
      } catch (error) {
        const { extensions } = error as { extensions?: { http?: { status?: number } } };
        if (extensions?.http?.status !== 403) throw error;
        throw createGraphQLError(refusal, {
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
        extensions: { http: { status: 415 }, code: 'BAD_REQUEST' satisfies ErrorCode },
      });
    },
  };
}
