/**
 * Secrets that only the conversation gives away: after "ok let me type my password" the next
 * message is the password, whatever it looks like; right after sign-in talk ("I can't log in") a
 * message that is one password-shaped token ("Hunter2!") is one. `redact` sees one text at a
 * time, so what a message announces is kept per conversation (`PrivacyMemory`, in conversation
 * state) and applied to the next one.
 */
import { marker, redact, type Redaction, type SecretKind } from './redact.js';

/** What a conversation's earlier messages say about the next one. Holds no text, only flags. */
export interface PrivacyMemory {
  /** The customer said the next message is this kind of secret ("let me type my password"). */
  expect?: SecretKind;
  /** Customer messages still to come that follow sign-in talk closely enough to count. */
  signInTalk?: number;
}

/** How many of the customer's next messages still count as "right after sign-in talk". */
export const SIGN_IN_WINDOW = 2;
/** A message announced as a secret is treated as one when it is this short; longer ones are sentences. */
const MAX_ANNOUNCED_WORDS = 8;
const MAX_ANNOUNCED_CHARS = 200;
/** Announcements end a message ("…, let me type my password"): only its end is read. */
const ANNOUNCEMENT_TAIL = 300;

const W = String.raw`\s{1,3}`;
const LABELS: Array<[SecretKind, string]> = [
  ['password', String.raw`pass?\s?wo?rds?|passwd|pwd|pw|pass\s?phrase|pass\s?code`],
  ['pin', String.raw`pin(?:${W}(?:code|number))?|puk`],
  ['card', String.raw`(?:credit${W}|debit${W})?card(?:${W}(?:number|details|info))?|cvv|cvc`],
  ['ssn', String.raw`ssn|social(?:${W}security)?(?:${W}number)?`],
  ['security_answer', String.raw`(?:security|secret)${W}(?:question${W})?answer|maiden${W}name|memorable${W}word`],
];
const LABEL = LABELS.map(([, l]) => `(${l})`).join('|');
const OWNER = String.raw`(?:(?:my|the|our|it|them)${W})?(?:(?:new|old|current|temp|temporary|full|account)${W})?`;
/**
 * The announcement ends the message: after the label come at most a few filler words ("now",
 * "in a sec", "for you") and punctuation. "send password reset" or "I need to enter my pin at the
 * store" talk about the secret; they do not announce it.
 */
const THEN_NOTHING_MORE = String.raw`(?![\p{L}\p{N}])(?=(?:[\s.,:;!…-]{0,3}(?:now|next|here|below|then|ok|okay|in|a|one|sec|second|min|minute|for|to|you|u|real|quick|quickly|again|too|as|well|thx|thanks))*[\s.,:;!…-]{0,3}$)`;
/** "let me type my password", "I'll send you my pin", "here's my password:", "ok typing my password now". */
const ANNOUNCE = new RegExp(String.raw`\b(?:type|typing|enter|entering|send|sending|give|giving|share|sharing|tell|write|writing|paste|pasting|put|putting|provide|providing)(?:${W}(?:you|u|it|in|over))?${W}${OWNER}(?:${LABEL})${THEN_NOTHING_MORE}|\bhere(?:['’]s|${W}is|${W}are|${W}it${W}is)${W}${OWNER}(?:${LABEL})${THEN_NOTHING_MORE}`, 'iu');
/**
 * A message that ends on its label and a separator with nothing after ("my password is", "pin:"):
 * the value comes next. Without the separator it is a topic ("I forgot my password").
 */
const LABEL_THEN_NOTHING = new RegExp(String.raw`(?:^|\s)${OWNER}(?:${LABEL})(?:${W}(?:is|was|will${W}be)\s{0,3}[:=-]?|\s{0,3}[:=-])\s{0,3}[.…]{0,3}$`, 'iu');
/** Questions and requests ("how do I type my password?", "can you reset my pin") announce nothing. */
const ASKS = /^\s{0,20}(?:how|where|what|why|when|which|who|do|does|did|can|could|would|should|will|is|are|must|may)\b/i;

/** Talk about signing in: what comes right after may be the password the customer is trying. */
const SIGN_IN_TALK = /\b(?:log{1,3}\s?in|log{1,3}ing\s?in|log{1,3}ed\s?in|sign(?:ed|ing)?\s?(?:in|on)|login|log\s?on|pass?\s?wo?rds?|passwd|pwd|pw|passcode|locked\s?out|credentials|user\s?name|username)\b/i;

/** Replies that are never a secret, even right after an announcement. */
const NOT_A_SECRET_REPLY = /^(?:no|nope|nah|yes|yeah|yep|ok|okay|k|sure|thanks|thank you|ty|hi|hello|hey|help|menu|cancel|stop|quit|exit|back|wait|hold on|sorry|oops|never ?mind|nvm|start over|agent|human|person|(?:talk to|speak to|speak with|get) (?:a |an )?(?:person|human|agent|someone|representative)|[1-9])(?:[\s.!,]+(?:please|pls|thanks|now|then))*[\s.!]*$/i;
/** Case numbers, emails, links, dates, prices and plain numbers are what they look like. */
const NOT_A_PASSWORD = /^(?:cs[\s-]{0,3}[0-9a-z]{4}[\s-]{0,3}[0-9a-z]{4}|\S{1,64}@\S{1,255}|(?:https?:\/\/|www\.)\S{1,2000}|[\d\s.,:/$€£%+()-]{1,64})$/i;

/**
 * One token of 6–64 characters mixing letters with digits or symbols, or with upper case inside a
 * word ("PassWord"). Hyphens and apostrophes alone do not count: "add-ons" and "e-sim" are words.
 */
export function passwordShaped(text: string): boolean {
  const t = text.trim().replace(/^["'“‘]|["'”’]$/g, '');
  if (t.length < 6 || t.length > 64 || /\s/.test(t) || NOT_A_PASSWORD.test(t)) return false;
  if (!/\p{L}/u.test(t)) return false;
  return /\d|[^\p{L}\p{N}'’-]/u.test(t.replace(/[.!?]+$/, '')) || /\p{Ll}\p{Lu}/u.test(t);
}

/** The kind of secret the message says comes next, if it says so. */
export function announcedSecret(text: string): SecretKind | undefined {
  const tail = text.slice(-ANNOUNCEMENT_TAIL).trimEnd();
  if (tail.endsWith('?') || ASKS.test(text.slice(0, 40))) return undefined;
  const m = ANNOUNCE.exec(tail) ?? LABEL_THEN_NOTHING.exec(tail);
  if (!m) return undefined;
  // each alternative of ANNOUNCE repeats the label groups, one per kind, in LABELS order
  const i = m.slice(1).findIndex((g) => g !== undefined);
  return i >= 0 ? LABELS[i % LABELS.length]![0] : undefined;
}

/** Whether a message, coming right after an announcement, is the announced secret. */
function isAnnouncedValue(text: string): boolean {
  const t = text.trim();
  if (!t || t.length > MAX_ANNOUNCED_CHARS || t.endsWith('?') || NOT_A_SECRET_REPLY.test(t)) return false;
  return t.split(/\s+/).length <= MAX_ANNOUNCED_WORDS;
}

export interface ContextualRedaction extends Redaction {
  /** What to remember for the conversation's next message. */
  memory: PrivacyMemory;
  /** Whether the whole message was hidden because of what came before it. */
  fromContext: boolean;
}

/**
 * Redacts one customer message knowing what the conversation said before (`memory`), and says
 * what to remember for the next one. Labelled secrets are found by `redact` as always; on top of
 * that, a message announced as a secret is hidden whole, and so is a lone password-shaped token
 * right after sign-in talk.
 */
export function redactInContext(text: string, memory: PrivacyMemory = {}): ContextualRedaction {
  const r = redact(text);
  let out: Redaction = r;
  let fromContext = false;
  if (r.found.length === 0 || !r.found.some((k) => k !== 'email' && k !== 'phone')) {
    const kind = memory.expect && isAnnouncedValue(text) ? memory.expect
      : (memory.signInTalk ?? 0) > 0 && passwordShaped(text) ? 'password' : undefined;
    if (kind) {
      out = { text: marker(kind), found: [kind] };
      fromContext = true;
    }
  }
  const expect = fromContext ? undefined : announcedSecret(text);
  const signInTalk = SIGN_IN_TALK.test(text) ? SIGN_IN_WINDOW : Math.max(0, (memory.signInTalk ?? 0) - 1);
  return { ...out, fromContext, memory: { ...(expect ? { expect } : {}), ...(signInTalk > 0 ? { signInTalk } : {}) } };
}
