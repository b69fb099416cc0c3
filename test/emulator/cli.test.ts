import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PORT, parseCliArgs } from '../../src/emulator/cli';
import { DEMO_PROJECT } from '../../src/emulator/demo-identity';
import { signRequest } from '../../src/upstream/signing';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src/emulator/cli.ts');

interface Cli {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function spawnCli(args: string[]): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitForBanner(cli: Cli): Promise<string> {
  for (let i = 0; i < 300; i++) {
    if (/project 2 .*\n/.test(cli.stdout())) return cli.stdout();
    if (cli.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no banner; stdout: ${cli.stdout()} stderr: ${cli.stderr()}`);
}

/** `  label   value` → value. */
function field(banner: string, label: string): string {
  const m = new RegExp(`^  ${label}\\s{2,}(.+)$`, 'm').exec(banner);
  if (!m) throw new Error(`no ${label} in banner`);
  return m[1]!.trim();
}

describe('emulator CLI', () => {
  const children: Cli[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const cli of children.splice(0)) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('serves on the printed URL, with the printed credentials, and stops cleanly on SIGTERM, flushing its state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbr-emulator-cli-'));
    dirs.push(dir);
    const stateFile = join(dir, 'state.json');
    const cli = spawnCli(['--port', '0', '--no-demo', '--lifecycle', 'immediate', '--state', stateFile]);
    children.push(cli);
    const banner = await waitForBanner(cli);

    const url = /^CBR emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(banner)?.[1];
    expect(url).toBeDefined();
    expect(field(banner, 'lifecycle')).toBe('immediate');
    expect(field(banner, 'demo data')).toBe('off');
    expect(field(banner, 'state')).toBe(stateFile);
    expect(field(banner, 'project 1')).toBe(`eu-de ${DEMO_PROJECT.id}`);

    const versions = await fetch(`${url}/`);
    expect(versions.status).toBe(300);

    const domain = field(banner, 'domain').split(' ')[0];
    const user = field(banner, 'user').split(' ')[0];
    const tokenRes = await fetch(`${url}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: user, password: field(banner, 'password'), domain: { name: domain } } } },
          scope: { project: { name: 'eu-de' } },
        },
      }),
    });
    expect(tokenRes.status).toBe(201);
    const token = tokenRes.headers.get('x-subject-token')!;

    const projectsUrl = `${url}/v3/projects?name=eu-de`;
    const signed = signRequest({ method: 'GET', url: projectsUrl, accessKey: field(banner, 'access key'), secretKey: field(banner, 'secret key') });
    const projects = await fetch(projectsUrl, { headers: { ...signed } });
    expect(projects.status).toBe(200);
    expect((await projects.json()).projects.map((p: { id: string }) => p.id)).toEqual([DEMO_PROJECT.id]);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toContain('CBR emulator stopped (SIGTERM)');
    expect(existsSync(stateFile)).toBe(true);
    expect(readFileSync(stateFile, 'utf8')).toContain(token);
  });

  it('exits with 2 and the usage on a bad option', async () => {
    const cli = spawnCli(['--port', '0', '--lifecycle', 'sometimes']);
    children.push(cli);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toContain('--lifecycle must be one of timed, immediate, manual, got sometimes');
    expect(cli.stderr()).toContain('Usage: npm run emulator -- [options]');
  });

  describe('parseCliArgs', () => {
    it('has defaults', () => {
      expect(parseCliArgs([])).toEqual({ port: DEFAULT_PORT, host: '127.0.0.1', lifecycle: 'timed', demo: true, help: false });
    });

    it('reads every option', () => {
      expect(parseCliArgs(['--port', '0', '--host', '0.0.0.0', '--state', 's.json', '--lifecycle', 'manual', '--no-demo', '--seed', 'x', '--restore-answer', 'documented'])).toEqual({
        port: 0,
        host: '0.0.0.0',
        lifecycle: 'manual',
        demo: false,
        stateFile: 's.json',
        seed: 'x',
        restoreAnswer: 'documented',
        help: false,
      });
    });

    it('refuses a bad port and unknown options', () => {
      expect(() => parseCliArgs(['--port', '70000'])).toThrow('--port must be a port number 0-65535, got 70000');
      expect(() => parseCliArgs(['--verbose'])).toThrow(/Unknown option '--verbose'/);
      expect(() => parseCliArgs(['--restore-answer', 'empty'])).toThrow('--restore-answer must be one of job_id, documented, got empty');
    });
  });
});
