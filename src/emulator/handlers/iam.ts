/**
 * HTTP handlers of the IAM (Keystone v3) calls clients make before calling CBR: obtain a token with a password
 * (`POST /v3/auth/tokens`), inspect or revoke one, list projects (SDKs resolve a project id by name with AK/SK),
 * and the catalog of a credential.
 *
 * Errors use the Keystone shape OTC's IAM answers (`{"error":{"code":401,"message":…,"title":"Unauthorized"}}`,
 * as seen from iam.eu-de.otc.t-systems.com in opentelekomcloud/otc-tools#36). Decisions where IAM's behaviour is not
 * documented in our sources:
 * - wrong password or unknown user → 401 "The username or password is wrong." (one message for both: no user probing);
 * - scope to a project that does not exist (by id, or by name in the domain) → 404 "Could not find project: <x>."
 *   (Keystone's ProjectNotFound text; IAM documents 404 among this call's codes);
 * - scope to an existing project of another domain → 401 (the user has no role there);
 * - no scope → a domain-scoped token.
 *
 * Not emulated: methods other than `password` (token, MFA, federation), unscoped tokens, `nocatalog`, user, group,
 * role and project management, `X-Auth-Token` requirement for `GET /v3/auth/tokens` being a different user's.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Emulator } from '../context';
import { DEMO_REGION } from '../demo-identity';
import { ApiError } from '../errors';
import type { Principal, TokenRecord } from '../identity';
import type { HandlerResult, RequestContext, Route } from '../router';
import type { Domain } from '../state';
import { describeIssue } from '../validation';

const TITLES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

class IamError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function keystoneError(status: number, message: string): HandlerResult {
  return { status, body: { error: { code: status, message, title: TITLES[status] ?? 'Error' } } };
}

/** Runs an IAM handler, answering its failures (and credential failures) in the Keystone shape. */
function iam(handler: (ctx: RequestContext) => HandlerResult): (ctx: RequestContext) => HandlerResult {
  return (ctx) => {
    try {
      return handler(ctx);
    } catch (error) {
      if (error instanceof IamError) return keystoneError(error.status, error.message);
      // A signed (AK/SK) call is rejected by the API gateway in front of IAM, in its own shape; a token call by Keystone.
      if (error instanceof ApiError && error.shape === 'apig' && ctx.headers.authorization === undefined) {
        return keystoneError(error.status, 'The request you have made requires authentication.');
      }
      throw error;
    }
  };
}

const nameOrId = z.object({ id: z.string().min(1).optional(), name: z.string().min(1).optional() });

const authRequest = z.object({
  auth: z.object({
    identity: z.object({
      methods: z.array(z.string()).min(1),
      password: z
        .object({
          user: z.object({
            id: z.string().min(1).optional(),
            name: z.string().min(1).optional(),
            password: z.string(),
            domain: nameOrId.optional(),
          }),
        })
        .optional(),
    }),
    scope: z
      .object({
        project: nameOrId.extend({ domain: nameOrId.optional() }).optional(),
        domain: nameOrId.optional(),
      })
      .optional(),
  }),
});

/** Keystone's timestamp format: microseconds and `Z` (`2019-02-13T06:52:13.855000Z`). */
function keystoneTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A stable 32-hex id derived from a name, for catalog entries and roles (the same on every run). */
function stableId(name: string): string {
  return createHash('sha256').update(`cbr-emulator:${name}`).digest('hex').slice(0, 32);
}

/** OTC names projects `<region>` or `<region>_<sub>`. */
function regionOf(projectName: string): string {
  return projectName.split('_')[0] ?? projectName;
}

function catalog(baseUrl: string, project: { id: string; name: string } | undefined, region: string) {
  const service = (type: string, name: string, url: string) => ({
    type,
    name,
    id: stableId(`service:${type}`),
    endpoints: [{ id: stableId(`endpoint:${type}:${region}`), region, region_id: region, interface: 'public', url }],
  });
  return [
    ...(project
      ? [service('cbr', 'cbr', `${baseUrl}/v3/${project.id}`), service('vbs', 'vbs', `${baseUrl}/v2/${project.id}`)]
      : []),
    service('identity', 'iam', `${baseUrl}/v3`),
  ];
}

function domainOf(emulator: Emulator, id: string): Domain | undefined {
  return emulator.state.domains.find((d) => d.id === id);
}

function projectOf(emulator: Emulator, principal: Principal): { id: string; name: string } | undefined {
  if (principal.projectId === undefined) return undefined;
  return domainOf(emulator, principal.domainId)?.projects.find((p) => p.id === principal.projectId);
}

/** The body of `POST`/`GET /v3/auth/tokens`. */
export function tokenBody(emulator: Emulator, record: TokenRecord) {
  const { principal } = record;
  const domain = { id: principal.domainId, name: principal.domainName };
  const project = projectOf(emulator, principal);
  return {
    token: {
      expires_at: keystoneTime(record.expiresAt),
      issued_at: keystoneTime(record.issuedAt),
      methods: record.methods,
      catalog: catalog(emulator.baseUrl, project, project ? regionOf(project.name) : DEMO_REGION),
      ...(project ? { project: { id: project.id, name: project.name, domain } } : { domain }),
      user: { id: principal.userId, name: principal.userName, domain, password_expires_at: '' },
      roles: [{ id: stableId('role:te_admin'), name: 'te_admin' }],
    },
  };
}

function header(ctx: RequestContext, name: string): string | undefined {
  const value = ctx.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function issueToken(ctx: RequestContext): HandlerResult {
  const parsed = authRequest.safeParse(ctx.body);
  if (!parsed.success) throw new IamError(400, `Invalid input for field: ${describeIssue(parsed.error.issues[0])}`);
  const { identity, scope } = parsed.data.auth;
  if (!identity.methods.includes('password') || !identity.password) {
    throw new IamError(401, 'Attempted to authenticate with an unsupported method.');
  }
  const { user: userRef } = identity.password;
  const { identity: ids } = ctx.emulator;
  const found = ids.findUser(userRef);
  if (!found || found.user.password !== userRef.password) throw new IamError(401, 'The username or password is wrong.');
  let projectId: string | undefined;
  if (scope?.project) {
    const ref = scope.project;
    const owner = ref.id !== undefined ? ids.projectOwner(ref.id) : undefined;
    let project = owner?.project;
    if (ref.id === undefined && ref.name !== undefined) {
      const inDomain = ref.domain
        ? ctx.emulator.state.domains.find((d) => d.id === ref.domain!.id || d.name === ref.domain!.name)
        : found.domain;
      project = inDomain?.projects.find((p) => p.name === ref.name);
      if (project && inDomain !== found.domain) throw new IamError(401, `User ${found.user.id} has no access to project ${project.id}.`);
    }
    if (!project) throw new IamError(404, `Could not find project: ${ref.id ?? ref.name ?? ''}.`);
    if (owner && owner.domain !== found.domain) throw new IamError(401, `User ${found.user.id} has no access to project ${project.id}.`);
    projectId = project.id;
  } else if (scope?.domain) {
    const { id, name } = scope.domain;
    if ((id !== undefined && id !== found.domain.id) || (name !== undefined && name !== found.domain.name)) {
      throw new IamError(401, `User ${found.user.id} has no access to domain ${id ?? name ?? ''}.`);
    }
  }
  const { token, record } = ids.issueToken(projectId, found.user.id, ['password']);
  return {
    status: 201,
    body: tokenBody(ctx.emulator, record),
    headers: { 'x-subject-token': token, 'x-iam-trace-id': ctx.requestId },
  };
}

function subjectToken(ctx: RequestContext): { token: string; record: TokenRecord } {
  ctx.emulator.identity.identify(ctx);
  const token = header(ctx, 'x-subject-token');
  if (token === undefined) throw new IamError(400, 'Expecting to find X-Subject-Token in request headers.');
  const record = ctx.emulator.identity.lookupToken(token);
  if (!record) throw new IamError(404, 'The token could not be found.');
  return { token, record };
}

function projectList(ctx: RequestContext, principal: Principal, selfPath: string): HandlerResult {
  const { baseUrl } = ctx.emulator;
  const name = ctx.query.get('name');
  const domainId = ctx.query.get('domain_id');
  const domain = domainOf(ctx.emulator, principal.domainId);
  const projects = (domain?.projects ?? [])
    .filter((p) => (name === null || p.name === name) && (domainId === null || domainId === principal.domainId))
    .map((p) => ({
      domain_id: principal.domainId,
      is_domain: false,
      parent_id: principal.domainId,
      name: p.name,
      description: '',
      links: { next: null, previous: null, self: `${baseUrl}/v3/projects/${p.id}` },
      id: p.id,
      enabled: true,
    }));
  return { status: 200, body: { projects, links: { next: null, previous: null, self: `${baseUrl}${selfPath}` } } };
}

export const routes: Route[] = [
  { method: 'POST', pattern: '/v3/auth/tokens', api: 'iam', handler: iam(issueToken) },
  {
    method: 'GET',
    pattern: '/v3/auth/tokens',
    api: 'iam',
    handler: iam((ctx) => {
      const { token, record } = subjectToken(ctx);
      return { status: 200, body: tokenBody(ctx.emulator, record), headers: { 'x-subject-token': token } };
    }),
  },
  {
    method: 'DELETE',
    pattern: '/v3/auth/tokens',
    api: 'iam',
    handler: iam((ctx) => {
      ctx.emulator.identity.revokeToken(subjectToken(ctx).token);
      return { status: 204 };
    }),
  },
  {
    method: 'GET',
    pattern: '/v3/projects',
    api: 'iam',
    handler: iam((ctx) => projectList(ctx, ctx.emulator.identity.identify(ctx), '/v3/projects')),
  },
  {
    method: 'GET',
    pattern: '/v3/auth/projects',
    api: 'iam',
    handler: iam((ctx) => projectList(ctx, ctx.emulator.identity.identify(ctx), '/v3/auth/projects')),
  },
  {
    method: 'GET',
    pattern: '/v3/auth/catalog',
    api: 'iam',
    handler: iam((ctx) => {
      const principal = ctx.emulator.identity.identify(ctx);
      const project = projectOf(ctx.emulator, principal);
      const region = project ? regionOf(project.name) : DEMO_REGION;
      return {
        status: 200,
        body: { catalog: catalog(ctx.emulator.baseUrl, project, region), links: { self: `${ctx.emulator.baseUrl}/v3/auth/catalog` } },
      };
    }),
  },
];
