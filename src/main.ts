/**
 * The process entry (`npm start`): reads the configuration, starts the embedded CBR emulator when no CBR_ENDPOINT is
 * configured, serves the gateway over node:http, prints where, and shuts down cleanly on SIGINT/SIGTERM.
 * The only module that imports both the gateway and the emulator. Importing it does nothing: `start` runs only when
 * this file is the process's entry script (tests call `start` themselves).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, type Config } from './config';
import { DEMO_DOMAIN, DEMO_PROJECT, DEMO_PROJECT_2, DEMO_USER } from './emulator/demo-identity';
import { startEmulator, type RunningEmulator } from './emulator/server';
import type { CredentialsConfig } from './upstream/credentials';
import { nodeListener } from './gateway/node-listener';
import { createGateway } from './gateway/yoga';
import { isEntryScript } from './entry-script';
import { startFailure } from './start-failure';

/** IAM tokens reach 32 KB (X-Auth-Token); Node's default 16 KiB header limit would refuse them with 431. */
const MAX_HEADER_BYTES = 64 * 1024;

export interface Running {
  /** `http://host:port/graphql` */
  graphqlUrl: string;
  /** What the process was started with. */
  config: Config;
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

  // The configuration names the gateway's options as GatewayConfig does; only what the emulator changes is set here.
  const gateway = createGateway({
    ...config,
    cbrEndpoint,
    vbsEndpoint: config.vbsEndpoint ?? cbrEndpoint,
    credentials: config.credentials ?? (emulator ? demoCredentials(emulator.url) : undefined),
    defaultProjectId: config.defaultProjectId ?? (emulator ? DEMO_PROJECT.id : undefined),
    // The embedded emulator runs in this process: never through a proxy.
    proxy: emulator ? undefined : config.proxy,
    graphiqlShareProjectId: emulator ? DEMO_PROJECT_2.id : undefined,
    logging: config.logLevel === 'silent' ? false : config.logLevel,
    ...config.operations,
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
    config,
    emulatorUrl: emulator?.url,
    close() {
      closing ??= (async () => {
        // Subscriptions complete now: their open streams end, so their connections can drain too.
        gateway.watches.close();
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        // A keep-alive connection whose last request has just been answered would hold the drain until the deadline:
        // close connections as they fall idle.
        const sweeper = setInterval(() => server.closeIdleConnections(), 50);
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
        await drained;
        clearInterval(sweeper);
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

/** What is printed once listening: where, against what, as whom; never a secret of a real account. */
export function banner(running: Running): string {
  const { config } = running;
  const lines = [`GraphQL gateway   ${running.graphqlUrl}`];
  lines.push(config.graphiql ? `GraphiQL          ${running.graphqlUrl}  (open it in a browser)` : 'GraphiQL          off  (GRAPHIQL=true turns it on)');
  if (running.emulatorUrl) {
    lines.push(
      `CBR emulator      ${running.emulatorUrl}  (embedded, demo data; set CBR_ENDPOINT, OS_REGION_NAME or OS_CLOUD to use a real CBR)`,
      `  demo account    domain ${DEMO_DOMAIN.name}, user ${DEMO_USER.name} / ${DEMO_USER.password}, project ${DEMO_PROJECT.name} (${DEMO_PROJECT.id})`,
    );
  } else {
    const from = [config.region && `region ${config.region}`, config.cloud && `cloud "${config.cloud.name}" of ${config.cloud.file}`].filter(Boolean);
    lines.push(`CBR               ${config.cbrEndpoint}${from.length ? `  (${from.join(', ')})` : ''}`);
    if (config.vbsEndpoint !== config.cbrEndpoint) lines.push(`VBS               ${config.vbsEndpoint}`);
    lines.push(`credentials       ${describeCredentials(config)}`);
    if (config.proxy) lines.push(`proxy             ${withoutUserInfo(config.proxy.httpsProxy ?? config.proxy.httpProxy)}${config.proxy.noProxy ? ` (not for ${config.proxy.noProxy})` : ''}`);
  }
  if (config.trustedDocuments) lines.push(`trusted documents ${config.trustedDocuments.size} operations; no other document runs, GraphiQL and introspection are off`);
  return lines.join('\n');
}

function describeCredentials(config: Config): string {
  const credentials = config.credentials;
  switch (credentials?.kind) {
    case undefined:
      return `none: callers send X-Auth-Token${config.defaultProjectId ? ` (project ${config.defaultProjectId} unless X-Project-Id names another)` : ' and X-Project-Id'}`;
    case 'password':
      return `IAM password flow at ${credentials.authUrl} as ${credentials.username} (domain ${credentials.userDomainName}), project ${credentials.projectId ?? credentials.projectName}`;
    case 'token':
      return `the token of OS_AUTH_TOKEN, project ${credentials.projectId}`;
    case 'aksk':
      // An access key id is no secret, but a prefix is enough to tell keys apart.
      return `AK/SK signing with access key ${credentials.accessKey.slice(0, 4)}…, project ${credentials.projectId}`;
  }
}

/** A proxy URL may carry a password (`http://user:pass@proxy:3128`). */
function withoutUserInfo(url: string | undefined): string {
  if (url === undefined) return '';
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.origin;
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
  let running: Running;
  try {
    running = await start(config);
  } catch (error) {
    const message = startFailure(error, config);
    if (message === undefined) throw error;
    console.error(message);
    process.exit(1);
  }
  console.log(banner(running));

  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) {
      // A second signal means "now": skip the drain.
      process.exit(1);
    }
    signalled = true;
    console.log(`${signal}: shutting down (waiting up to ${config.shutdownTimeoutMs / 1000} s for requests in flight)`);
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
