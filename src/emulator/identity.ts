/**
 * Identity: who may call the emulator. Users, domains and projects live in `state.domains` (so they persist); this
 * module issues and checks IAM tokens and verifies AK/SK signatures (both SDK-HMAC-SHA256 variants).
 *
 * Error bodies are those of the API gateway in front of every Huawei/OTC service (`{"error_code":"APIGW.03xx",
 * "error_msg","request_id"}`), because that is the layer that rejects a bad credential before CBR sees the request.
 * Messages follow the APIG FAQ texts quoted in cbr-api-notes.md §4.4 where one exists ("decrypt token fail",
 * "verify aksk signature fail", "Get secretKey failed…", "signature expired…"); the others are modelled on them.
 *
 * Not emulated: roles and fine-grained permissions (every user may do everything in its domain's projects), AK
 * lockout after 5 failures, security tokens (temporary AK/SK), agencies, MFA, token revocation on password change.
 */
import { randomBytes } from 'node:crypto';
import { formatSdkDate, parseAuthorization, parseSdkDate, verifySignature, type ParsedAuthorization } from '../upstream/signing';
import { DERIVED_ALGORITHM, parseDerivedAuthorization, verifyDerivedSignature } from './derived-signature';
import type { Clock } from './clock';
import { DEMO_DOMAIN, DEMO_PROJECTS, DEMO_USER } from './demo-identity';
import { ApiError } from './errors';
import type { RequestContext } from './router';
import type { Domain, State } from './state';

/** Tokens are valid for 24 h (seed 003 §3.2). */
export const TOKEN_TTL_MS = 24 * 3600_000;
/** The API gateway rejects an `X-Sdk-Date` more than 15 minutes away from its own time. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

export type User = Domain['users'][number];

const EMPTY = new Uint8Array(0);

/** The authenticated caller of a request. */
export interface Principal {
  userId: string;
  userName: string;
  domainId: string;
  domainName: string;
  /** The project a token is scoped to; `undefined` for a domain-scoped token. For AK/SK: the path's project. */
  projectId: string | undefined;
  via: 'token' | 'aksk';
}

/** What the emulator remembers about an issued token (enough to answer `GET /v3/auth/tokens`). */
export interface TokenRecord {
  principal: Principal;
  methods: string[];
  issuedAt: number;
  expiresAt: number;
}

function apigError(status: number, code: string, message: string): ApiError {
  return new ApiError(status, code, message, 'apig');
}

const unauthorized = (detail: string) => apigError(401, 'APIGW.0301', `Incorrect IAM authentication information: ${detail}`);
const forbidden = () => apigError(403, 'APIGW.0302', 'The IAM user is not authorized to access the API.');

/** Adds the demo domain, its user and its projects to `state` (idempotent). Every emulator has them. */
export function installDemoIdentity(state: State): void {
  if (!state.domains.some((d) => d.id === DEMO_DOMAIN.id)) {
    state.domains.push({
      id: DEMO_DOMAIN.id,
      name: DEMO_DOMAIN.name,
      users: [{ ...DEMO_USER }],
      projects: DEMO_PROJECTS.map((p) => ({ id: p.id, name: p.name })),
    });
  }
  for (const project of DEMO_PROJECTS) {
    if (!state.projects.has(project.id)) state.addProject(project.id, project.name);
  }
}

export function createIdentity(deps: { clock: Clock; state: State }) {
  const { clock, state } = deps;
  const tokens = new Map<string, TokenRecord>();

  function domainOf(predicate: (domain: Domain) => boolean): Domain | undefined {
    return state.domains.find(predicate);
  }

  function principalFor(domain: Domain, user: User, projectId: string | undefined, via: Principal['via']): Principal {
    return { userId: user.id, userName: user.name, domainId: domain.id, domainName: domain.name, projectId, via };
  }

  /** The token of a request if it is known and not expired. */
  function validToken(token: string | undefined): TokenRecord | undefined {
    const record = token === undefined ? undefined : tokens.get(token);
    return record && record.expiresAt > clock.now() ? record : undefined;
  }

  function userByAccessKey(accessKey: string): { domain: Domain; user: User } | undefined {
    for (const domain of state.domains) {
      const user = domain.users.find((u) => u.accessKey === accessKey);
      if (user) return { domain, user };
    }
    return undefined;
  }

  /** Checks an AK/SK signature; throws the API gateway's 401s. Only runs for requests carrying `Authorization`. */
  function verifyAkSk(ctx: RequestContext, header: string, rawBody: Uint8Array): { domain: Domain; user: User } {
    // The Huawei SDKs' opt-in derived-key variant has its own header and key; both SDK-HMAC-SHA256 variants share one.
    const derived = header.startsWith(DERIVED_ALGORITHM) ? parseDerivedAuthorization(header) : undefined;
    const auth = derived ?? parseAuthorization(header);
    if (!auth) throw unauthorized('verify aksk signature fail');
    const owner = userByAccessKey(auth.accessKey);
    if (!owner?.user.secretKey) throw unauthorized(`Get secretKey failed,ak:${auth.accessKey},err:ak not exist`);
    const sdkDate = single(ctx.headers['x-sdk-date']);
    const signedAt = sdkDate === undefined ? undefined : parseSdkDate(sdkDate);
    // X-Sdk-Date must be present and signed, otherwise a captured request could be replayed forever.
    if (signedAt === undefined || !auth.signedHeaders.includes('x-sdk-date')) throw unauthorized('verify aksk signature fail');
    // Compared with the wall clock, not the emulator clock: clients sign with real time even when a test moves the
    // emulator clock (tests provoke skew by signing with an old date instead).
    const serverTime = Date.now();
    if (Math.abs(serverTime - signedAt) > MAX_CLOCK_SKEW_MS) {
      throw apigError(
        401,
        'APIGW.0303',
        `Incorrect app authentication information: signature expired, signature time:${sdkDate},server time:${formatSdkDate(new Date(serverTime))}`,
      );
    }
    const request = { method: ctx.method, path: ctx.path, query: ctx.query, headers: ctx.headers, body: rawBody, secretKey: owner.user.secretKey };
    const ok = derived
      ? verifyDerivedSignature({ ...request, authorization: derived })
      : verifySignature({ ...request, authorization: auth as ParsedAuthorization }).ok;
    if (!ok) throw unauthorized('verify aksk signature fail');
    return owner;
  }

  /**
   * The caller of a request, by `X-Auth-Token` or AK/SK signature, without any project check (IAM calls such as
   * `GET /v3/projects` need only a valid credential). Throws 401 ApiErrors.
   */
  function identify(ctx: RequestContext, rawBody: Uint8Array = ctx.rawBody ?? EMPTY): Principal {
    const token = single(ctx.headers['x-auth-token']);
    if (token !== undefined) {
      const record = tokens.get(token);
      if (!record) throw unauthorized('decrypt token fail');
      if (record.expiresAt <= clock.now()) throw unauthorized('token expired');
      return record.principal;
    }
    const authorization = single(ctx.headers.authorization);
    if (authorization === undefined) throw unauthorized('x-auth-token not found');
    const { domain, user } = verifyAkSk(ctx, authorization, rawBody);
    const projectHeader = single(ctx.headers['x-project-id']);
    return principalFor(domain, user, ctx.params.project_id ?? projectHeader, 'aksk');
  }

  return {
    /**
     * Issues a token scoped to a project (domain-scoped when `projectId` is undefined). This is what
     * `POST /v3/auth/tokens` hands out; tests call it directly. The user defaults to the demo user.
     */
    issueToken(projectId: string | undefined, userId: string = DEMO_USER.id, methods: string[] = ['password']): { token: string; expiresAt: number; record: TokenRecord } {
      const domain = domainOf((d) => d.users.some((u) => u.id === userId));
      const user = domain?.users.find((u) => u.id === userId);
      if (!domain || !user) throw new Error(`unknown user ${userId}`);
      // Random, not from `ids`: issuing a token must not shift the deterministic ids of resources created afterwards,
      // and tokens must not repeat after a restart with persisted state. Base64url keeps to a header-safe charset.
      const token = `MII${randomBytes(96).toString('base64url')}`;
      const issuedAt = clock.now();
      const record: TokenRecord = {
        principal: principalFor(domain, user, projectId, 'token'),
        methods,
        issuedAt,
        expiresAt: issuedAt + TOKEN_TTL_MS,
      };
      tokens.set(token, record);
      return { token, expiresAt: record.expiresAt, record };
    },

    /** A token that is known and not expired. */
    lookupToken: (token: string | undefined): TokenRecord | undefined => validToken(token),

    revokeToken(token: string): boolean {
      return tokens.delete(token);
    },

    /** Finds a user by id, or by name within a domain given by id or name. */
    findUser(ref: { id?: string; name?: string; domain?: { id?: string; name?: string } }): { domain: Domain; user: User } | undefined {
      for (const domain of state.domains) {
        if (ref.domain?.id !== undefined && ref.domain.id !== domain.id) continue;
        if (ref.domain?.name !== undefined && ref.domain.name !== domain.name) continue;
        const user = domain.users.find((u) => (ref.id !== undefined ? u.id === ref.id : ref.domain !== undefined && u.name === ref.name));
        if (user) return { domain, user };
      }
      return undefined;
    },

    userByAccessKey,

    /** The domain that owns a project, and the project. */
    projectOwner(projectId: string): { domain: Domain; project: Domain['projects'][number] } | undefined {
      for (const domain of state.domains) {
        const project = domain.projects.find((p) => p.id === projectId);
        if (project) return { domain, project };
      }
      return undefined;
    },

    identify,

    /**
     * The caller of a CBR/VBS request. 401 without a valid token or signature; 403 when the path's project is not
     * the token's project, or (AK/SK) not a project of the user's domain, or differs from `X-Project-Id`.
     */
    authenticate(ctx: RequestContext, rawBody?: Uint8Array): Principal {
      const principal = identify(ctx, rawBody);
      const projectId = ctx.params.project_id;
      if (projectId === undefined) return principal;
      if (principal.via === 'token') {
        if (principal.projectId !== projectId) throw forbidden();
        return principal;
      }
      const projectHeader = single(ctx.headers['x-project-id']);
      if (projectHeader !== undefined && projectHeader !== projectId) throw forbidden();
      const domain = domainOf((d) => d.id === principal.domainId);
      if (!domain?.projects.some((p) => p.id === projectId)) throw forbidden();
      return principal;
    },

    /** Tokens for persistence (expired ones left out). */
    exportTokens(): Array<[string, TokenRecord]> {
      const now = clock.now();
      return [...tokens].filter(([, record]) => record.expiresAt > now);
    },

    importTokens(entries: ReadonlyArray<[string, TokenRecord]>): void {
      for (const [token, record] of entries) tokens.set(token, record);
    },

    /** Revokes every token. */
    clear(): void {
      tokens.clear();
    },
  };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export type Identity = ReturnType<typeof createIdentity>;
