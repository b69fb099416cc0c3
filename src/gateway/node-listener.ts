/**
 * The gateway as a node:http request listener, with one check before yoga's server adapter sees the request: a Host
 * header that is no host name (`[::1`, `a b`) made the adapter's URL parsing throw, and it answered 500 with the
 * stack trace as text (the server's file paths). Such a request gets 400 and a GraphQL error coded BAD_REQUEST.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ErrorCode } from './__generated__/resolvers-types';
import type { Gateway } from './yoga';

const BAD_HOST = JSON.stringify({
  errors: [{ message: 'The Host header is not a host name', extensions: { code: 'BAD_REQUEST' satisfies ErrorCode } }],
});

export function nodeListener(gateway: Gateway): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host;
    if (host !== undefined && !URL.canParse(`http://${host}`)) {
      res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(BAD_HOST) });
      res.end(BAD_HOST);
      return;
    }
    void gateway(req, res);
  };
}
