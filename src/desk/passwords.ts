import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt parameters (RFC 7914; OWASP's minimum is N=2^17 with r=8, or an equivalent trade-off):
 * N=2^15, r=8, p=3 costs 32 MiB of memory per hash and about as much work as N=2^17, p=1 while
 * fitting a 2-core instance that also serves chats. Stored with the hash, so they can rise later
 * without breaking existing accounts.
 */
const PARAMS = { N: 2 ** 15, r: 8, p: 3 } as const;
const KEY_BYTES = 32;
const MAX_MEM = 64 * 1024 * 1024;

/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest (a password is not a document: this bounds the work per login attempt). */
export const MAX_PASSWORD_LENGTH = 200;

/** Passwords people pick first; any password containing one of these whole is refused. */
const COMMON = ['password', 'passw0rd', 'qwerty', 'letmein', 'welcome', '123456', 'abc123', 'iloveyou', 'admin', 'tmobile', 't-mobile', 'support', 'changeme', 'secret'];

function derive(password: string, salt: Buffer, p: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: p.N, r: p.r, p: p.p, maxmem: MAX_MEM };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash` (base64url): what a staff account stores instead of the password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` matches `stored`, compared in constant time; false for anything malformed. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20 || r > 32 || p > 16) return false;
  const expected = Buffer.from(parts[5], 'base64url');
  if (expected.length !== KEY_BYTES || password.length > MAX_PASSWORD_LENGTH) return false;
  const key = await derive(password, Buffer.from(parts[4], 'base64url'), { N, r, p });
  return timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;
/**
 * Runs the same work as a real check against a throw-away hash: a login for a username that does
 * not exist takes as long as one with a wrong password, so timing does not reveal who has an account.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  await verifyPassword(password.slice(0, MAX_PASSWORD_LENGTH), await (dummy ??= hashPassword(randomBytes(12).toString('hex'))));
  return false;
}

/** Why `password` is too weak for a staff account (in words for the person choosing it), or undefined. */
export function passwordProblem(password: unknown, username: string): string | undefined {
  if (typeof password !== 'string') return '"password" must be text.';
  if (password.length < MIN_PASSWORD_LENGTH) return `The password is too short: use at least ${MIN_PASSWORD_LENGTH} characters (a few words together work well).`;
  if (password.length > MAX_PASSWORD_LENGTH) return `The password is too long: at most ${MAX_PASSWORD_LENGTH} characters.`;
  if (new Set(password).size < 5) return 'The password repeats too few characters: use at least 5 different ones.';
  const lower = password.toLowerCase();
  if (username && lower.includes(username.toLowerCase())) return 'The password must not contain the username.';
  const common = COMMON.find((w) => lower.includes(w));
  if (common) return `The password contains "${common}", one of the first words people guess: choose something else.`;
  if (/^(?:0123456789|1234567890|abcdefghij|qwertyuiop)/i.test(password)) return 'The password starts with a keyboard or number run: choose something less predictable.';
  return undefined;
}
