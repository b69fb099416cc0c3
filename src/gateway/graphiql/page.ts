/**
 * GraphiQL for browsers at the GraphQL endpoint, served whole from this package (@graphql-yoga/render-graphiql inlines
 * its scripts, styles, editor workers and favicon), so the page loads with no network beyond the gateway: offline,
 * behind a proxy, and under the Content-Security-Policy sent with it. It opens on this API's examples (examples.ts).
 * When GraphiQL is off, a browser gets a short page saying how to turn it on instead of yoga's empty 406.
 */
import { createHash } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Plugin } from 'graphql-yoga';
import { lookUpExampleIds, type RunAsCaller } from './example-ids';
import { exampleTabs } from './examples';

export interface GraphiQLPageOptions {
  /** Serve GraphiQL (true) or the note saying how to turn it on (false). */
  enabled: boolean;
  /** Path of the GraphQL endpoint, e.g. `/graphql`. */
  endpoint: string;
  /** Sends a query through the gateway as the caller of `request` (fills the examples' ids). */
  runAsCaller(request: Request): RunAsCaller;
  /** Project the share example shares with (no API lists the account's other projects). */
  shareProjectId?: string;
}

/** What a browser asks for when it opens the endpoint: a GET for HTML (yoga's own rule for GraphiQL). */
function isPageRequest(request: Request, url: URL, endpoint: string): boolean {
  return (
    request.method === 'GET' &&
    (request.headers.get('accept')?.includes('text/html') ?? false) &&
    (url.pathname === endpoint || url.pathname === `${endpoint}/`)
  );
}

/** Headers of both pages: not framed, not sniffed, no referrer leaving with a link. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

/**
 * The page's CSP: only its own inline script (by hash), workers from the blob: URLs that script makes, requests to
 * this origin only. Styles stay 'unsafe-inline': the editor and React inject style elements and attributes at run time.
 */
export function contentSecurityPolicy(html: string): string {
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]!);
  const hashes = scripts.map((script) => `'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  return [
    "default-src 'none'",
    `script-src ${hashes.join(' ')}`,
    "style-src 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    'worker-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const OFF_NOTE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>GraphiQL is off</title></head>
<body>
<h1>GraphiQL is off</h1>
<p>This gateway serves GraphiQL only when it is turned on: start it with <code>GRAPHIQL=true</code> (it is on by
default only with the embedded emulator, that is without <code>CBR_ENDPOINT</code>; never with
<code>TRUSTED_DOCUMENTS</code>).</p>
<p>The GraphQL API itself answers here: POST <code>{"query": "..."}</code> as <code>application/json</code>.</p>
</body>
</html>
`;

export function useGraphiQLPage(options: GraphiQLPageOptions): Plugin {
  return {
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (!isPageRequest(request, url, options.endpoint)) return;
      if (!options.enabled) {
        // A browser's GET with `?query=` is left to yoga, which answers it as JSON.
        if (url.searchParams.has('query')) return;
        endResponse(
          new fetchAPI.Response(OFF_NOTE, { status: 404, headers: { ...PAGE_HEADERS, 'content-security-policy': "default-src 'none'" } }),
        );
        return;
      }
      return lookUpExampleIds(options.runAsCaller(request), options.shareProjectId).then((ids) => {
        const html = renderGraphiQL({
          title: 'CBR GraphQL',
          endpoint: options.endpoint,
          defaultTabs: exampleTabs(ids).map((tab) => ({ query: tab.query, variables: JSON.stringify(tab.variables, null, 2) })),
          defaultEditorToolsVisibility: 'variables',
        });
        endResponse(new fetchAPI.Response(html, { status: 200, headers: { ...PAGE_HEADERS, 'content-security-policy': contentSecurityPolicy(html) } }));
      });
    },
  };
}
