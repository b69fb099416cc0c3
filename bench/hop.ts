/**
 * The least any HTTP gateway in front of CBR adds: one more HTTP hop whose server sends the operation's upstream
 * calls (the recorded waves) and JSON.parses every answer, then sends them on: its answer is the parsed answers
 * serialised again. No GraphQL, no validation, no result to shape. Its Δp50 and CPU over the REST baseline are the
 * share of the gateway's that no server design could avoid on this machine; the floor (floor.ts) is what yoga adds to
 * any request; the rest is the gateway's own work (validating answers, loaders, execution, shaping the result).
 * It takes as many requests per operation as the gateway does (create+delete: two, the second sending what the first
 * created), each serving the waves the gateway served for that request.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';

/** Sends wave `i` of the recording (replay.ts `createWaveSender` with `parseEvery`), resolving with its parsed answers. */
export type WaveSender = (wave: number, ids: Map<string, string>) => Promise<unknown[]>;

export interface ParsingHop {
  /** Runs the operation once through the hop (one request per group of waves); rejects unless each answered 200. */
  call(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves `sendWave` on 127.0.0.1 and calls it through `pool`, the load generator's pool. `requests` lists the waves
 * of each request the operation takes, in order (e.g. `[[0, 1]]`: one request, two waves; `[[0], [1]]`: two requests).
 */
export async function startParsingHop(sendWave: WaveSender, requests: readonly (readonly number[])[], pool: Dispatcher): Promise<ParsingHop> {
  // The ids an operation's earlier requests created, by operation: what a client would send back in its next request.
  const runs = new Map<string, Map<string, string>>();
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://hop');
      const ids = runs.get(url.searchParams.get('run') ?? '');
      const waves = requests[Number(url.searchParams.get('request'))];
      const answer = async () => {
        if (!ids || !waves) throw new Error(`unknown run or request: ${req.url}`);
        const answers: unknown[] = [];
        for (const wave of waves) answers.push(...(await sendWave(wave, ids)));
        return JSON.stringify(answers);
      };
      answer().then(
        (body) => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
          res.end(body);
        },
        (error: unknown) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let lastRun = 0;
  return {
    async call() {
      const run = String(++lastRun);
      runs.set(run, new Map());
      try {
        for (let request = 0; request < requests.length; request++) {
          const res = await pool.request({ origin, path: `/?run=${run}&request=${request}`, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
          const text = await res.body.text();
          if (res.statusCode !== 200) throw new Error(`parsing hop answered ${res.statusCode}: ${text.slice(0, 300)}`);
        }
      } finally {
        runs.delete(run);
      }
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
