import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * A checker for `Authorization: Bearer <token>`. Both sides are hashed first, so the comparison
 * takes the same time whatever the length or content of what was sent.
 */
export function bearerChecker(token: string): (authorization: string | undefined) => 'ok' | 'missing' | 'wrong' {
  if (!token) throw new Error('[bearerChecker]: Missing parameter. token is required');
  const expected = digest(token);
  return (authorization) => {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) return 'missing';
    return timingSafeEqual(digest(m[1]), expected) ? 'ok' : 'wrong';
  };
}
