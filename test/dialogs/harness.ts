import { cardActions } from '../channels/fixtures.js';
import { join } from 'node:path';
import { expect } from 'chai';
import { ActivityTypes, CardFactory, ConversationState, TestAdapter, UserState, type Activity, type TurnContext } from 'botbuilder';
import { loadConfig } from '../../src/config.js';
import { Content } from '../../src/content/content.js';
import { IntentRecognizer } from '../../src/nlu/recognizer.js';
import { LowdbStorage } from '../../src/storage/lowdbStorage.js';
import { MemoryCaseStore } from '../../src/cases/memoryCaseStore.js';
import type { CaseRecord, CaseStore, Handoff } from '../../src/cases/types.js';
import { MemoryFeedbackStore, type FeedbackStore } from '../../src/conversation/feedbackStore.js';
import { FrustrationDetector } from '../../src/conversation/frustration.js';
import { ProgressAccessor } from '../../src/conversation/progress.js';
import { SupportBot } from '../../src/bot.js';
import { MainDialog } from '../../dialogs/mainDialog.js';
import { channelMiddleware } from '../../src/channels/index.js';
import { SensitiveDataMiddleware } from '../../src/privacy/sensitiveDataMiddleware.js';
import { tempDir } from '../support/server.js';

export const config = loadConfig({});
export const content = Content.load(config.contentDir);
let shared: IntentRecognizer | undefined;
/** The real recognizer, trained once for all dialog tests (training is the slow part). */
export function recognizer(): IntentRecognizer {
  return (shared ??= IntentRecognizer.fromDirectory(config.intentsDir, { threshold: config.nluThreshold }));
}

/** A hand-off that records what it was asked to do (the real one is another engineer's). */
export class RecordingHandoff implements Handoff {
  readonly calls: Array<{ conversationId: string; record: CaseRecord; storedFirst: boolean }> = [];
  fail = false;
  constructor(private readonly cases: CaseStore) {}
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
  file?: string;
  channelId?: string;
  userId?: string;
  conversationId?: string;
  cases?: CaseStore;
  feedback?: FeedbackStore;
  handoff?: Handoff;
  recognizer?: IntentRecognizer;
  content?: Content;
  /** Send trace activities (Emulator-style) through. */
  traces?: boolean;
  /**
   * Run the app's message middleware too, in the app's order: channel handling (typed choices,
   * mentions, card submits) and the privacy screen that redacts secrets before the bot reads them.
   */
  appMiddleware?: boolean;
}

/**
 * One customer's conversation with the real bot (main dialog, recognizer, content, lowdb state
 * on a temp file) through botbuilder's TestAdapter. `restart()` throws the bot and its storage
 * away and builds new ones on the same file, as a server restart does.
 */
export class Chat {
  readonly file: string;
  readonly cases: CaseStore;
  readonly feedback: FeedbackStore;
  readonly handoff: Handoff;
  readonly log: string[] = [];
  /** Failures the dialogs reported without breaking the turn (hand-off, feedback). */
  readonly errors: Array<{ err: unknown; what: string }> = [];
  private adapter!: TestAdapter;
  storage!: LowdbStorage;
  /** Every activity of the last turn, traces included. */
  lastActivities: Partial<Activity>[] = [];

  private constructor(readonly opts: ChatOptions) {
    this.file = opts.file ?? join(tempDir('dialogs-'), 'state.json');
    this.cases = opts.cases ?? new MemoryCaseStore();
    this.feedback = opts.feedback ?? new MemoryFeedbackStore();
    this.handoff = opts.handoff ?? new RecordingHandoff(this.cases);
  }

  static async open(opts: ChatOptions = {}): Promise<Chat> {
    const chat = new Chat(opts);
    await chat.restart();
    return chat;
  }

  get recordingHandoff(): RecordingHandoff { return this.handoff as RecordingHandoff; }

  /** A fresh bot and storage on the same state file. */
  async restart(): Promise<void> {
    this.storage = await LowdbStorage.open(this.file);
    const conversationState = new ConversationState(this.storage);
    const userState = new UserState(this.storage);
    const c = this.opts.content ?? content;
    const dialog = new MainDialog({
      recognizer: this.opts.recognizer ?? recognizer(), content: c, cases: this.cases, handoff: this.handoff, feedback: this.feedback,
      frustration: FrustrationDetector.load(join(config.contentDir, 'frustration.yml')), progress: new ProgressAccessor(conversationState),
      onError: (err, what) => { this.errors.push({ err, what }); },
    });
    const bot = new SupportBot(conversationState, userState, dialog, c);
    this.adapter = new TestAdapter((ctx) => bot.run(ctx), {
      channelId: this.opts.channelId ?? 'webchat',
      conversation: { id: this.opts.conversationId ?? 'conv-1', isGroup: false, conversationType: 'personal', name: 'test' },
      from: { id: this.opts.userId ?? 'user-1', name: 'Customer' },
      recipient: { id: 'bot', name: 'Bot' },
    }, this.opts.traces ?? false);
    this.adapter.onTurnError = async (_ctx, err) => { throw err; };
    if (this.opts.appMiddleware) this.adapter.use(...channelMiddleware(conversationState), new SensitiveDataMiddleware(c));
    this.adapter.use({
      onTurn: async (ctx, next) => {
        ctx.onSendActivities(async (_c, acts, go) => { for (const a of acts) if (a.type === 'message') this.log.push(`send:${textOf(a)}`); return go(); });
        await next();
      },
    });
  }

  /** The customer says something; resolves with everything the bot sent back. */
  async say(text: string): Promise<Turn> {
    await this.adapter.receiveActivity({ type: ActivityTypes.Message, text });
    return this.drain();
  }

  /** The customer joins the conversation. */
  async join(): Promise<Turn> {
    await this.adapter.receiveActivity({ type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: this.opts.userId ?? 'user-1', name: 'Customer' }] });
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
