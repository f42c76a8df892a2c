import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'restify';

/** Name of the web widget's customer cookie. */
export const CUSTOMER_COOKIE = 'sb_customer';

interface Claims { u: string; o: string; iat: number; exp: number }

/**
 * The web customer's lasting identity: a signed, HttpOnly, SameSite=Strict cookie that the server
 * sets when it first hands out a chat token, holding the user id, the site it was issued for and
 * an expiry. Later tokens for the same browser get the same user id, so "My cases" and case
 * status work on a later visit. Nothing in it is trusted unless the signature, the expiry and the
 * site all check out: a tampered, expired or elsewhere-replayed cookie gets a fresh anonymous
 * identity, never someone else's. Rotating the secret gives everyone a fresh identity.
 */
export class CustomerCookies {
  constructor(private readonly secret: string, private readonly maxAgeSeconds: number, private readonly now: () => number = Date.now) {
    if (!secret || secret.length < 16) throw new Error('[CustomerCookies]: Missing parameter. secret of at least 16 characters is required');
  }

  /** The user id in the request's customer cookie, if it is valid for `origin`. */
  read(req: Request, origin: string): string | undefined {
    const value = cookieValue(req.headers.cookie, CUSTOMER_COOKIE);
    if (!value) return undefined;
    const [body, sig] = value.split('.');
    if (!body || !sig || sig.length > 100) return undefined;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let c: Claims;
    try { c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')); } catch { return undefined; }
    if (typeof c.u !== 'string' || !/^dl_[A-Za-z0-9_-]{8,40}$/.test(c.u) || typeof c.exp !== 'number' || c.exp * 1000 <= this.now() || c.o !== origin) return undefined;
    return c.u;
  }

  /** `Set-Cookie` value for `userId` on `origin`. */
  issue(userId: string, origin: string, secure: boolean): string {
    const iat = Math.floor(this.now() / 1000);
    const body = Buffer.from(JSON.stringify({ u: userId, o: origin, iat, exp: iat + this.maxAgeSeconds } satisfies Claims)).toString('base64url');
    return `${CUSTOMER_COOKIE}=${body}.${this.sign(body)}; Path=/; Max-Age=${this.maxAgeSeconds}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  }

  /** `Set-Cookie` value that forgets the device. */
  clear(secure: boolean): string {
    return `${CUSTOMER_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  }

  private sign(data: string): string {
    return createHmac('sha256', this.secret).update(`customer-cookie:${data}`).digest('base64url');
  }
}

/** One cookie's value from a `Cookie` header (the last one when repeated). */
export function cookieValue(header: string | string[] | undefined, name: string): string | undefined {
  const all = Array.isArray(header) ? header.join('; ') : header ?? '';
  let found: string | undefined;
  for (const part of all.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) found = part.slice(i + 1).trim();
  }
  return found;
}
