/**
 * Durable state (`--state FILE`): an emulator process killed with SIGKILL during a burst of writes, restarted on the
 * same file, still has every write it had answered 2xx.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_DOMAIN, DEMO_PROJECT, DEMO_USER } from '../../src/emulator/demo-identity';
import { vaultCreate } from '../helpers/cbr';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src/emulator/cli.ts');

/** Starts the CLI emulator on an ephemeral port and resolves with its child process and URL. */
async function startCli(stateFile: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--no-demo', '--lifecycle', 'immediate', '--state', stateFile], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}) before listening: ${err}`)));
  });
  return { child, url };
}

async function token(url: string): Promise<string> {
  const res = await fetch(`${url}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: DEMO_USER.name, password: DEMO_USER.password, domain: { name: DEMO_DOMAIN.name } } } },
        scope: { project: { id: DEMO_PROJECT.id } },
      },
    }),
  });
  expect(res.status).toBe(201);
  return res.headers.get('x-subject-token')!;
}

describe('durable state', () => {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every write answered 2xx when the process is killed with SIGKILL during a burst of writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbr-emulator-durable-'));
    dirs.push(dir);
    const stateFile = join(dir, 'state.json');
    const first = await startCli(stateFile);
    children.push(first.child);
    const auth = await token(first.url);

    // 16 clients create vaults as fast as they are answered; the process is killed once 150 have been answered.
    const acknowledged: string[] = [];
    let killed = false;
    const exited = new Promise<void>((resolve) => first.child.once('exit', () => resolve()));
    const client = async (n: number) => {
      for (let i = 0; !killed; i++) {
        try {
          const res = await fetch(`${first.url}/v3/${DEMO_PROJECT.id}/vaults`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-auth-token': auth },
            body: JSON.stringify({ vault: vaultCreate('disk', { name: `c${n}-${i}` }) }),
          });
          const body = await res.json();
          if (res.status === 200) acknowledged.push(body.vault.id);
        } catch {
          return; // the connection died with the process: that write was never answered
        }
        if (acknowledged.length >= 150 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, n) => client(n)));
    await exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);

    const second = await startCli(stateFile);
    children.push(second.child);
    // The token was a write too (POST /v3/auth/tokens): it survived as well.
    const res = await fetch(`${second.url}/v3/${DEMO_PROJECT.id}/vaults?limit=1000`, { headers: { 'x-auth-token': auth } });
    expect(res.status).toBe(200);
    const stored = new Set(((await res.json()).vaults as Array<{ id: string }>).map((v) => v.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  });
});
