import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'restify';
import type { DeskSession, DeskSessionStore } from '../storage/deskSessionStore.js';
import type { StaffAccount, StaffStore } from '../storage/staffStore.js';
import { HttpError } from '../http/errors.js';
import { clientAddress, type RateLimits } from '../http/rateLimit.js';
import { normaliseUsername } from './staff.js';
import { verifyAgainstNothing, verifyPassword } from './passwords.js';

/** The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it). */
export const SESSION_COOKIE = 'desk_session';
/** The header every state-changing desk request carries. */
export const CSRF_HEADER = 'x-csrf-token';
/** Failed sign-ins are counted over this window. */
const LOGIN_WINDOW_SECONDS = 15 * 60;
/** A session's `lastSeen` is written at most this often. */
const TOUCH_EVERY_MS = 20_000;

/** Who is making a desk request. */
export interface DeskIdentity { session: DeskSession; account: StaffAccount }

export interface DeskAuthDeps {
  sessions: DeskSessionStore;
  staff: StaffStore;
  limits: RateLimits;
  ttlSeconds: number;
  loginFailuresPerAccount: number;
  loginFailuresPerAddress: number;
  trustProxy: boolean;
  now?: () => Date;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();
const sameSecret = (a: string, b: string) => timingSafeEqual(sha256(a), sha256(b));

/**
 * Desk sign-in and sessions. The browser holds a random token in an HttpOnly, SameSite=Strict
 * cookie (Secure behind HTTPS); the session store keeps only its SHA-256, shared by every
 * instance, so sign-out and expiry hold everywhere at once. Every state-changing request also
 * carries the session's CSRF token in `x-csrf-token`. Only the cookie counts: a bearer token (a
 * customer's Direct Line token, say) is never looked at here.
 */
export class DeskAuth {
  private readonly now: () => Date;

  constructor(private readonly deps: DeskAuthDeps) {
    for (const k of ['sessions', 'staff', 'limits'] as const) if (!deps?.[k]) throw new Error(`[DeskAuth]: Missing parameter. ${k} is required`);
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Checks a username and password (the same 401, after the same work, for an unknown user and a
   * wrong password); failures are limited per account and per address (429). Opens a session.
   */
  async login(req: Request, res: Response, username: string, password: string): Promise<DeskIdentity> {
    const name = normaliseUsername(username);
    const address = clientAddress(req, this.deps.trustProxy);
    const perAccount = { points: this.deps.loginFailuresPerAccount, seconds: LOGIN_WINDOW_SECONDS };
    const perAddress = { points: this.deps.loginFailuresPerAddress, seconds: LOGIN_WINDOW_SECONDS };
    await this.deps.limits.refuseIfSpent('desk_login_address', perAddress, address, 'failed sign-ins from this address');
    await this.deps.limits.refuseIfSpent('desk_login_account', perAccount, name, 'failed sign-ins for this account');
    const account = await this.deps.staff.get(name);
    const ok = account ? await verifyPassword(password, account.passwordHash) : await verifyAgainstNothing(password);
    if (!ok || !account) {
      // counted after the check, so an attacker's failures cannot be told from a real person's
      await this.deps.limits.take('desk_login_address', perAddress, address, 'failed sign-ins from this address').catch(() => undefined);
      await this.deps.limits.take('desk_login_account', perAccount, name, 'failed sign-ins for this account').catch(() => undefined);
      throw new HttpError(401, 'BadCredentials', 'The username or password is not right.');
    }
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const session: DeskSession = {
      id: sha256(token).toString('hex'), username: account.username, csrfToken: randomBytes(24).toString('base64url'),
      createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + this.deps.ttlSeconds * 1000).toISOString(), lastSeen: now.toISOString(),
    };
    await this.deps.sessions.create(session);
    res.header('set-cookie', this.cookie(req, token, this.deps.ttlSeconds));
    return { session, account };
  }

  /** The signed-in person, or 401 (not signed in, expired, signed out, or the account was removed). */
  async identify(req: Request): Promise<DeskIdentity> {
    const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (!token || token.length > 200) throw new HttpError(401, 'NotSignedIn', 'Sign in to the desk first.');
    const id = sha256(token).toString('hex');
    const session = await this.deps.sessions.get(id);
    const now = this.now();
    if (!session) throw new HttpError(401, 'NotSignedIn', 'You are not signed in (signed out, or the session ended): sign in again.');
    if (Date.parse(session.expiresAt) <= now.getTime()) {
      await this.deps.sessions.delete(id).catch(() => undefined);
      throw new HttpError(401, 'SessionExpired', 'Your session has expired: sign in again.');
    }
    const account = await this.deps.staff.get(session.username);
    if (!account) throw new HttpError(401, 'NotSignedIn', 'This account no longer exists.');
    if (now.getTime() - Date.parse(session.lastSeen) > TOUCH_EVERY_MS) await this.deps.sessions.touch(id, now.toISOString());
    return { session, account };
  }

  /** 403 unless the request carries the session's CSRF token and, when it says where it comes from, this origin. */
  checkCsrf(req: Request, who: DeskIdentity): void {
    const origin = req.headers.origin;
    if (typeof origin === 'string' && origin !== 'null') {
      let host = '';
      try { host = new URL(origin).host; } catch { /* a malformed origin is not this one */ }
      if (host !== req.headers.host) throw new HttpError(403, 'CrossOrigin', 'Desk requests must come from the desk page itself.');
    }
    const given = req.headers[CSRF_HEADER];
    if (typeof given !== 'string' || !given) throw new HttpError(403, 'CsrfTokenMissing', `Send the session's CSRF token in the ${CSRF_HEADER} header.`);
    if (!sameSecret(given, who.session.csrfToken)) throw new HttpError(403, 'CsrfTokenWrong', `The ${CSRF_HEADER} header does not match this session: reload the desk.`);
  }

  /** Ends the session here and on every instance, and clears the cookie. */
  async logout(req: Request, res: Response, who: DeskIdentity): Promise<void> {
    await this.deps.sessions.delete(who.session.id);
    res.header('set-cookie', this.cookie(req, '', 0));
  }

  private cookie(req: Request, value: string, maxAge: number): string {
    const secure = (req as unknown as { isSecure?: () => boolean }).isSecure?.() === true || (this.deps.trustProxy && req.headers['x-forwarded-proto'] === 'https');
    return [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAge}`, ...(secure ? ['Secure'] : [])].join('; ');
  }
}

/** The value of cookie `name` in a `Cookie` header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
