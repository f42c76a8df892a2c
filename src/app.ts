import { join } from 'node:path';
import { ConversationState, UserState, type Middleware } from 'botbuilder';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { Content } from './content/content.js';
import { IntentRecognizer } from './nlu/recognizer.js';
import { LowdbStorage } from './storage/lowdbStorage.js';
import { createAdapter, type TurnDeps } from './adapter.js';
import { KeyedQueue } from './util/keyedQueue.js';
import { SupportBot } from './bot.js';
import { MainDialog } from '../dialogs/mainDialog.js';
import { MemoryCaseStore } from './cases/memoryCaseStore.js';
import type { CaseStore, Handoff } from './cases/types.js';
import { LowdbFeedbackStore, type FeedbackStore } from './conversation/feedbackStore.js';
import { FrustrationDetector } from './conversation/frustration.js';
import { ProgressAccessor } from './conversation/progress.js';
import { createServer, type HttpServer } from './server.js';
import { createDirectLine, type DirectLine } from './directline/index.js';
import { mountWeb } from './web/routes.js';
import { channelMiddleware } from './channels/index.js';

/** Everything the running service is made of, wired once. */
export interface App {
  config: Config;
  logger: Logger;
  content: Content;
  recognizer: IntentRecognizer;
  storage: LowdbStorage;
  /** Support cases (see `BotServices.cases`). */
  cases: CaseStore;
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
  /** Support cases opened by escalation and read by the case-status dialog. */
  cases: CaseStore;
  /** "Was your problem solved?" answers, for analytics. */
  feedback: FeedbackStore;
  bot: SupportBot;
  /** Shared by every adapter: middleware and error handling (see `configureAdapter`). */
  turnDeps: TurnDeps;
  /** Serialises turns per conversation id across every transport. */
  turns: KeyedQueue;
}

/** Wires config → content → recognizer → stores → dialogs → bot. */
export async function createBotServices(config: Config, logger: Logger): Promise<BotServices> {
  const content = Content.load(config.contentDir);
  const recognizer = IntentRecognizer.fromDirectory(config.intentsDir, { threshold: config.nluThreshold });
  logger.info({ intents: recognizer.intentCount, trainMs: Math.round(recognizer.trainMs) }, 'recognizer trained');
  const storage = await LowdbStorage.open(join(config.dataDir, 'state.json'));
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  // integrator: replace with the lowdb store
  const cases: CaseStore = new MemoryCaseStore();
  // integrator: replace with the real hand-off
  const handoff: Handoff = { initiate: async () => {} };
  const feedback = await LowdbFeedbackStore.open(join(config.dataDir, 'feedback.json'));
  const frustration = FrustrationDetector.load(join(config.contentDir, 'frustration.yml'));
  const dialog = new MainDialog({
    recognizer, content, cases, handoff, feedback, frustration, progress: new ProgressAccessor(conversationState),
    onError: (err, what) => logger.warn({ err }, `${what} failed`),
  });
  const bot = new SupportBot(conversationState, userState, dialog, content);
  const middleware: Middleware[] = [...channelMiddleware(conversationState)];
  return {
    content, recognizer, storage, conversationState, userState, cases, feedback, bot,
    turnDeps: { logger, conversationState, content, middleware },
    turns: new KeyedQueue(),
  };
}

/** Wires the bot services → adapter → HTTP server. */
export async function createApp(config: Config, logger: Logger): Promise<App> {
  const services = await createBotServices(config, logger);
  const { content, recognizer, storage, bot, cases } = services;
  const adapter = createAdapter(config, services.turnDeps);
  const http = createServer({ config, logger, adapter, bot, turns: services.turns, health: () => ({ intents: recognizer.intentCount }) });
  const directLine = await createDirectLine({ config, logger, services, server: http.server });
  mountWeb({ server: http.server, config, brand: content.brand });

  let closing: Promise<void> | undefined;
  return {
    config, logger, content, recognizer, storage, cases, bot, http, directLine,
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
      await storage.flush();
      await directLine.flush();
    })()),
  };
}
