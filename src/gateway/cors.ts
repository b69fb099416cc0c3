/**
 * CORS: which other web origins may call the gateway from a browser. None unless configured (CORS_ORIGINS): a caller
 * without X-Auth-Token acts with the gateway's own credentials, so a page of any origin that could read answers and
 * send JSON could use the CBR account through any gateway the browser reaches. yoga's default `cors` reflects every
 * origin with `Access-Control-Allow-Credentials: true`; its own origin list answers a non-listed origin with
 * `Access-Control-Allow-Origin: null` (which a sandboxed iframe's opaque origin matches), hence this plugin.
 */
import type { Plugin } from 'graphql-yoga';

/** What an allowed origin's preflight may send: the methods and request headers this API reads. */
const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST',
  'access-control-allow-headers': 'content-type, x-auth-token, x-project-id, x-graphql-yoga-csrf',
  'access-control-max-age': '600',
} as const;

/**
 * Grants CORS to exactly the origins in `allowedOrigins` (serialized origins as browsers send them, e.g.
 * `https://app.example.com`): `Access-Control-Allow-Origin` echoes the request's origin when it is one of them, and any
 * other origin gets no CORS header at all. Never `Access-Control-Allow-Credentials`: the API takes no cookies, and a
 * caller's identity is the X-Auth-Token header, which the preflight allows.
 */
export function useCors(allowedOrigins: readonly string[]): Plugin {
  const allowed = new Set(allowedOrigins);
  const allowedOrigin = (request: Request): string | undefined => {
    const origin = request.headers.get('origin');
    return origin !== null && allowed.has(origin) ? origin : undefined;
  };
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      if (request.method !== 'OPTIONS') return;
      const origin = allowedOrigin(request);
      if (origin === undefined) {
        // Another origin's preflight: refused without CORS headers (so the browser refuses the request), with a body
        // saying why for whoever reads it in the network panel. Any other OPTIONS is left to yoga (405).
        const requestOrigin = request.headers.get('origin');
        if (requestOrigin === null || !request.headers.has('access-control-request-method')) return;
        endResponse(
          new fetchAPI.Response(preflightRefusal(requestOrigin), { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } }),
        );
        return;
      }
      endResponse(
        new fetchAPI.Response(null, {
          status: 204,
          // Safari waits for a body on a 204 without Content-Length: 0.
          headers: { 'content-length': '0', 'access-control-allow-origin': origin, vary: 'Origin', ...PREFLIGHT_HEADERS },
        }),
      );
    },
    onResponse({ request, response }) {
      if (request.method === 'OPTIONS') return;
      const origin = allowedOrigin(request);
      if (origin === undefined) return;
      response.headers.set('access-control-allow-origin', origin);
      response.headers.append('vary', 'Origin');
    },
  };
}

/** Why another origin's preflight was refused (the origin is cut: it is the caller's text). */
export function preflightRefusal(origin: string): string {
  return `CORS: origin ${origin.slice(0, 200)} may not call this gateway from a browser: it is not in CORS_ORIGINS (the gateway's setting listing the web origins allowed)\n`;
}
