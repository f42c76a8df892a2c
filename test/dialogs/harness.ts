import { cardActions } from '../channels/fixtures.js';
import { join } from 'node:path';
import { expect } from 'chai';
import { ActivityTypes, CardFactory, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { Content } from '../../src/content/content.js';
import { IntentRecognizer } from '../../src/nlu/recognizer.js';
import type { ServingRecognizer } from '../../src/nlu/recognizerHolder.js';
import type { CaseRecord, Handoff } from '../../src/cases/types.js';
import type { CaseStore } from '../../src/storage/caseStore.js';
import type { FeedbackStore } from '../../src/storage/feedbackStore.js';
import type { Stores } from '../../src/storage/stores.js';
import { openEmbeddedStores } from '../../src/storage/embedded/index.js';
import { FrustrationDetector } from '../../src/conversation/frustration.js';
import { createBot } from '../../src/createBot.js';
import { tempDir } from '../support/server.js';
import { sharedRecognizer } from '../support/recognizer.js';

export const config = loadConfig({});
export const content = Content.load(config.contentDir);
/** The real recognizer, trained once for all tests in the process (training is the slow part). */
export function recognizer(): IntentRecognizer {
  return sharedRecognizer();
}

const frustration = FrustrationDetector.load(join(config.contentDir, 'frustration.yml'));
const quiet = createLogger('silent');

/** A hand-off that records what it was asked to do (the hand-off itself is tested through the server). */
export class RecordingHandoff implements Handoff {
  readonly calls: Array<{ conversationId: string; record: CaseRecord; storedFirst: boolean }> = [];
  fail = false;
  constructor(private cases: CaseStore) {}
  /** The same recorder, checking against another case store (after a restart). */
  on(cases: CaseStore): this { this.cases = cases; return this; }
  async initiate(context: TurnContext, record: CaseRecord): Promise<void> {
    this.calls.push({ conversationId: context.activity.conversation.id, record, storedFirst: !!(await this.cases.get(record.number)) });
    if (this.fail) throw new Error('agent desk unreachable');
  }
}

/** What the bot sent in one turn. */
export interface Turn {
  activities: Partial<Activity>[];
  /** Every message's text (hero-card text included), joined. */
  text: string;
  /** The buttons of the last message that had any (suggested actions, hero or Adaptive Card). */
  buttons: string[];
}

export interface ChatOptions {
  /** The embedded stores' folder (a new temp folder by default). */
  dataDir?: string;
  channelId?: string;
  userId?: string;
  conversationId?: string;
  cases?: CaseStore;
  feedback?: FeedbackStore;
  handoff?: Handoff;
  /** The trained recognizer by default; any `ServingRecognizer` (a test's own) otherwise. */
  recognizer?: ServingRecognizer;
  content?: Content;
  /** Send trace activities (Emulator-style) through. */
  traces?: boolean;
  /** The locale the channel sends with every customer activity (none by default). */
  locale?: string;
  /** Hand off through the real live chat (queue, nobody on duty…) instead of recording it. */
  liveChat?: boolean;
}

/**
 * One customer's conversation with the real bot, composed exactly as the server composes it
 * (`createBot`: dialogs, middleware, recognizer, content, the embedded stores in a temp folder),
 * through botbuilder's TestAdapter. `restart()` throws the bot and its stores away and opens new
 * ones on the same folder, as a server restart does. The hand-off is recorded, not performed.
 */
export class Chat {
  readonly dataDir: string;
  cases!: CaseStore;
  feedback!: FeedbackStore;
  handoff!: Handoff;
  readonly log: string[] = [];
  /** Failures the dialogs reported without breaking the turn (hand-off, feedback). */
  readonly errors: Array<{ err: unknown; what: string }> = [];
  private adapter!: TestAdapter;
  stores?: Stores;
  /** Every activity of the last turn, traces included. */
  lastActivities: Partial<Activity>[] = [];

  private constructor(readonly opts: ChatOptions) {
    this.dataDir = opts.dataDir ?? join(tempDir('dialogs-'), 'data');
  }

  /** Closes the stores (the folder stays, for a later `restart`). */
  async close(): Promise<void> { await this.stores?.close(); this.stores = undefined; }

  static async open(opts: ChatOptions = {}): Promise<Chat> {
    const chat = new Chat(opts);
    await chat.restart();
    return chat;
  }

  get recordingHandoff(): RecordingHandoff { return this.handoff as RecordingHandoff; }

  /** A fresh bot and stores on the same folder. */
  async restart(): Promise<void> {
    await this.stores?.close();
    this.stores = await openEmbeddedStores(this.dataDir);
    this.cases = this.opts.cases ?? this.stores.cases;
    this.feedback = this.opts.feedback ?? this.stores.feedback;
    this.handoff = this.opts.handoff ?? (this.handoff instanceof RecordingHandoff ? this.handoff.on(this.cases) : new RecordingHandoff(this.cases));
    const { turns } = createBot({
      content: this.opts.content ?? content, recognizer: this.opts.recognizer ?? recognizer(), frustration,
      stores: { ...this.stores, cases: this.cases, feedback: this.feedback }, logger: quiet, handoff: this.opts.liveChat ? undefined : this.handoff,
      onDialogError: (err, what) => { this.errors.push({ err, what }); },
    });
    this.adapter = turns.configure(new TestAdapter((ctx) => turns.logic(ctx), {
      channelId: this.opts.channelId ?? 'webchat',
      conversation: { id: this.opts.conversationId ?? 'conv-1', isGroup: false, conversationType: 'personal', name: 'test' },
      from: { id: this.opts.userId ?? 'user-1', name: 'Customer' },
      recipient: { id: 'bot', name: 'Bot' },
    }, this.opts.traces ?? false));
    // a failing turn fails the test (the server's handler would apologise and carry on)
    this.adapter.onTurnError = async (_ctx, err) => { throw err; };
    this.adapter.use({
      onTurn: async (ctx, next) => {
        ctx.onSendActivities(async (_c, acts, go) => { for (const a of acts) if (a.type === 'message') this.log.push(`send:${textOf(a)}`); return go(); });
        await next();
      },
    });
  }

  /** The customer says something (with the chat's locale, or `locale`); resolves with everything the bot sent back. */
  async say(text: string, locale = this.opts.locale): Promise<Turn> {
    await this.adapter.receiveActivity({ type: ActivityTypes.Message, text, ...(locale ? { locale } : {}) });
    return this.drain();
  }

  /** The customer joins the conversation. */
  async join(): Promise<Turn> {
    await this.adapter.receiveActivity({ type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: this.opts.userId ?? 'user-1', name: 'Customer' }], ...(this.opts.locale ? { locale: this.opts.locale } : {}) });
    return this.drain();
  }

  private drain(): Turn {
    const activities = this.adapter.activeQueue.splice(0);
    this.lastActivities = activities;
    const messages = activities.filter((a) => a.type === 'message');
    const withButtons = [...messages].reverse().find((a) => buttonsOf(a).length);
    return { activities, text: messages.map(textOf).join('\n'), buttons: withButtons ? buttonsOf(withButtons) : [] };
  }
}

export function textOf(a: Partial<Activity>): string {
  const card = (a.attachments ?? []).find((x) => x.contentType === CardFactory.contentTypes.heroCard)?.content as { text?: string } | undefined;
  return [a.text, card?.text].filter(Boolean).join('\n');
}

export function buttonsOf(a: Partial<Activity>): string[] {
  const card = (a.attachments ?? []).find((x) => x.contentType === CardFactory.contentTypes.heroCard)?.content as { buttons?: Array<{ title: string }> } | undefined;
  return [...(a.suggestedActions?.actions ?? []).map((x) => x.title), ...(card?.buttons ?? []).map((b) => b.title), ...cardActions(a).map((b) => b.title)];
}

/** `[customer says, reply must contain, reply must offer these buttons]`. */
export type Row = [string, string | RegExp, string[]?];

/** Plays a turn table, failing on the first row whose reply does not match. */
export async function play(chat: Chat, rows: Row[]): Promise<Turn> {
  let last: Turn | undefined;
  for (const [i, [says, contains, offers]] of rows.entries()) {
    last = await chat.say(says);
    const where = `row ${i + 1} ("${says}") got: ${JSON.stringify(last.text)} buttons ${JSON.stringify(last.buttons)}`;
    if (typeof contains === 'string') expect(last.text, where).to.include(contains);
    else expect(last.text, where).to.match(contains);
    if (offers) expect(last.buttons, where).to.include.members(offers);
  }
  return last!;
}

/** The message at `key` with placeholders filled (no variants), for assertions. */
export const t = (key: string, vars: Record<string, string | number> = {}): string => content.text(key, vars);
/** The start of a message, up to its first placeholder: enough to recognise it. */
export const head = (key: string): string => content.list(key)[0].split('{')[0].slice(0, 60).trim();
/** A button's title. */
export const b = (id: string): string => content.text(`choice.${id}.title`);
/** A menu button's title. */
export const m = (intent: string): string => content.text(`menu.${intent}`);
