/** HTTP(S)_PROXY / NO_PROXY: upstream calls go through a forward proxy unless the host is exempt (upstream-dispatcher.ts). */
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../helpers/stack';

/**
 * A forward proxy as corporate ones work: CONNECT tunnels (what undici's ProxyAgent opens by default) and plain
 * requests with absolute URLs.
 */
function startProxy(): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const upstream = request(req.url!, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req, client, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = req.url!.split(':');
    const target = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      target.write(head);
      target.pipe(client);
      client.pipe(target);
    });
    target.on('error', () => client.destroy());
    client.on('error', () => target.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server })));
}

describe('upstream proxy', () => {
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  beforeAll(async () => {
    proxy = await startProxy();
  });
  afterAll(() => new Promise<void>((resolve) => proxy.server.close(() => resolve())));

  it('sends every upstream call through HTTP_PROXY, and none when NO_PROXY names the host', async () => {
    const proxied = await startStack({ gateway: { proxy: { httpProxy: proxy.url } } });
    try {
      const res = await proxied.execute('{ vaults { totalCount } }');
      expect(res).toEqual({ data: { vaults: { totalCount: 0 } } });
      expect(proxied.calls()).toHaveLength(1);
      expect(proxy.seen).toEqual([`CONNECT ${new URL(proxied.emu.url).host}`]);
    } finally {
      await proxied.close();
    }
    proxy.seen.length = 0;
    const exempt = await startStack({ gateway: { proxy: { httpProxy: proxy.url, noProxy: 'localhost,127.0.0.1' } } });
    try {
      expect(await exempt.execute('{ vaults { totalCount } }')).toEqual({ data: { vaults: { totalCount: 0 } } });
      expect(exempt.calls()).toHaveLength(1);
      expect(proxy.seen).toEqual([]);
    } finally {
      await exempt.close();
    }
  });
});
