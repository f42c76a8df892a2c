import { SECRET_KINDS } from '../privacy/redact.js';

const MARKER = new RegExp(`\\[REDACTED:(?:${SECRET_KINDS.join('|')})\\]`, 'g');
/** "my pin is [REDACTED:pin]", "password: [REDACTED:password]": a statement that only carried the secret. */
const STATEMENT = new RegExp(`(?:\\b(?:and|but|so)\\s+)?(?:\\b(?:my|the|our|his|her)\\s+)?(?:[\\w-]+\\s+){0,3}?(?:is|are|was|=|:)?\\s*\\[REDACTED:(?:${SECRET_KINDS.join('|')})\\]`, 'gi');

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
  return text.replace(STATEMENT, ' ').replace(MARKER, ' ').replace(/\s+/g, ' ').replace(/^[\s,.;:!-]+|[\s,;:-]+$/g, '').replace(/^(?:and|but|so)\b\s*/i, '').trim();
}
