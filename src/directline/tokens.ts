import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isLanguage, type Language } from '../content/languages.js';

/** What a Direct Line token grants: one conversation, as one user, until `exp`. */
export interface TokenClaims {
  /** Conversation id the token is bound to. */
  conv: string;
  /** Server-chosen user id (`dl_…`); activities posted with the token are sent as this user. */
  user: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Refresh generation: 0 for a new token, one more with each refresh; older generations stop working once a newer one is used. */
  gen: number;
  /** When the conversation's first token was issued, seconds since the epoch: refreshes end at `cst` + the conversation lifetime. */
  cst: number;
  /** The language the chat was opened in (the page's): its greeting is in it. Absent in older tokens. */
  lng?: Language;
}

/** Why a token was refused; `reason` is safe to show to the client. */
export class TokenError extends Error {
  constructor(readonly reason: 'missing' | 'malformed' | 'forged' | 'expired', message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const ISSUER = 'support-bot/directline';

/**
 * Issues and checks Direct Line tokens: compact HS256 JWTs (the official service's tokens are JWTs
 * too, and Web Chat and `botframework-directlinejs` decode the `user` claim), signed with a
 * server-side secret that never leaves the server.
 */
export class DirectLineTokens {
  constructor(private readonly secret: string, readonly ttlSeconds: number, private readonly now: () => number = Date.now) {
    if (!secret || secret.length < 16) throw new Error('[DirectLineTokens]: Missing parameter. secret of at least 16 characters is required');
    if (!(ttlSeconds > 0)) throw new Error('[DirectLineTokens]: Missing parameter. ttlSeconds must be positive');
  }

  /**
   * A token for `conv` as `user`, valid for the configured lifetime (a refresh passes the
   * generation and start it continues), opened in `lng` when given.
   */
  issue(conv: string, user: string, refresh?: { gen: number; cst: number }, lng?: Language): { token: string; expires_in: number; claims: TokenClaims } {
    const iat = Math.floor(this.now() / 1000);
    const claims: TokenClaims = { conv, user, iat, exp: iat + this.ttlSeconds, gen: refresh?.gen ?? 0, cst: refresh?.cst ?? iat, ...(lng ? { lng } : {}) };
    // jti makes every token distinct, even two issued in the same second for the same conversation
    const body = `${HEADER}.${b64url(JSON.stringify({ iss: ISSUER, ...claims, jti: randomBytes(9).toString('base64url') }))}`;
    return { token: `${body}.${this.sign(body)}`, expires_in: this.ttlSeconds, claims };
  }

  /** The claims of a valid token; throws `TokenError` saying why otherwise. */
  verify(token: string | undefined): TokenClaims {
    if (!token) throw new TokenError('missing', 'No Direct Line token: send "Authorization: Bearer <token>" (get one from POST /api/directline/token).');
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) throw new TokenError('malformed', 'The Direct Line token is malformed.');
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new TokenError('forged', 'The Direct Line token signature is invalid.');
    let claims: TokenClaims & { iss?: string };
    try { claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')); } catch { throw new TokenError('malformed', 'The Direct Line token is malformed.'); }
    if (claims.iss !== ISSUER || typeof claims.conv !== 'string' || typeof claims.user !== 'string' || typeof claims.exp !== 'number') {
      throw new TokenError('malformed', 'The Direct Line token is malformed.');
    }
    if (claims.exp * 1000 <= this.now()) throw new TokenError('expired', 'The Direct Line token has expired: get a new one from POST /api/directline/token.');
    const gen = Number.isInteger(claims.gen) && claims.gen >= 0 ? claims.gen : 0;
    const cst = typeof claims.cst === 'number' ? claims.cst : claims.iat;
    return { conv: claims.conv, user: claims.user, exp: claims.exp, iat: claims.iat, gen, cst, ...(isLanguage(claims.lng) ? { lng: claims.lng } : {}) };
  }

  private sign(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url');
  }
}

/** A random id with a prefix, safe in URLs (`dl_…` for users). */
export function randomId(prefix = '', bytes = 12): string {
  return prefix + randomBytes(bytes).toString('base64url');
}
