/**
 * The connection pool for upstream calls, created once per gateway: undici's Agent, or its EnvHttpProxyAgent when a
 * proxy is configured (HTTPS_PROXY / HTTP_PROXY / NO_PROXY, read by config.ts and handed over explicitly, so that the
 * process environment is never read twice with different answers).
 */
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';

export interface UpstreamProxy {
  /** Proxy for https upstreams; default `httpProxy`. */
  httpsProxy?: string;
  /** Proxy for http upstreams. */
  httpProxy?: string;
  /** Hosts reached directly: comma-separated names, `.suffix`es, `host:port`s, or `*`. */
  noProxy?: string;
}

const POOL = { keepAliveTimeout: 30_000, connections: 64 } as const;

export function createUpstreamDispatcher(proxy: UpstreamProxy | undefined): Dispatcher {
  if (!proxy) return new Agent(POOL);
  // '' rather than undefined: undici would fall back to the process environment for an undefined one.
  return new EnvHttpProxyAgent({ ...POOL, httpProxy: proxy.httpProxy ?? '', httpsProxy: proxy.httpsProxy ?? '', noProxy: proxy.noProxy ?? '' });
}
