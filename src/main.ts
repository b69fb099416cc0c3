/**
 * The process entry (`npm start`): reads the configuration, starts the embedded CBR emulator when no CBR_ENDPOINT is
 * configured, serves the gateway over node:http, prints where, and shuts down cleanly on SIGINT/SIGTERM.
 * The only module that imports both the gateway and the emulator. Importing it does nothing: `start` runs only when
 * this file is the process's entry script (tests call `start` themselves).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, type Config } from './config';
import { DEMO_DOMAIN, DEMO_PROJECT, DEMO_USER } from './emulator/demo-identity';
import { startEmulator, type RunningEmulator } from './emulator/server';
import type { CredentialsConfig } from './upstream/credentials';
import { nodeListener } from './gateway/node-listener';
import { createGateway } from './gateway/yoga';
import { isEntryScript } from './entry-script';

/** IAM tokens reach 32 KB (X-Auth-Token); Node's default 16 KiB header limit would refuse them with 431. */
const MAX_HEADER_BYTES = 64 * 1024;
/** How long in-flight requests may finish after a shutdown signal before their connections are cut. */
const DRAIN_MS = 10_000;

export interface Running {
  /** `http://host:port/graphql` */
  graphqlUrl: string;
  /** The embedded emulator's URL, when it runs. */
  emulatorUrl: string | undefined;
  close(): Promise<void>;
}

/** The demo account of the embedded emulator, through the same password flow a real deployment uses. */
function demoCredentials(emulatorUrl: string): CredentialsConfig {
  return {
    kind: 'password',
    authUrl: `${emulatorUrl}/v3`,
    username: DEMO_USER.name,
    password: DEMO_USER.password,
    userDomainName: DEMO_DOMAIN.name,
    projectId: DEMO_PROJECT.id,
  };
}

/** Starts everything `config` asks for and resolves once the gateway listens. */
export async function start(config: Config): Promise<Running> {
  let emulator: RunningEmulator | undefined;
  if (config.cbrEndpoint === undefined) emulator = await startEmulator({ port: 0, demo: true, logLevel: config.logLevel });
  const cbrEndpoint = config.cbrEndpoint ?? emulator!.url;

  const gateway = createGateway({
    cbrEndpoint,
    vbsEndpoint: config.vbsEndpoint ?? cbrEndpoint,
    credentials: config.credentials ?? (emulator ? demoCredentials(emulator.url) : undefined),
    defaultProjectId: config.defaultProjectId ?? (emulator ? DEMO_PROJECT.id : undefined),
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    maxUpstreamCallsPerRequest: config.maxUpstreamCallsPerRequest,
    graphiql: config.graphiql,
    corsOrigins: config.corsOrigins,
    allowedHosts: config.allowedHosts,
    logging: config.logLevel === 'silent' ? false : config.logLevel,
  });
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, nodeListener(gateway));
  try {
    await listen(server, config.port, config.host);
  } catch (error) {
    await gateway.close();
    await emulator?.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  let closing: Promise<void> | undefined;
  return {
    graphqlUrl: `http://${host}:${port}/graphql`,
    emulatorUrl: emulator?.url,
    close() {
      closing ??= (async () => {
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
        await drained;
        clearTimeout(timer);
        await gateway.close();
        await emulator?.close();
      })();
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** What is printed once listening. */
export function banner(running: Running): string {
  const lines = [`GraphQL gateway   ${running.graphqlUrl}`];
  if (running.emulatorUrl) {
    lines.push(
      `CBR emulator      ${running.emulatorUrl}  (embedded, demo data; set CBR_ENDPOINT to use a real CBR)`,
      `  demo account    domain ${DEMO_DOMAIN.name}, user ${DEMO_USER.name} / ${DEMO_USER.password}, project ${DEMO_PROJECT.name} (${DEMO_PROJECT.id})`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const running = await start(config);
  console.log(banner(running));

  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) {
      // A second signal means "now": skip the drain.
      process.exit(1);
    }
    signalled = true;
    console.log(`${signal}: shutting down (waiting up to ${DRAIN_MS / 1000} s for requests in flight)`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}


if (isEntryScript(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
