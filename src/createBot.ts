import { AutoSaveStateMiddleware, TranscriptLoggerMiddleware, type BotAdapter, type ConversationState, type Middleware, type TurnContext } from 'botbuilder';
import type { Logger } from './logger.js';
import type { Content } from './content/content.js';
import type { ServingRecognizer } from './nlu/recognizerHolder.js';
import type { FrustrationDetector } from './conversation/frustration.js';
import type { Stores } from './storage/stores.js';
import type { Handoff } from './cases/types.js';
import { ConditionalConversationState } from './storage/conditionalState.js';
import { StateConflictError, StoreUnavailableError } from './storage/errors.js';
import { SupportBot } from './bot.js';
import { MainDialog } from '../dialogs/mainDialog.js';
import { ProgressAccessor } from './conversation/progress.js';
import { channelMiddleware } from './channels/index.js';
import { transcriptLogger } from './transcripts/transcripts.js';
import { LanguageMiddleware } from './nlu/languageMiddleware.js';
import { turnLanguage } from './nlu/turnLanguage.js';
import { DEFAULT_LANGUAGE, languageOfLocale } from './content/languages.js';
import { SensitiveDataMiddleware } from './privacy/sensitiveDataMiddleware.js';
import { HandoffMiddleware } from './handoff/handoffMiddleware.js';
import { LiveHandoff } from './handoff/liveHandoff.js';
import { handoffAccessor } from './handoff/handoffState.js';
import { LiveChat, type HandBack } from './handoff/liveChat.js';
import { conversationKey, type TurnPort } from './turns.js';
import { DeliveryError } from './channels/delivery.js';
import { countOpenedCases, traced, TurnTelemetry, type Metrics } from './telemetry/index.js';
import { OutcomeMiddleware } from './insights/outcomeMiddleware.js';
import { HandoffOutcomeRecorder } from './insights/handoffOutcomes.js';

/** What the bot is built from: content, the recognizer, and the parts of the stores it uses. */
export interface BotDeps {
  content: Content;
  recognizer: ServingRecognizer;
  frustration: FrustrationDetector;
  stores: Pick<Stores, 'state' | 'cases' | 'transcripts' | 'feedback' | 'handoffs' | 'staff' | 'deskSessions' | 'bus' | 'lock' | 'outcomes'>;
  logger: Logger;
  /** The live chat with a person (built in `src/app.ts` with the desk's settings); default: the built-in desk with default settings. */
  live?: LiveChat;
  /** Whether `handoff.status` events reaching the bot come from an authenticated channel (channel authentication on). */
  statusEventsTrusted?: boolean;
  /** How a conversation reaches a person (default: the live chat); tests record it instead. */
  handoff?: Handoff;
  /** Told of failures the dialogs survive (feedback, hand-off); default: logged as warnings. */
  onDialogError?: (err: unknown, what: string) => void;
  /** Where turns, cases and hand-off waits are counted (none: not measured). */
  metrics?: Metrics;
  /** The clock outcome events are stamped with (tests set it). */
  now?: () => Date;
}

/** The bot and how transports run it. */
export interface BotCore {
  bot: SupportBot;
  conversationState: ConversationState;
  turns: TurnPort;
  /** The live chat the bot hands conversations to (attached to the bot). */
  live: LiveChat;
}

/**
 * Builds the bot from its parts (no I/O: stores are opened by the caller): dialogs, the turn
 * middleware in order, the turn error handler, and the `TurnPort` transports use.
 */
export function createBot(deps: BotDeps): BotCore {
  const { content, recognizer, frustration, stores, logger, metrics } = deps;
  const conversationState = new ConditionalConversationState(stores.state);
  const live = deps.live ?? new LiveChat({
    stores, content, logger, outcomes: new HandoffOutcomeRecorder({ outcomes: stores.outcomes, logger, now: deps.now }),
    options: { maxChatsPerAgent: 3, waitLimitMs: 10 * 60_000, presenceMs: 90_000 },
  });
  const handoff = deps.handoff ?? new LiveHandoff(live, conversationState);
  const cases = metrics ? countOpenedCases(stores.cases, metrics) : stores.cases;
  const dialog = new MainDialog({
    recognizer, content, cases, handoff, feedback: stores.feedback, frustration, progress: new ProgressAccessor(conversationState),
    onError: deps.onDialogError ?? ((err, what) => logger.warn({ err }, `${what} failed`)),
  });
  const bot = new SupportBot(conversationState, dialog, content);
  // the end of a hand-off, in a turn of the customer's conversation: the mark goes, and the bot
  // picks up where it is told (the goodbye's "was your problem solved?", or other ways to reach us)
  const handBack: HandBack = async (context, then) => {
    await handoffAccessor(conversationState).delete(context);
    if (then) await bot.startDialog(context, then.dialogId, then.options);
  };
  live.attachBot(handBack);
  // Order: the turn is measured as a whole (state saving included);
  // state is saved once, when everything else in the turn is done (not on a failed turn);
  // a typed secret is hidden before the transcript copies the message;
  // the transcript records every activity of every turn (queue answers and warnings too);
  // channel middleware then normalises the message (mentions, typed choices) and shows typing;
  // the turn's language is set once the message is clean and before anything answers;
  // the privacy warning comes before anything answers; every customer message is counted (its
  // text already redacted), a queued customer's too; a queued customer never reaches the bot.
  const privacy = new SensitiveDataMiddleware(content, logger, conversationState);
  const middleware: Middleware[] = [
    ...(metrics ? [new TurnTelemetry(metrics, logger)] : []),
    new AutoSaveStateMiddleware(conversationState),
    privacy.redactor,
    new TranscriptLoggerMiddleware(transcriptLogger(stores.transcripts, logger)),
    // no "typing…" in a conversation handed to a person: the bot will not answer there
    ...channelMiddleware(conversationState, { quiet: async (context) => Boolean(await handoffAccessor(conversationState).get(context)) }),
    new LanguageMiddleware({ conversationState, identifier: recognizer.languageId, content }),
    privacy,
    new OutcomeMiddleware({ conversationState, outcomes: stores.outcomes, logger, now: deps.now }),
    new HandoffMiddleware({ conversationState, live, content, logger, statusEventsTrusted: deps.statusEventsTrusted ?? false }),
  ];
  const turns: TurnPort = {
    inConversation: (channelId, conversationId, work) => stores.lock.run(conversationKey(channelId, conversationId), work),
    logic: (context) => traced('dialog', {}, () => bot.run(context)),
    configure: <A extends BotAdapter>(adapter: A): A => {
      for (const m of middleware) adapter.use(m);
      adapter.onTurnError = (context, error) => handleTurnError(context, error, { logger, conversationState, content });
      return adapter;
    },
  };
  return { bot, conversationState, turns, live };
}

/**
 * One turn-level error handler. A store that cannot answer (a lost database, a full disk, a busy
 * conversation) is passed on, so the transport answers 503 and the customer's next message finds
 * the conversation as it was; a reply the channel did not take is logged once, and nothing is
 * cleared. Anything else is a bug: log, apologise (in the turn's language), and clear the
 * conversation's state so the next message starts clean (a wedged dialog would otherwise fail
 * every turn).
 */
export async function handleTurnError(context: TurnContext, error: Error, deps: { logger: Logger; conversationState: ConversationState; content: Content }): Promise<void> {
  const where = { conversationId: context.activity.conversation?.id, channelId: context.activity.channelId };
  if (error instanceof StoreUnavailableError) {
    deps.logger.warn({ ...where, reason: error.message }, 'turn not run: a store is unavailable');
    throw error;
  }
  if (error instanceof DeliveryError) {
    deps.logger.warn({ ...where, reason: error.message }, 'the channel did not take the reply; the conversation is kept as it was');
    return;
  }
  const conflict = error instanceof StateConflictError;
  deps.logger.error({ err: error, ...where }, conflict ? 'turn lost a state conflict' : 'turn failed');
  try {
    await context.sendTraceActivity('OnTurnError Trace', error.message, 'https://www.botframework.com/schemas/error', 'TurnError');
    // the handler runs after the turn's language scope has ended: the turn's language is read back
    const language = turnLanguage(context)?.language ?? languageOfLocale(context.activity.locale) ?? DEFAULT_LANGUAGE;
    await context.sendActivity(deps.content.in(language).text('error.apology'));
  } catch (e) {
    deps.logger.warn({ err: e }, 'could not send the apology');
  }
  // a conflict means another turn saved newer state: that state is kept
  if (conflict) return;
  try {
    await deps.conversationState.delete(context);
  } catch (e) {
    deps.logger.warn({ err: e }, 'could not clear the conversation state');
  }
}
