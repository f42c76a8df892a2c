import { ActivityTypes, TurnContext, type Activity, type ConversationReference, type TurnContext as Ctx } from 'botbuilder';
import type { Logger } from '../logger.js';
import type { ConversationLock } from '../storage/conversationLock.js';
import type { ActivitySet, DirectLineStore } from '../storage/directLineStore.js';
import { DirectLineAdapter, DIRECTLINE_BOT, DIRECTLINE_CHANNEL_ID, DIRECTLINE_SERVICE_URL, isDirectLineReference } from './adapter.js';
import { randomId, type DirectLineTokens, type TokenClaims } from './tokens.js';
import { HttpError } from '../http/errors.js';
import { limitText } from '../inputLimits.js';
import { DEFAULT_LANGUAGE, type Language } from '../content/languages.js';

/** Largest activity a client may post, in bytes of JSON (a chat message is far smaller). */
export const MAX_ACTIVITY_BYTES = 32 * 1024;
/** Activity types a client may post; anything else is refused with a reason. */
const CLIENT_TYPES = new Set<string>([ActivityTypes.Message, ActivityTypes.Event, ActivityTypes.Typing]);

/** A refusal with an HTTP status and a reason the client can act on. */
export class DirectLineError extends HttpError {
  constructor(status: number, code: string, message: string) {
    super(status, code, message);
    this.name = 'DirectLineError';
  }
}

export interface DirectLineServiceDeps {
  store: DirectLineStore;
  tokens: DirectLineTokens;
  adapter: DirectLineAdapter;
  /** The bot's turn logic (`bot.run`). */
  logic: (context: Ctx) => Promise<void>;
  /** Orders turns per conversation, across every transport and instance. */
  lock: ConversationLock;
  /** The greeting a new conversation opens with, in the language it was opened in (shown before anything is stored). */
  welcome: (language: Language) => Partial<Activity>;
  /** Longest a conversation's tokens can be refreshed for, from its first token. */
  conversationLifetimeSeconds: number;
  logger: Logger;
}

/**
 * The Direct Line 3.0 operations, transport-free: routes and WebSockets call these with the
 * caller's verified token claims, and every check that keeps one customer out of another's
 * conversation happens here.
 *
 * Nothing is stored for a conversation until its customer first posts something: until then its
 * history is just the greeting, made on the fly, so handing out tokens and opening chats that are
 * never used costs no storage.
 */
export class DirectLineService {
  constructor(private readonly deps: DirectLineServiceDeps) {
    for (const k of ['store', 'tokens', 'adapter', 'logic', 'lock', 'welcome', 'logger'] as const) {
      if (!deps?.[k]) throw new Error(`[DirectLineService]: Missing parameter. ${k} is required`);
    }
  }

  get store(): DirectLineStore { return this.deps.store; }

  /**
   * A fresh conversation with a token for it, for `userId` (a returning browser's) or a new user,
   * opened in `language` (the page's): the greeting is shown, and later stored, in it.
   */
  issueToken(userId = randomId('dl_', 12), language?: Language): { token: string; conversationId: string; userId: string; expires_in: number } {
    const conversationId = randomId('', 18);
    const { token, expires_in } = this.deps.tokens.issue(conversationId, userId, undefined, language);
    return { token, conversationId, userId, expires_in };
  }

  /** The claims of a valid, current token, or a 401 saying why it is refused. */
  async authenticate(token: string | undefined): Promise<TokenClaims> {
    let claims: TokenClaims;
    try {
      claims = this.deps.tokens.verify(token);
    } catch (e) {
      const reason = (e as { reason?: string }).reason ?? 'invalid';
      throw new DirectLineError(401, 'TokenInvalid', `${(e as Error).message} (${reason})`);
    }
    if ((await this.deps.store.useTokenGeneration(claims.conv, claims.gen)) === 'superseded') {
      throw new DirectLineError(401, 'TokenInvalid', 'This Direct Line token was replaced by a refreshed one: use the newest token (superseded).');
    }
    return claims;
  }

  /**
   * A refreshed token for the same conversation, while the conversation's lifetime lasts. A page
   * reloaded in another language (`language`) before the customer wrote anything gets its
   * greeting in that language; once something is stored, the history stays as it was.
   */
  async refresh(claims: TokenClaims, language?: Language): Promise<{ token: string; expires_in: number; conversationId: string }> {
    const now = Math.floor(Date.now() / 1000);
    if (now >= claims.cst + this.deps.conversationLifetimeSeconds) {
      throw new DirectLineError(403, 'ConversationExpired', 'This chat has reached its maximum length and its token can no longer be refreshed: start a new chat (POST /api/directline/token).');
    }
    const lng = language && language !== claims.lng && !(await this.deps.store.get(claims.conv)) ? language : claims.lng;
    const { token, expires_in } = this.deps.tokens.issue(claims.conv, claims.user, { gen: claims.gen + 1, cst: claims.cst }, lng);
    return { conversationId: claims.conv, token, expires_in: Math.min(expires_in, claims.cst + this.deps.conversationLifetimeSeconds - now) };
  }

  /**
   * "Starts" the token's conversation: says whether it already has history. A new one is not
   * stored yet (its greeting is shown from `activities` until the customer writes).
   */
  async start(claims: TokenClaims): Promise<{ created: boolean }> {
    return { created: !(await this.deps.store.get(claims.conv)) };
  }

  /** Refuses a token used for another conversation, or for a stored conversation of another user. */
  async authorize(claims: TokenClaims, conversationId: string): Promise<void> {
    if (conversationId !== claims.conv) throw new DirectLineError(403, 'Forbidden', 'This token is for another conversation.');
    const c = await this.deps.store.get(conversationId);
    if (c && c.userId !== claims.user) throw new DirectLineError(403, 'Forbidden', 'This token is for another user.');
  }

  /** Activities of the conversation after `watermark` (the greeting alone while nothing is stored). */
  async activities(claims: TokenClaims, conversationId: string, watermark: string | undefined): Promise<ActivitySet> {
    await this.authorize(claims, conversationId);
    const from = watermark ? Number(watermark) : 0;
    if (!(await this.deps.store.get(conversationId))) {
      return from >= 1 ? { activities: [], watermark: '1' } : { activities: [this.greeting(conversationId, claims)], watermark: '1' };
    }
    return this.deps.store.since(conversationId, from);
  }

  /**
   * Accepts an activity from the client: checks it, stores a redacted copy as sent by the token's
   * user (whatever `from` says), then runs the bot's turn. Resolves with the activity id once the
   * bot has answered, like the official service does when the bot acknowledges.
   */
  async post(claims: TokenClaims, conversationId: string, body: unknown): Promise<{ id: string }> {
    await this.authorize(claims, conversationId);
    const problem = clientActivityProblem(body);
    if (problem) throw new DirectLineError(400, 'BadArgument', problem);
    const a = body as Partial<Activity>;
    if (a.type === ActivityTypes.Typing) {
      await this.deps.store.publishEphemeral(conversationId, { type: ActivityTypes.Typing, from: { id: claims.user, name: 'You', role: 'user' }, conversation: { id: conversationId } as Activity['conversation'] });
      return { id: '' };
    }
    const from = { id: claims.user, name: typeof a.from?.name === 'string' ? a.from.name.slice(0, 100) : 'You', role: 'user' };
    const activity: Partial<Activity> = {
      type: a.type,
      text: a.text,
      textFormat: a.textFormat,
      value: a.value,
      name: a.name,
      // a client that sends no locale (Web Chat always does) is taken to speak the chat's language
      locale: typeof a.locale === 'string' ? a.locale.slice(0, 20) : claims.lng,
      attachments: a.attachments,
      entities: a.entities,
      channelData: a.channelData,
      ...this.addressing(conversationId, claims.user, from),
    };
    limitText(activity);
    // the conversation's turn is held before anything is stored: a busy conversation answers 503
    // with nothing kept, so the client's retry does not leave the message twice
    return this.deps.lock.run(lockKey(conversationId), async () => {
      // stored from its first customer activity, opening with the greeting shown so far
      const { conversation } = await this.deps.store.create(conversationId, claims.user, [this.greeting(conversationId, claims)]);
      // Under the conversation's lock nothing else appends, so the message's history position is the
      // conversation's watermark. The history keeps a redacted copy, stored by the turn once it has
      // screened the message (the adapter's echo); the turn gets the original, so the privacy
      // middleware sees the secret, warns the customer and redacts it for everything after.
      const id = `${conversationId}|${String(conversation.watermark).padStart(7, '0')}`;
      const stored = await this.deps.adapter.processActivity(
        { ...activity, id, timestamp: new Date(), localTimestamp: a.localTimestamp ? new Date(a.localTimestamp) : undefined },
        this.deps.logic, activity);
      if (stored !== id) this.deps.logger.warn({ conversationId, expected: id, stored }, 'a direct line message was stored at another position than announced');
      return { id: stored ?? id };
    });
  }

  /**
   * Sends activities to a Direct Line conversation outside any customer turn (a case was resolved,
   * a person replied). Runs through the shared middleware like any turn, so transcripts see it.
   * Refuses references of other channels and conversations that are not stored.
   */
  async sendProactive(reference: Partial<ConversationReference>, activities: Array<Partial<Activity> | string>): Promise<string[]> {
    const ids: string[] = [];
    await this.continueConversation(reference, async (context) => {
      for (const r of await context.sendActivities(activities.map((x) => (typeof x === 'string' ? { type: ActivityTypes.Message, text: x } : x)))) ids.push(r.id);
    });
    return ids;
  }

  /**
   * Runs `work` in a proactive turn of a stored Direct Line conversation (a person joined, wrote
   * or left the chat), through the shared middleware and holding the conversation's turn lock.
   */
  async continueConversation(reference: Partial<ConversationReference>, work: (context: Ctx) => Promise<void>): Promise<void> {
    const conversationId = reference.conversation?.id;
    if (!isDirectLineReference(reference) || !conversationId) throw new Error('[DirectLineService]: the reference is not a Direct Line conversation');
    if (!(await this.deps.store.get(conversationId))) throw new Error('[DirectLineService]: that conversation no longer exists');
    let failure: unknown;
    await this.deps.lock.run(lockKey(conversationId), () => this.deps.adapter.continueConversation(reference, async (context) => {
      // caught here (not by the turn error handler, which would apologise to the customer) so the caller learns of it
      try { await work(context); } catch (err) { failure = err; }
    }));
    if (failure) throw failure;
  }

  /** A conversation reference for a stored conversation, as a dialog would store it for `sendProactive`. */
  async reference(conversationId: string): Promise<Partial<ConversationReference> | undefined> {
    const c = await this.deps.store.get(conversationId);
    if (!c) return undefined;
    return TurnContext.getConversationReference(this.addressing(conversationId, c.userId, { id: c.userId, name: 'You', role: 'user' }) as Activity);
  }

  /**
   * The greeting as the conversation's first activity (position 0), in the language the token
   * was opened in: made the same way when shown before anything is stored and when stored.
   */
  private greeting(conversationId: string, claims: TokenClaims): Partial<Activity> {
    const language = claims.lng ?? DEFAULT_LANGUAGE;
    return {
      ...this.deps.welcome(language),
      ...this.addressing(conversationId, claims.user, { ...DIRECTLINE_BOT }),
      ...(claims.lng ? { locale: claims.lng } : {}),
      id: `${conversationId}|0000000`,
    };
  }

  private addressing(conversationId: string, userId: string, from: Activity['from']): Partial<Activity> {
    return {
      channelId: DIRECTLINE_CHANNEL_ID,
      serviceUrl: DIRECTLINE_SERVICE_URL,
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      from,
      recipient: from.id === DIRECTLINE_BOT.id ? { id: userId, role: 'user' } as Activity['recipient'] : { ...DIRECTLINE_BOT },
    };
  }
}

/** The conversation's key in the turn lock (the same one every transport uses: channel, then conversation). */
const lockKey = (conversationId: string) => `${DIRECTLINE_CHANNEL_ID}/${conversationId}`;

/** Why a posted body is not an activity this endpoint accepts, or undefined when it is fine. */
export function clientActivityProblem(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'The body must be a JSON object (an activity).';
  const a = body as Record<string, unknown>;
  if (typeof a.type !== 'string' || !a.type) return 'The activity has no "type".';
  if (!CLIENT_TYPES.has(a.type)) return `Activity type "${a.type.slice(0, 40)}" is not accepted here; send "message" or "event".`;
  if (a.text !== undefined && a.text !== null && typeof a.text !== 'string') return '"text" must be a string.';
  if (a.type === ActivityTypes.Event && (typeof a.name !== 'string' || !a.name)) return 'An event activity needs a "name".';
  // hand-off status comes from the contact centre; a customer's browser could otherwise mark its own
  // wait "accepted" (the bot falls silent) or end a hand-off a person is handling
  if (a.type === ActivityTypes.Event && /^handoff\./i.test(a.name as string)) return `Event "${(a.name as string).slice(0, 40)}" comes from the contact centre, not from the chat client.`;
  if (a.from !== undefined && (typeof a.from !== 'object' || a.from === null)) return '"from" must be an object.';
  if (a.attachments !== undefined && !Array.isArray(a.attachments)) return '"attachments" must be an array.';
  if (a.entities !== undefined && (!Array.isArray(a.entities) || a.entities.some((e) => typeof e !== 'object' || e === null))) return '"entities" must be an array of objects.';
  if (a.channelData !== undefined && (typeof a.channelData !== 'object' || a.channelData === null)) return '"channelData" must be an object.';
  return undefined;
}
