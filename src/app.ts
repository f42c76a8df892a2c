import { join } from 'node:path';
import { ConversationState, TranscriptLoggerMiddleware, UserState, type Middleware } from 'botbuilder';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { Content } from './content/content.js';
import { IntentRecognizer } from './nlu/recognizer.js';
import { LowdbStorage } from './storage/lowdbStorage.js';
import { createAdapter, type TurnDeps } from './adapter.js';
import { KeyedQueue } from './util/keyedQueue.js';
import { SupportBot } from './bot.js';
import { MainDialog } from '../dialogs/mainDialog.js';
import { LowdbFeedbackStore, type FeedbackStore } from './conversation/feedbackStore.js';
import { FrustrationDetector } from './conversation/frustration.js';
import { ProgressAccessor } from './conversation/progress.js';
import { createServer, type HttpServer } from './server.js';
import { createDirectLine, isDirectLineReference, type DirectLine } from './directline/index.js';
import { mountWeb } from './web/routes.js';
import { channelMiddleware } from './channels/index.js';
import { LowdbCaseStore } from './cases/lowdbCaseStore.js';
import type { Handoff } from './cases/types.js';
import { LowdbTranscriptStore } from './transcripts/lowdbTranscriptStore.js';
import { startRetention, transcriptLogger } from './transcripts/transcripts.js';
import { SensitiveDataMiddleware } from './privacy/sensitiveDataMiddleware.js';
import { BotFrameworkHandoff } from './handoff/botFrameworkHandoff.js';
import { HandoffMiddleware } from './handoff/handoffMiddleware.js';
import { HandoffQueue } from './handoff/handoffState.js';
import { registerAdminRoutes, type Notifier } from './admin/adminRoutes.js';

/** Everything the running service is made of, wired once. */
export interface App {
  config: Config;
  logger: Logger;
  content: Content;
  recognizer: IntentRecognizer;
  storage: LowdbStorage;
  cases: LowdbCaseStore;
  transcripts: LowdbTranscriptStore;
  bot: SupportBot;
  http: HttpServer;
  /** Self-hosted Direct Line for the web widget; `directLine.sendProactive` messages a web customer later. */
  directLine: DirectLine;
  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number>;
  /** Stops accepting, waits for in-flight requests (up to the shutdown timeout) and flushes stores. */
  close(): Promise<void>;
}

/** The bot and what it needs, without any transport: shared by the server and `npm run chat`. */
export interface BotServices {
  content: Content;
  recognizer: IntentRecognizer;
  storage: LowdbStorage;
  conversationState: ConversationState;
  userState: UserState;
  /** "Was your problem solved?" answers, for analytics. */
  feedback: FeedbackStore;
  bot: SupportBot;
  /** Shared by every adapter: middleware and error handling (see `configureAdapter`). */
  turnDeps: TurnDeps;
  /** Serialises turns per conversation id across every transport. */
  turns: KeyedQueue;
  /** Support cases opened by escalation and read by the case-status dialog (`DATA_DIR/cases.json`). */
  cases: LowdbCaseStore;
  /** Redacted transcripts of every conversation (`DATA_DIR/transcripts.json`). */
  transcripts: LowdbTranscriptStore;
  /** Hands a conversation to a person (`handoff.initiate`). */
  handoff: Handoff;
}

/** Wires config → content → recognizer → stores → dialogs → bot. */
export async function createBotServices(config: Config, logger: Logger): Promise<BotServices> {
  const content = Content.load(config.contentDir);
  const recognizer = IntentRecognizer.fromDirectory(config.intentsDir, { threshold: config.nluThreshold });
  logger.info({ intents: recognizer.intentCount, trainMs: Math.round(recognizer.trainMs), lexiconMs: Math.round(recognizer.lexiconMs) }, 'recognizer trained');
  const storage = await LowdbStorage.open(join(config.dataDir, 'state.json'));
  // a corrupt store file stops start-up here (StoreFileError names the file), untouched
  const cases = await LowdbCaseStore.open(join(config.dataDir, 'cases.json'));
  const transcripts = await LowdbTranscriptStore.open(join(config.dataDir, 'transcripts.json'));
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const handoffQueue = new HandoffQueue();
  const handoff: Handoff = new BotFrameworkHandoff({ conversationState, transcripts, queue: handoffQueue });
  const feedback = await LowdbFeedbackStore.open(join(config.dataDir, 'feedback.json'));
  const frustration = FrustrationDetector.load(join(config.contentDir, 'frustration.yml'));
  const dialog = new MainDialog({
    recognizer, content, cases, handoff, feedback, frustration, progress: new ProgressAccessor(conversationState),
    onError: (err, what) => logger.warn({ err }, `${what} failed`),
  });
  const bot = new SupportBot(conversationState, userState, dialog, content);
  // Order: a typed secret is hidden before the transcript copies the message; the transcript
  // records every activity of every turn (queue answers and warnings too);
  // channel middleware then normalises the message (mentions, typed choices) and shows typing;
  // the privacy warning comes before anything answers; a queued customer never reaches the bot.
  const privacy = new SensitiveDataMiddleware(content, logger, conversationState);
  const middleware: Middleware[] = [
    privacy.redactor,
    new TranscriptLoggerMiddleware(transcriptLogger(transcripts, logger)),
    ...channelMiddleware(conversationState),
    privacy,
    new HandoffMiddleware({ conversationState, queue: handoffQueue, content, logger }),
  ];
  return {
    content, recognizer, storage, conversationState, userState, cases, feedback, bot, transcripts, handoff,
    turnDeps: { logger, conversationState, content, middleware },
    turns: new KeyedQueue(),
  };
}

/** Wires the bot services → adapter → HTTP server. */
export async function createApp(config: Config, logger: Logger): Promise<App> {
  const services = await createBotServices(config, logger);
  const { content, recognizer, storage, bot } = services;
  const adapter = createAdapter(config, services.turnDeps);
  const http = createServer({ config, logger, adapter, bot, turns: services.turns, health: () => ({ intents: recognizer.intentCount }) });
  const directLine = await createDirectLine({ config, logger, services, server: http.server });
  mountWeb({ server: http.server, config, brand: content.brand });
  // Proactive messages go through the adapter that owns the reference's channel (the web widget's
  // Direct Line, or the Bot Framework channels), in turn with the conversation's other turns.
  // A failed send is caught here, not by the turn error handler, so the caller learns of it.
  const notify: Notifier = (reference, text) => isDirectLineReference(reference)
    ? directLine.sendProactive(reference, [{ type: 'message', text }]).then(() => undefined)
    : services.turns.run(reference.conversation?.id ?? '', async () => {
    let failure: unknown;
    await adapter.continueConversationAsync(config.microsoftApp.appId || '', reference, async (context) => {
      try { await context.sendActivity(text); } catch (err) { failure = err; }
    });
    if (failure) throw failure;
  });
  registerAdminRoutes(http.server, { token: config.adminToken, cases: services.cases, transcripts: services.transcripts, notify, content, logger, maxBodyBytes: config.maxBodyBytes });
  const retention = startRetention(services.transcripts, { days: config.transcriptRetentionDays, logger });
  // conversation state of chats idle longer than transcripts are kept goes too (state.json stays small)
  const stateRetention = startRetention(storage, { days: config.transcriptRetentionDays, logger, what: 'conversation state' });

  let closing: Promise<void> | undefined;
  return {
    config, logger, content, recognizer, storage, bot, http, directLine, cases: services.cases, transcripts: services.transcripts,
    listen: () => new Promise((resolve, reject) => {
      http.server.once('error', reject);
      http.server.listen(config.port, config.host, () => {
        const addr = http.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : config.port);
      });
    }),
    close: () => (closing ??= (async () => {
      await directLine.close();
      const deadline = Date.now() + config.shutdownTimeoutMs;
      const closed = new Promise<void>((resolve) => http.server.close(() => resolve()));
      // idle keep-alive sockets would hold close() open until they time out
      http.server.server.closeIdleConnections();
      while (http.inFlight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      http.server.server.closeAllConnections();
      await closed;
      retention.stop();
      stateRetention.stop();
      await Promise.all([storage.flush(), services.cases.flush(), services.transcripts.flush(), directLine.flush()]);
    })()),
  };
}
