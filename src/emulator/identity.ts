/**
 * Identity: the demo domain, IAM tokens and request authentication (token or AK/SK).
 * MINIMAL VERSION: token issue + check only; the emulator-platform engineer completes it
 * (POST /v3/auth/tokens password flow, AK/SK verification of both SDK-HMAC-SHA256 variants, clock skew).
 */
import { ApiError } from './errors';
import type { RequestContext } from './router';
import type { Clock } from './clock';
import type { Ids } from './ids';

export interface Principal {
  userId: string;
  /** The project the credential is scoped to. */
  projectId: string;
}

export function createIdentity(deps: { clock: Clock; ids: Ids }) {
  const tokens = new Map<string, { principal: Principal; expiresAt: number }>();
  return {
    /** Issues a token scoped to a project (what `POST /v3/auth/tokens` hands out). */
    issueToken(projectId: string, userId = 'demo-user'): { token: string; expiresAt: number } {
      const token = `emu-${deps.ids.hex32()}`;
      const expiresAt = deps.clock.now() + 24 * 3600_000;
      tokens.set(token, { principal: { userId, projectId }, expiresAt });
      return { token, expiresAt };
    },
    /** The caller of a CBR/VBS request; throws 401/403 ApiErrors. */
    authenticate(ctx: RequestContext): Principal {
      const token = ctx.headers['x-auth-token'];
      const entry = typeof token === 'string' ? tokens.get(token) : undefined;
      if (!entry || entry.expiresAt <= deps.clock.now()) {
        throw new ApiError(401, 'APIGW.0301', 'Incorrect IAM authentication information: token is missing or invalid', 'apig');
      }
      const projectId = ctx.params.project_id;
      if (projectId !== undefined && projectId !== entry.principal.projectId) {
        throw new ApiError(403, 'APIGW.0302', 'The IAM user is not authorized to access this project', 'apig');
      }
      return entry.principal;
    },
    clear(): void {
      tokens.clear();
    },
  };
}

export type Identity = ReturnType<typeof createIdentity>;
