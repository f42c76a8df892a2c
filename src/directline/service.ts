import { ActivityTypes, TurnContext, type Activity, type ConversationReference, type TurnContext as Ctx } from 'botbuilder';
import type { Logger } from '../logger.js';
import type { KeyedQueue } from '../util/keyedQueue.js';
import { DirectLineAdapter, DIRECTLINE_BOT, DIRECTLINE_CHANNEL_ID, DIRECTLINE_SERVICE_URL, isDirectLineReference } from './adapter.js';
import type { ActivitySet, ConversationStore } from './store.js';
import { randomId, type DirectLineTokens, type TokenClaims } from './tokens.js';
import { redactActivity } from '../privacy/redact.js';
import { HttpError } from '../http/errors.js';
import { limitText } from '../inputLimits.js';

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
  store: ConversationStore;
  tokens: DirectLineTokens;
  adapter: DirectLineAdapter;
  /** The bot's turn logic (`bot.run`). */
  logic: (context: Ctx) => Promise<void>;
  /** Serialises turns per conversation, shared with every other transport. */
  turns: KeyedQueue;
  logger: Logger;
}

/**
 * The Direct Line 3.0 operations, transport-free: routes and WebSockets call these with the
 * caller's verified token claims, and every check that keeps one customer out of another's
 * conversation happens here.
 */
export class DirectLineService {
  constructor(private readonly deps: DirectLineServiceDeps) {
    for (const k of ['store', 'tokens', 'adapter', 'logic', 'turns', 'logger'] as const) {
      if (!deps?.[k]) throw new Error(`[DirectLineService]: Missing parameter. ${k} is required`);
    }
  }

  get store(): ConversationStore { return this.deps.store; }
  get tokens(): DirectLineTokens { return this.deps.tokens; }

  /** A fresh conversation id and user id with a token for them (nothing is stored until the client starts). */
  issueToken(): { token: string; conversationId: string; userId: string; expires_in: number } {
    const conversationId = randomId('', 18);
    const userId = randomId('dl_', 12);
    const { token, expires_in } = this.deps.tokens.issue(conversationId, userId);
    return { token, conversationId, userId, expires_in };
  }

  /** The claims of `token`, or a 401 saying why it is refused. */
  authenticate(token: string | undefined): TokenClaims {
    try {
      return this.deps.tokens.verify(token);
    } catch (e) {
      const reason = (e as { reason?: string }).reason ?? 'invalid';
      throw new DirectLineError(401, `TokenInvalid`, `${(e as Error).message} (${reason})`);
    }
  }

  /**
   * Starts the token's conversation (the bot is told the user joined and greets them); starting an
   * already-started one just returns it, as the official service does for a conversation-bound token.
   */
  async start(claims: TokenClaims): Promise<{ created: boolean }> {
    const { created } = this.deps.store.ensure(claims.conv, claims.user);
    if (created) {
      await this.runTurn({
        type: ActivityTypes.ConversationUpdate,
        membersAdded: [{ ...DIRECTLINE_BOT }, { id: claims.user, name: 'You', role: 'user' }],
        ...this.addressing(claims.conv, claims.user, { id: claims.user, name: 'You', role: 'user' }),
        id: randomId('cu_', 6),
      });
    }
    return { created };
  }

  /** The conversation the token is bound to, if `conversationId` is it and it exists. */
  authorize(claims: TokenClaims, conversationId: string): void {
    if (conversationId !== claims.conv) {
      throw new DirectLineError(403, 'Forbidden', 'This token is for another conversation.');
    }
    const c = this.deps.store.get(conversationId);
    if (!c) throw new DirectLineError(404, 'NotFound', 'No such conversation: start it with POST /v3/directline/conversations.');
    if (c.userId !== claims.user) throw new DirectLineError(403, 'Forbidden', 'This token is for another user.');
  }

  /** Activities of the conversation after `watermark`. */
  activities(claims: TokenClaims, conversationId: string, watermark: string | undefined): ActivitySet {
    this.authorize(claims, conversationId);
    return this.deps.store.since(conversationId, watermark);
  }

  /**
   * Accepts an activity from the client: checks it, stores and echoes it as sent by the token's
   * user (whatever `from` says), then runs the bot's turn. Resolves with the activity id once the
   * bot has answered, like the official service does when the bot acknowledges.
   */
  async post(claims: TokenClaims, conversationId: string, body: unknown): Promise<{ id: string }> {
    this.authorize(claims, conversationId);
    const problem = clientActivityProblem(body);
    if (problem) throw new DirectLineError(400, 'BadArgument', problem);
    const a = body as Partial<Activity>;
    if (a.type === ActivityTypes.Typing) {
      this.deps.store.publishEphemeral(conversationId, { type: ActivityTypes.Typing, from: { id: claims.user, name: 'You', role: 'user' }, conversation: { id: conversationId } as Activity['conversation'] });
      return { id: '' };
    }
    const from = { id: claims.user, name: typeof a.from?.name === 'string' ? a.from.name.slice(0, 100) : 'You', role: 'user' };
    const activity: Partial<Activity> = {
      type: a.type,
      text: a.text,
      textFormat: a.textFormat,
      value: a.value,
      name: a.name,
      locale: typeof a.locale === 'string' ? a.locale.slice(0, 20) : undefined,
      attachments: a.attachments,
      entities: a.entities,
      channelData: a.channelData,
      ...this.addressing(conversationId, claims.user, from),
    };
    limitText(activity);
    // The history (directline.json, every poll and socket) keeps a redacted copy: a password or card
    // number the customer typed must not be persisted. The turn gets the original, so the privacy
    // middleware still sees the secret and warns the customer (and redacts it for everything after).
    const stored = this.deps.store.append(conversationId, redactActivity(activity));
    await this.runTurn({ ...activity, id: stored.id, timestamp: new Date(stored.timestamp as unknown as string), localTimestamp: a.localTimestamp ? new Date(a.localTimestamp) : undefined });
    return { id: stored.id ?? '' };
  }

  /**
   * Sends activities to a Direct Line conversation outside any user turn (a case was resolved, a
   * person replied). Runs through the shared middleware like any turn, so transcripts see it.
   * Refuses references of other channels and conversations that no longer exist.
   */
  async sendProactive(reference: Partial<ConversationReference>, activities: Array<Partial<Activity> | string>): Promise<string[]> {
    const conversationId = reference.conversation?.id;
    if (!isDirectLineReference(reference) || !conversationId) throw new Error('[DirectLineService]: the reference is not a Direct Line conversation');
    if (!this.deps.store.get(conversationId)) throw new Error(`[DirectLineService]: conversation ${conversationId} no longer exists`);
    const ids: string[] = [];
    await this.deps.turns.run(conversationId, () => this.deps.adapter.continueConversation(reference, async (context) => {
      for (const r of await context.sendActivities(activities.map((x) => (typeof x === 'string' ? { type: ActivityTypes.Message, text: x } : x)))) ids.push(r.id);
    }));
    return ids;
  }

  /** A conversation reference for `conversationId`, as a dialog would store it for `sendProactive`. */
  reference(conversationId: string): Partial<ConversationReference> | undefined {
    const c = this.deps.store.get(conversationId);
    if (!c) return undefined;
    return TurnContext.getConversationReference(this.addressing(conversationId, c.userId, { id: c.userId, name: 'You', role: 'user' }) as Activity);
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

  private async runTurn(activity: Partial<Activity>): Promise<void> {
    const conversationId = activity.conversation!.id;
    try {
      await this.deps.turns.run(conversationId, () => this.deps.adapter.processActivity(activity, this.deps.logic));
    } catch (err) {
      // onTurnError already apologised and reset state; this is the last line of defence
      this.deps.logger.error({ err, conversationId, channelId: DIRECTLINE_CHANNEL_ID }, 'direct line turn failed');
    }
  }
}

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
  if (a.entities !== undefined && !Array.isArray(a.entities)) return '"entities" must be an array.';
  if (a.channelData !== undefined && (typeof a.channelData !== 'object' || a.channelData === null)) return '"channelData" must be an object.';
  return undefined;
}
