/** IAM's token API as the password flow uses it: the request body and the part of the token body we read (notes §5). */
import { z } from 'zod';

/** What the password flow needs to ask IAM for a project-scoped token. */
export interface PasswordAuth {
  username: string;
  password: string;
  userDomainName: string;
  projectId?: string;
  projectName?: string;
  projectDomainName?: string;
}

/** `POST /v3/auth/tokens` body: password method, scoped to the project by id when known, else by name. */
export function passwordTokenRequest(auth: PasswordAuth) {
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: auth.username, password: auth.password, domain: { name: auth.userDomainName } } },
      },
      scope: {
        project:
          auth.projectId !== undefined
            ? { id: auth.projectId }
            : { name: auth.projectName, ...(auth.projectDomainName !== undefined ? { domain: { name: auth.projectDomainName } } : {}) },
      },
    },
  };
}

/** The token body fields we rely on; the rest (catalog, roles, user) is let through unread. */
export const TokenResponse = z.looseObject({
  token: z.looseObject({
    expires_at: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO 8601 timestamp'),
    project: z.looseObject({ id: z.string().min(1), name: z.string().optional() }).optional(),
  }),
});
export type TokenResponse = z.infer<typeof TokenResponse>;
