/**
 * Runs the emulator on its own: `npm run emulator -- --port N [--host H] [--state FILE]
 * [--lifecycle timed|immediate|manual] [--no-demo] [--seed S]`. Prints the base URL and the demo credentials once it
 * listens, and shuts down cleanly (state file flushed) on SIGINT/SIGTERM.
 * Importing this module does nothing; it runs only as the process's entry script.
 */
import { parseArgs } from 'node:util';
import type { EmulatorOptions, LifecycleMode, RestoreAnswer } from './context';
import { DEMO_CREDENTIALS } from './demo-identity';
import type { LogLevel } from './log';
import { startEmulator, type RunningEmulator } from './server';
import { isEntryScript } from '../entry-script';

/** Default port: next to the gateway's default 4000. */
export const DEFAULT_PORT = 4010;

const LIFECYCLES: readonly LifecycleMode[] = ['timed', 'immediate', 'manual'];
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
const RESTORE_ANSWERS: readonly RestoreAnswer[] = ['job_id', 'documented'];

export const USAGE = `Usage: npm run emulator -- [options]
  --port N            TCP port (0 = any free port). Default ${DEFAULT_PORT}.
  --host H            Interface to bind. Default 127.0.0.1.
  --state FILE        Keep state in FILE across restarts (JSON, written atomically).
  --lifecycle MODE    timed (default, steps take ~1 s) | immediate | manual (clock moves only via /__admin/clock).
  --no-demo           Start without the demo dataset (the demo account and projects always exist).
  --seed S            Seed of the deterministic id generator.
  --log-level L       debug | info (default) | warn | error | silent (client disconnects are logged at debug).
  --restore-answer A  job_id (default: 202 {"job_id"}, as Huawei Cloud) | documented (202, no body, as the API Reference).
  --help              Show this text.`;

export class CliError extends Error {
  override name = 'CliError';
}

/** Parses the command line into emulator options; throws `CliError` with a readable message. */
export function parseCliArgs(argv: readonly string[]): EmulatorOptions & { help: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        state: { type: 'string' },
        lifecycle: { type: 'string' },
        // node:util parseArgs gains `allowNegative` only in Node 22; spell the negation out.
        'no-demo': { type: 'boolean' },
        seed: { type: 'string' },
        'log-level': { type: 'string' },
        'restore-answer': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a port number 0-65535, got ${values.port}`);
  const lifecycle = (values.lifecycle ?? 'timed') as LifecycleMode;
  if (!LIFECYCLES.includes(lifecycle)) throw new CliError(`--lifecycle must be one of ${LIFECYCLES.join(', ')}, got ${values.lifecycle}`);
  const logLevel = values['log-level'] as LogLevel | undefined;
  if (logLevel !== undefined && !LOG_LEVELS.includes(logLevel)) throw new CliError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${logLevel}`);
  const restoreAnswer = values['restore-answer'] as RestoreAnswer | undefined;
  if (restoreAnswer !== undefined && !RESTORE_ANSWERS.includes(restoreAnswer)) {
    throw new CliError(`--restore-answer must be one of ${RESTORE_ANSWERS.join(', ')}, got ${restoreAnswer}`);
  }
  return {
    port,
    host: values.host ?? '127.0.0.1',
    lifecycle,
    demo: !values['no-demo'],
    ...(values.state !== undefined ? { stateFile: values.state } : {}),
    ...(values.seed !== undefined ? { seed: values.seed } : {}),
    ...(logLevel !== undefined ? { logLevel } : {}),
    ...(restoreAnswer !== undefined ? { restoreAnswer } : {}),
    help: values.help ?? false,
  };
}

/** What the CLI prints once listening: where to point clients, and with which credentials. */
export function banner(running: RunningEmulator): string {
  const { url, emulator } = running;
  const { options } = emulator;
  const { domain, user, projects, region } = DEMO_CREDENTIALS;
  return [
    `CBR emulator listening on ${url}`,
    `  IAM endpoint    ${url}/v3  (POST /v3/auth/tokens)`,
    `  CBR endpoint    ${url}/v3/{project_id}`,
    `  VBS endpoint    ${url}/v2/{project_id}`,
    `  admin           ${url}/__admin/{faults,requests,reset,clock,state}`,
    `  lifecycle       ${options.lifecycle}`,
    `  demo data       ${options.demo === false ? 'off' : 'on'}`,
    `  state           ${options.stateFile ?? 'in memory only'}`,
    'Demo credentials:',
    `  region          ${region}`,
    `  domain          ${domain.name} (${domain.id})`,
    `  user            ${user.name} (${user.id})`,
    `  password        ${user.password}`,
    `  access key      ${user.accessKey}`,
    `  secret key      ${user.secretKey}`,
    ...projects.map((p, i) => `  project ${i + 1}       ${p.name} ${p.id}`),
  ].join('\n');
}

/** Starts the emulator from `argv` and stops it on SIGINT/SIGTERM; resolves with the running emulator. */
export async function runCli(argv: readonly string[] = process.argv.slice(2)): Promise<RunningEmulator | undefined> {
  const { help, ...options } = parseCliArgs(argv);
  if (help) {
    console.log(USAGE);
    return undefined;
  }
  const running = await startEmulator(options);
  console.log(banner(running));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.close().then(
      () => {
        console.log(`CBR emulator stopped (${signal})`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error('CBR emulator: error while stopping', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return running;
}


if (isEntryScript(import.meta.url)) {
  runCli().catch((error: unknown) => {
    console.error(error instanceof CliError ? `${error.message}\n\n${USAGE}` : `CBR emulator failed to start: ${(error as Error).message}`);
    process.exit(2);
  });
}
