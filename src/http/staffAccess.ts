import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Next } from 'restify';
import { HttpError } from './errors.js';

/** Who is asking, once proved. */
export interface StaffPrincipal {
  /** How the audit log names them: a staff username, or `admin-token`. */
  actor: string;
  role: 'admin' | 'supervisor' | 'agent';
}

/**
 * One way for staff to prove who they are (the admin token; a desk session). It returns the
 * principal, `undefined` when the request carries no credentials of its kind (the next way is
 * tried), and throws an `HttpError` (401) when it carries bad ones.
 */
export type StaffAuthenticator = (req: Request) => Promise<StaffPrincipal | undefined> | StaffPrincipal | undefined;

const PRINCIPAL = Symbol('support-bot.staffPrincipal');
const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time; undefined without a bearer header. */
export function adminTokenAuthenticator(token: string): StaffAuthenticator {
  if (!token) throw new Error('[adminTokenAuthenticator]: Missing parameter. token is required');
  const expected = digest(token);
  return (req) => {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(req.header('authorization') ?? '');
    if (!m) return undefined;
    if (!timingSafeEqual(digest(m[1]), expected)) {
      throw new HttpError(401, 'Unauthorized', 'The admin token is not valid.', { 'www-authenticate': 'Bearer realm="support-bot admin"' });
    }
    return { actor: 'admin-token', role: 'admin' };
  };
}

/**
 * A route step that lets through supervisors and administrators, proved by any of
 * `authenticators` (tried in order; the composition adds the desk's sessions when it has them).
 * With none configured the routes are disabled (403), never open; without credentials 401;
 * an agent 403. The principal is then `staffOf(req)`.
 */
export function requireSupervisor(authenticators: readonly StaffAuthenticator[], what: string) {
  return function supervisorOnly(req: Request, _res: Response, next: Next): void {
    if (authenticators.length === 0) {
      return next(new HttpError(403, 'Disabled', `${what} is disabled: set ADMIN_TOKEN on the server (or sign in to the desk as a supervisor) to use it.`));
    }
    void (async () => {
      for (const authenticate of authenticators) {
        const principal = await authenticate(req);
        if (!principal) continue;
        if (principal.role !== 'admin' && principal.role !== 'supervisor') throw new HttpError(403, 'Forbidden', `${what} is for supervisors.`);
        (req as unknown as Record<symbol, StaffPrincipal>)[PRINCIPAL] = principal;
        return;
      }
      throw new HttpError(401, 'Unauthorized', 'Send the admin token as "Authorization: Bearer <token>", or sign in as a supervisor.',
        { 'www-authenticate': 'Bearer realm="support-bot admin"' });
    })().then(() => next(), (err: unknown) => next(err as Error));
  };
}

/** The principal `requireSupervisor` let through. */
export function staffOf(req: Request): StaffPrincipal {
  const p = (req as unknown as Record<symbol, StaffPrincipal | undefined>)[PRINCIPAL];
  if (!p) throw new Error('[staffOf]: the route has no requireSupervisor step');
  return p;
}
