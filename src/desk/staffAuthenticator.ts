import type { StaffAuthenticator } from '../http/staffAccess.js';
import { cookieValue, SESSION_COOKIE, type DeskAuth } from './auth.js';

/**
 * Desk sessions as a way into the supervisors' routes (insights, the review queue): a request
 * with the desk's session cookie is the signed-in person, with their role; one that changes
 * something must also carry the session's CSRF token, as every desk request does. Without the
 * cookie the next way (the admin token) is tried.
 */
export function deskSessionAuthenticator(auth: DeskAuth): StaffAuthenticator {
  return async (req) => {
    if (!cookieValue(req.headers.cookie, SESSION_COOKIE)) return undefined;
    const who = await auth.identify(req);
    if (req.method !== 'GET' && req.method !== 'HEAD') auth.checkCsrf(req, who);
    return { actor: who.account.username, role: who.account.role };
  };
}
