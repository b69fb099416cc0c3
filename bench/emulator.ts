/**
 * Throughput of the emulator on simple authenticated GETs, then on durable writes: `npm run bench:emulator --
 * [--connections N] [--duration S] [--path P] [--aksk] [--demo] [--in-process] [--no-writes]`.
 *
 * The write phase starts a second emulator with `--state` on a temporary file (every write answered only once it is
 * on disk) and sends `PUT /v3/{p}/vaults/{id}` renames of 32 vaults from every connection: a write that keeps the state
 * the same size, so the figure does not drift as the file grows.
 *
 * The emulator runs as its own process (the CLI), so it has one core to itself and the load generator does not
 * compete with it; `--in-process` runs both in this process instead. The target is the first of
 * `GET /v3/{p}/vaults`, `GET /v3/{p}/operation-logs/{unknown}`, `GET /v3` that the emulator serves with a handler
 * (the resource handlers may not exist yet). `--aksk` signs every request instead of sending a token, which measures
 * the signature check. Without `--demo` the emulator holds no demo data, so the figure is the platform's request path
 * (routing, auth, log, JSON) plus a handler on an empty project; `--demo` measures the handler on the demo dataset.
 * Prints req/s, status counts, latency percentiles and the emulator's CPU time. Not a test: nothing asserts a figure.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { DEMO_DOMAIN, DEMO_PROJECT, DEMO_USER } from '../src/emulator/demo-identity';
import { startEmulator } from '../src/emulator/server';
import { signRequest } from '../src/upstream/signing';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '32' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    path: { type: 'string' },
    aksk: { type: 'boolean', default: false },
    demo: { type: 'boolean', default: false },
    'in-process': { type: 'boolean', default: false },
    'no-writes': { type: 'boolean', default: false },
  },
});
const connections = Number(values.connections);
const durationMs = Number(values.duration) * 1000;
const warmupMs = Number(values.warmup) * 1000;

/** Starts the emulator and returns its URL and a stop function. */
async function startTarget(stateFile?: string): Promise<{ url: string; cpuSeconds: () => number | undefined; stop: () => Promise<void> }> {
  if (values['in-process']) {
    const running = await startEmulator({ port: 0, demo: values.demo, lifecycle: 'immediate', ...(stateFile ? { stateFile } : {}) });
    return { url: running.url, cpuSeconds: () => undefined, stop: () => running.close() };
  }
  const cli = fileURLToPath(new URL('../src/emulator/cli.ts', import.meta.url));
  const args = ['--import', 'tsx', cli, '--port', '0', '--lifecycle', 'immediate', ...(values.demo ? [] : ['--no-demo']), ...(stateFile ? ['--state', stateFile] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code} before listening`)));
  });
  return {
    url,
    cpuSeconds: () => processCpuSeconds(child.pid),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * CPU time (user + system) a process has used, from /proc (Linux only; undefined elsewhere). Requests per CPU-second
 * of the emulator is the figure that does not depend on what else the machine is doing.
 */
function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name; in clock ticks (100/s).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function token(pool: Pool): Promise<string> {
  const res = await pool.request({
    method: 'POST',
    path: '/v3/auth/tokens',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: DEMO_USER.name, password: DEMO_USER.password, domain: { name: DEMO_DOMAIN.name } } } },
        scope: { project: { id: DEMO_PROJECT.id } },
      },
    }),
  });
  await res.body.dump();
  if (res.statusCode !== 201) throw new Error(`token request answered ${res.statusCode}`);
  return String(res.headers['x-subject-token']);
}

/** The first candidate path a handler answers (not the gateway's "API does not exist" 404). */
async function pickPath(pool: Pool, headers: Record<string, string>): Promise<string> {
  const p = DEMO_PROJECT.id;
  const candidates = values.path ? [values.path] : [`/v3/${p}/vaults`, `/v3/${p}/operation-logs/00000000-0000-4000-a000-000000000000`, '/v3'];
  for (const path of candidates) {
    const res = await pool.request({ method: 'GET', path, headers });
    const text = await res.body.text();
    if (values.path || !text.includes('APIGW.0101')) return path;
  }
  return '/v3';
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

interface Target {
  url: string;
  cpuSeconds: () => number | undefined;
}

interface Load {
  method: 'GET' | 'PUT';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Runs `connections` workers sending `next()` for the warm-up and the measured duration; prints one block. */
async function measure(target: Target, pool: Pool, title: string, next: (worker: number, i: number) => Load): Promise<void> {
  let measuring = false;
  let stopped = false;
  const statuses = new Map<number, number>();
  const latencies: number[] = [];
  let errors = 0;

  async function worker(n: number): Promise<void> {
    for (let i = 0; !stopped; i++) {
      const started = performance.now();
      try {
        const res = await pool.request(next(n, i));
        await res.body.dump();
        if (measuring) {
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          latencies.push(performance.now() - started);
        }
      } catch {
        if (measuring) errors++;
      }
    }
  }

  const workers = Array.from({ length: connections }, (_, n) => worker(n));
  await new Promise((r) => setTimeout(r, warmupMs));
  measuring = true;
  const started = performance.now();
  const cpuBefore = target.cpuSeconds();
  await new Promise((r) => setTimeout(r, durationMs));
  measuring = false;
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = target.cpuSeconds();
  const cpu = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
  stopped = true;
  await Promise.all(workers);

  const sorted = Float64Array.from(latencies).sort();
  const total = latencies.length;
  console.log(
    [
      `emulator bench: ${title}, ${connections} connections, ${elapsed.toFixed(1)} s, ${values.demo ? 'demo data' : 'no demo data'}, ` +
        `emulator ${values['in-process'] ? 'in this process' : 'in its own process'}`,
      `  requests   ${total}  (${errors} errors)`,
      `  req/s      ${Math.round(total / elapsed)}`,
      `  statuses   ${[...statuses].map(([s, n]) => `${s}: ${n}`).join(', ')}`,
      `  latency    p50 ${percentile(sorted, 0.5).toFixed(2)} ms, p99 ${percentile(sorted, 0.99).toFixed(2)} ms`,
      ...(cpu ? [`  emulator   ${cpu.toFixed(2)} CPU-s, ${Math.round(total / cpu)} req per CPU-second (one core fully busy)`] : []),
    ].join('\n'),
  );
}

/** GETs/s on the first path a handler answers. */
async function benchGets(): Promise<void> {
  const target = await startTarget();
  const pool = new Pool(target.url, { connections, pipelining: 1 });
  try {
    const auth = await token(pool);
    const headersFor = (path: string): Record<string, string> =>
      values.aksk
        ? { ...signRequest({ method: 'GET', url: target.url + path, accessKey: DEMO_USER.accessKey, secretKey: DEMO_USER.secretKey }) }
        : { 'x-auth-token': auth };
    const path = await pickPath(pool, headersFor(values.path ?? '/v3'));
    const title = `GET ${path.replace(DEMO_PROJECT.id, '{project_id}')} (${values.aksk ? 'AK/SK signed' : 'token'})`;
    await measure(target, pool, title, () => ({ method: 'GET', path, headers: headersFor(path) }));
  } finally {
    await pool.close();
    await target.stop();
  }
}

/** Durable writes/s: vault renames on an emulator with a state file (each answered once on disk). */
async function benchWrites(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cbr-emulator-bench-'));
  const target = await startTarget(join(dir, 'state.json'));
  const pool = new Pool(target.url, { connections, pipelining: 1 });
  try {
    const auth = await token(pool);
    const headers = { 'x-auth-token': auth, 'content-type': 'application/json' };
    const vaults = `/v3/${DEMO_PROJECT.id}/vaults`;
    const ids: string[] = [];
    for (let i = 0; i < 32; i++) {
      const body = JSON.stringify({
        vault: { name: `bench-${i}`, billing: { consistent_level: 'crash_consistent', object_type: 'disk', protect_type: 'backup', size: 10 }, resources: [] },
      });
      const res = await pool.request({ method: 'POST', path: vaults, headers, body });
      const created = (await res.body.json()) as { vault?: { id: string } };
      if (res.statusCode !== 200 || !created.vault) throw new Error(`vault creation answered ${res.statusCode}`);
      ids.push(created.vault.id);
    }
    await measure(target, pool, 'PUT {project_id}/vaults/{id} (rename, --state: answered once on disk)', (n, i) => ({
      method: 'PUT',
      path: `${vaults}/${ids[n % ids.length]}`,
      headers,
      body: JSON.stringify({ vault: { name: `bench-${n}-${i}` } }),
    }));
  } finally {
    await pool.close();
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await benchGets();
  if (!values['no-writes']) await benchWrites();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
