import { SECRET_KINDS } from '../privacy/redact.js';

const MARKER = new RegExp(`\\[REDACTED:(?:${SECRET_KINDS.join('|')})\\]`, 'g');
/**
 * "my pin is [REDACTED:pin]", "password: [REDACTED:password]", "mi contraseña es [REDACTED:password]":
 * a statement that only carried the secret, in English or Spanish.
 */
const STATEMENT = new RegExp(`(?:(?<![\\p{L}\\p{N}])(?:and|but|so|y|pero)\\s+)?(?:(?<![\\p{L}\\p{N}])(?:my|the|our|his|her|mi|la|el|su|nuestra|nuestro)\\s+)?(?:[\\p{L}\\p{N}_-]+\\s+){0,3}?(?:is|are|was|es|era|=|:)?\\s*\\[REDACTED:(?:${SECRET_KINDS.join('|')})\\]`, 'giu');

/** Whether the (already redacted) text had a secret in it. */
export function hadSecret(text: string): boolean {
  return new RegExp(MARKER.source).test(text);
}

/**
 * The request left once the statements that only carried a secret are taken out: "my pin is
 * [REDACTED:pin]" leaves nothing, "my password is [REDACTED:password] and I can't log in" leaves
 * "I can't log in". The words "password" or "PIN" next to a redacted secret are not a request to
 * reset one.
 */
export function withoutSecrets(text: string): string {
  return text.replace(STATEMENT, ' ').replace(MARKER, ' ').replace(/\s+/g, ' ').replace(/^[\s,.;:!-]+|[\s,;:-]+$/g, '').replace(/^(?:and|but|so|y|pero)\b\s*/i, '').trim();
}
