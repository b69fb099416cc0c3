/** src/main.ts: the whole process as `npm start` runs it, over real HTTP. */
import { execFile, spawn } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { banner, start } from '../src/main';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe('main: the whole process without configuration', () => {
  it('starts the emulator with demo data and the gateway, answers as the demo account, and closes cleanly', async () => {
    const running = await start({ ...loadConfig({}), port: 0, logLevel: 'silent' });
    try {
      expect(running.graphqlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      expect(running.emulatorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(banner(running)).toContain(`GraphQL gateway   ${running.graphqlUrl}`);
      expect(banner(running)).toContain(`CBR emulator      ${running.emulatorUrl}`);
      expect(banner(running)).toContain(`GraphiQL          ${running.graphqlUrl}  (open it in a browser)`);
      const res = await fetch(running.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
        body: JSON.stringify({ query: `{ vaults(first: 1) { totalCount } }` }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      // No CORS_ORIGINS: a page of another origin may not read the demo account's data.
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const body = await res.json();
      expect(body.errors).toBeUndefined();
      expect(body.data.vaults.totalCount).toBeGreaterThan(0);

      // DNS rebinding: over node:http the Host header reaches the check; a token-less request naming another host runs nothing.
      const rebound = await postWithHost(running.graphqlUrl, 'evil.example', `{ vaults(first: 1) { totalCount } }`);
      expect(rebound.status).toBe(403);
      expect(JSON.parse(rebound.body).errors[0].extensions).toEqual({ code: 'FORBIDDEN' });
      const local = await postWithHost(running.graphqlUrl, `localhost:${new URL(running.graphqlUrl).port}`, `{ vaults(first: 1) { totalCount } }`);
      expect(local.status).toBe(200);
      expect(JSON.parse(local.body).data.vaults.totalCount).toBeGreaterThan(0);
      // A Host that is no host name: 400 with a coded error, not the server adapter's 500 with a stack trace.
      const broken = await postWithHost(running.graphqlUrl, '[::1', `{ __typename }`);
      expect(broken).toEqual({ status: 400, body: JSON.stringify({ errors: [{ message: 'The Host header is not a host name', extensions: { code: 'BAD_REQUEST' } }] }) });

      // A 30 KB token (IAM tokens reach 32 KB) passes the HTTP server, whose default header limit is 16 KiB.
      const big = await fetch(running.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-auth-token': 'x'.repeat(30_000) },
        body: JSON.stringify({ query: `{ vaults { totalCount } }` }),
      });
      expect(big.status).toBe(200);
      expect((await big.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');

      const graphiql = await fetch(running.graphqlUrl, { headers: { accept: 'text/html' } });
      expect(graphiql.headers.get('content-type')).toMatch(/text\/html/);
      await graphiql.text();
    } finally {
      await running.close();
    }
    await expect(fetch(running.graphqlUrl, { method: 'POST' })).rejects.toThrow();
  });
});

describe('main: start-up output', () => {
  it('says GraphiQL is off, and how to turn it on, when it is', async () => {
    const running = await start({ ...loadConfig({ GRAPHIQL: 'false' }), port: 0, logLevel: 'silent' });
    try {
      expect(running.config.graphiql).toBe(false);
      expect(banner(running)).toContain('GraphiQL          off  (GRAPHIQL=true turns it on)');
    } finally {
      await running.close();
    }
  });

  it('stops on a busy port with one line naming PORT, not a stack trace', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', 'src/main.ts'],
          { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' }, timeout: 60_000 },
          (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
        );
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `Cannot listen on 127.0.0.1:${port}: the port is in use (another gateway still running?). Set PORT to a free port, e.g. PORT=${port + 1} npm start\n`,
      );
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  }, 60_000);
});

/** A JSON POST over node:http with the Host header given (fetch cannot set Host). */
function postWithHost(url: string, host: string, query: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { host, 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });
}

describe('main: graceful shutdown', () => {
  it('on SIGTERM stops accepting, lets the request in flight finish, and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      cwd: ROOT,
      // Nothing of the developer's environment may point the process at a real cloud.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS: '', PORT: '0', LOG_LEVEL: 'warn', SHUTDOWN_TIMEOUT_MS: '8000' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await until(() => /CBR emulator\s+(\S+)/.test(output) && /GraphQL gateway\s+(\S+)/.test(output));
      const graphqlUrl = /GraphQL gateway\s+(\S+)/.exec(output)![1]!;
      const emulatorUrl = /CBR emulator\s+(\S+)/.exec(output)![1]!;
      const slow = await fetch(`${emulatorUrl}/__admin/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ latency: { minMs: 800 } }),
      });
      expect(slow.status).toBe(200);

      const inFlight = fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ vaults(first: 1) { totalCount } }' }),
      });
      await new Promise((resolve) => setTimeout(resolve, 400));
      child.kill('SIGTERM');
      await until(() => output.includes('SIGTERM: shutting down'));
      await expect(fetch(graphqlUrl, { method: 'POST' })).rejects.toThrow();

      const answer = await inFlight;
      expect(answer.status).toBe(200);
      const body = await answer.json();
      expect(body.errors).toBeUndefined();
      expect(body.data.vaults.totalCount).toBeGreaterThan(0);
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
