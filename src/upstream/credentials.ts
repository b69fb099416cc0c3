/**
 * Who the gateway is to CBR/VBS: the three credential modes (caller token passthrough, IAM password flow with a
 * cached token, AK/SK signing), each turning a request into its auth headers and naming the project it acts in.
 */
import type { Dispatcher } from 'undici';
import { UpstreamContractError, UpstreamRequestError } from './errors';
import { createHttp } from './http';
import { passwordTokenRequest, TokenResponse } from './iam';
import { signRequest } from './signing';

/** The request as it will be sent, for modes that sign it. */
export interface AuthorizeRequest {
  method: string;
  url: URL;
  /** Headers already set by the HTTP layer (`accept`, `content-type`), lower-case names. */
  headers: Readonly<Record<string, string>>;
  /** Exact body bytes that will be sent, or undefined. */
  body: string | undefined;
}

export interface Credentials {
  readonly kind: 'token' | 'password' | 'aksk';
  /** The project the credential acts in (`/v3/{project_id}/…`). The password flow may need IAM to learn it. */
  projectId(): Promise<string>;
  /** Auth headers for this exact request. */
  authorize(request: AuthorizeRequest): Promise<Record<string, string>>;
  /**
   * Called when the upstream answered 401 to a request sent with `used` (what `authorize` returned).
   * Resolves true when fresh credentials are ready and one retry makes sense. Absent: a 401 is final.
   */
  onUnauthorized?(used: Readonly<Record<string, string>>): Promise<boolean>;
}

export interface TokenConfig {
  kind: 'token';
  /** The caller's IAM token, forwarded as `X-Auth-Token`. */
  token: string;
  /** Sent as `X-Project-Id` when given, and the project of `/v3/{project_id}` paths. */
  projectId?: string;
}

export interface PasswordConfig {
  kind: 'password';
  /** IAM endpoint including `/v3`, e.g. `https://iam.eu-de.otc.t-systems.com/v3`. */
  authUrl: string;
  username: string;
  password: string;
  userDomainName: string;
  /** Scope of the token: by id when given, else by name (OTC project names are region names like `eu-de`). */
  projectId?: string;
  projectName?: string;
  /** Domain of `projectName`, for IAMs that need it to find a project by name. */
  projectDomainName?: string;
}

export interface AkskConfig {
  kind: 'aksk';
  accessKey: string;
  secretKey: string;
  /** Required: signed as `X-Project-Id` and used in paths (no IAM project lookup is made). */
  projectId: string;
}

export type CredentialsConfig = TokenConfig | PasswordConfig | AkskConfig;

export interface CredentialsOptions {
  /** Agent for IAM calls (password flow). Default: undici's global dispatcher. */
  dispatcher?: Dispatcher;
  /** Per-attempt timeout of the IAM token request. Default 10 000 ms. */
  timeoutMs?: number;
  /**
   * How long before `expires_at` a cached token is replaced. Default 10 min. IAM: "Using a token that will soon
   * expire may cause API calling failures"; a new token does not invalidate the old one, so refreshing early is free.
   */
  refreshMarginMs?: number;
  /** Clock for token expiry; injectable for tests. Default `Date.now`. */
  now?: () => number;
}

/** Bound from the Huawei API references (X-Auth-Token up to 32 768 characters for most services). */
const MAX_TOKEN_LENGTH = 32_768;
/** Visible ASCII only: no spaces, no CR/LF (header injection), nothing a token never contains. */
const TOKEN_CHARS = /^[\x21-\x7e]+$/;
const PROJECT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Throws `UpstreamRequestError('invalid-token')` unless `token` can safely be sent as `X-Auth-Token`. */
export function validateToken(token: unknown): asserts token is string {
  if (typeof token !== 'string' || token.length === 0) {
    throw new UpstreamRequestError('invalid-token', 'The IAM token is missing');
  }
  if (token.length > MAX_TOKEN_LENGTH) {
    throw new UpstreamRequestError('invalid-token', `The IAM token is longer than ${MAX_TOKEN_LENGTH} characters`);
  }
  if (!TOKEN_CHARS.test(token)) {
    throw new UpstreamRequestError('invalid-token', 'The IAM token contains characters a token never has (whitespace, CR/LF or non-ASCII)');
  }
}

/** `projectId` when it is safe as a `/v3/{project_id}` path segment and header; else throws ('invalid-path-segment'). */
export function validateProjectId(projectId: string): string {
  if (!PROJECT_ID.test(projectId)) {
    throw new UpstreamRequestError('invalid-path-segment', 'A project id must be 1-64 letters, digits, "_" or "-"');
  }
  return projectId;
}

/** Builds the credential of `config.kind`. Token and AK/SK are pure; the password flow keeps a token cache. */
export function createCredentials(config: CredentialsConfig, options: CredentialsOptions = {}): Credentials {
  switch (config.kind) {
    case 'token':
      return tokenCredentials(config);
    case 'password':
      return passwordCredentials(config, options);
    case 'aksk':
      return akskCredentials(config);
  }
}

/** Caller token passthrough: validated once here, then sent as is. Created per GraphQL request. */
export function tokenCredentials(config: Omit<TokenConfig, 'kind'>): Credentials {
  validateToken(config.token);
  const projectId = config.projectId === undefined ? undefined : validateProjectId(config.projectId);
  const headers: Record<string, string> = { 'x-auth-token': config.token };
  if (projectId !== undefined) headers['x-project-id'] = projectId;
  return {
    kind: 'token',
    async projectId() {
      if (projectId === undefined) {
        throw new UpstreamRequestError('missing-project-id', 'Token credentials without projectId cannot address /v3/{project_id} paths');
      }
      return projectId;
    },
    async authorize() {
      return headers;
    },
  };
}

interface CachedToken {
  token: string;
  projectId: string | undefined;
  /** Epoch ms after which the token is replaced before use. */
  refreshAt: number;
}

/**
 * IAM password flow. One token is cached per credentials object (create it once at startup, not per request);
 * concurrent callers share one in-flight IAM request; a 401 from CBR drops the token that got it and fetches a new one.
 */
export function passwordCredentials(config: Omit<PasswordConfig, 'kind'>, options: CredentialsOptions = {}): Credentials {
  if (!config.username || !config.password || !config.userDomainName) {
    throw new UpstreamRequestError('invalid-token', 'Password credentials need username, password and userDomainName');
  }
  if ((config.projectId === undefined) === (config.projectName === undefined)) {
    throw new UpstreamRequestError('missing-project-id', 'Password credentials need exactly one of projectId or projectName');
  }
  const configuredProjectId = config.projectId === undefined ? undefined : validateProjectId(config.projectId);
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? 10 * 60_000;
  // IAM's token request is a POST and is not retried: a failure reaches the caller at once, the next call tries again.
  const iam = createHttp({ baseUrl: config.authUrl, dispatcher: options.dispatcher, timeoutMs: options.timeoutMs, retries: 0 });
  const body = passwordTokenRequest(config);

  let current: CachedToken | undefined;
  let inflight: Promise<CachedToken> | undefined;

  async function fetchToken(): Promise<CachedToken> {
    const res = await iam.send({ method: 'POST', path: '/auth/tokens', body, schema: TokenResponse });
    const header = res.headers['x-subject-token'];
    const token = Array.isArray(header) ? header[0] : header;
    if (token === undefined) {
      throw new UpstreamContractError('POST', '/auth/tokens', res.status, 'X-Subject-Token header is missing', res.requestId);
    }
    try {
      validateToken(token);
    } catch {
      throw new UpstreamContractError('POST', '/auth/tokens', res.status, 'X-Subject-Token header is not a valid token', res.requestId);
    }
    const fetchedAt = now();
    const expiresAt = Date.parse(res.body.token.expires_at);
    // A token shorter-lived than twice the margin is used for half its remaining life instead of never.
    const refreshAt = expiresAt - Math.min(margin, Math.max(0, (expiresAt - fetchedAt) / 2));
    current = { token, projectId: res.body.token.project?.id, refreshAt };
    return current;
  }

  function token(): Promise<CachedToken> {
    if (current && now() < current.refreshAt) return Promise.resolve(current);
    inflight ??= fetchToken().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  return {
    kind: 'password',
    async projectId() {
      if (configuredProjectId !== undefined) return configuredProjectId;
      const { projectId } = await token();
      if (projectId === undefined) {
        throw new UpstreamContractError('POST', '/auth/tokens', 201, 'token.project.id is missing from a project-scoped token', undefined);
      }
      return validateProjectId(projectId);
    },
    async authorize() {
      return { 'x-auth-token': (await token()).token };
    },
    async onUnauthorized(used) {
      // Only the token that was refused is dropped: when several requests get 401 at once, one refresh serves them all.
      if (current && current.token === used['x-auth-token']) current = undefined;
      await token();
      return true;
    },
  };
}

/** AK/SK: every request signed with SDK-HMAC-SHA256 variant A over all headers sent, `X-Project-Id` included. */
export function akskCredentials(config: Omit<AkskConfig, 'kind'>): Credentials {
  if (!config.accessKey || !config.secretKey) {
    throw new UpstreamRequestError('invalid-token', 'AK/SK credentials need accessKey and secretKey');
  }
  if (!TOKEN_CHARS.test(config.accessKey)) {
    throw new UpstreamRequestError('invalid-token', 'The access key contains characters an access key never has');
  }
  const projectId = validateProjectId(config.projectId);
  return {
    kind: 'aksk',
    async projectId() {
      return projectId;
    },
    async authorize(request) {
      const headers = { ...request.headers, 'x-project-id': projectId };
      const signed = signRequest({
        method: request.method,
        url: request.url,
        headers,
        body: request.body,
        accessKey: config.accessKey,
        secretKey: config.secretKey,
      });
      return { 'x-project-id': projectId, ...signed };
    },
  };
}
