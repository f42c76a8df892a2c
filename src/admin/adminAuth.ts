import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Next } from 'restify';
import { HttpError } from '../http/errors.js';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Checks `Authorization: Bearer <token>`. Both sides are hashed first so the comparison takes
 * the same time whatever the length or content of what was sent. With no token configured the
 * admin API is disabled: every request is refused, it is never open.
 */
export function requireAdminToken(token: string) {
  const expected = token ? digest(token) : undefined;
  return function adminAuth(req: Request, _res: Response, next: Next): void {
    if (!expected) return next(new HttpError(403, 'AdminApiDisabled', 'The admin API is disabled: set ADMIN_TOKEN on the server to enable it.'));
    const header = req.header('authorization') ?? '';
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!m || !timingSafeEqual(digest(m[1]), expected)) {
      return next(new HttpError(401, 'Unauthorized', m ? 'The admin token is not valid.' : 'Send the admin token as "Authorization: Bearer <token>".',
        { 'www-authenticate': 'Bearer realm="support-bot admin"' }));
    }
    return next();
  };
}
