import { join } from 'node:path';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { Content } from './content/content.js';
import { IntentRecognizer } from './nlu/recognizer.js';
import { ModelCache } from './nlu/modelCache.js';
import { primeChoiceReading } from './text/matching.js';
import { FrustrationDetector } from './conversation/frustration.js';
import { openStores, type Stores } from './storage/index.js';
import { startRetention } from './storage/retention.js';
import { createBot, type BotCore } from './createBot.js';
import { createAdapter } from './adapter.js';
import { createServer, type HttpServer } from './server.js';
import { createDirectLine, isDirectLineReference, type DirectLine } from './directline/index.js';
import { mountWeb } from './web/routes.js';
import { registerAdminRoutes, type Notifier } from './admin/adminRoutes.js';
import { registerCustomerRoutes } from './admin/customerRoutes.js';
import { RateLimits } from './http/rateLimit.js';
import { runInLanguage } from './content/turnLanguage.js';
import { LiveChat, type ContinueConversation } from './handoff/liveChat.js';
import { WebhookConnector } from './handoff/connector.js';
import { isDeskTeam } from './handoff/teams.js';
import { mountDesk } from './desk/index.js';
import { RecognizerHolder } from './nlu/recognizerHolder.js';
import { adminTokenAuthenticator, type StaffAuthenticator } from './http/staffAccess.js';
import { registerInsightsRoutes } from './insights/routes.js';
import { mountSupervisorPages } from './insights/pages.js';
import { HandoffOutcomeRecorder } from './insights/handoffOutcomes.js';
import { Retrainer } from './review/retrainer.js';
import { TrainingData } from './review/labelling.js';
import { registerReviewRoutes } from './review/routes.js';
import { instrumentStores } from './storage/instrumented.js';
import { StoreCheck } from './storage/storeCheck.js';
import { createTelemetry, joinCallersTrace, mountMetrics, startMetricsServer, type MetricsServer, type Telemetry } from './telemetry/index.js';

/** Everything the running service is made of, wired once. */
export interface App {
  config: Config;
  logger: Logger;
  content: Content;
  /** The model serving now (retrained models are swapped in while the bot runs). */
  recognizer: RecognizerHolder;
  stores: Stores;
  core: BotCore;
  http: HttpServer;
  /** Self-hosted Direct Line for the web widget; `directLine.sendProactive` messages a web customer later. */
  directLine: DirectLine;
  /** The live chat with a person (the agent desk, or a contact centre). */
  live: LiveChat;
  /** Metrics, and tracing when configured (absent when the app was made without them). */
  telemetry?: Telemetry;
  /** Retrains the model from the review labels in the background. */
  retrainer: Retrainer;
  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number>;
  /** Stops accepting, waits for in-flight requests (up to the shutdown timeout) and closes the stores. */
  close(): Promise<void>;
}

/** The content, recognizer and frustration list from the project's files (validated: a bad file stops start-up naming it). */
export function loadKnowledge(config: Config, logger: Logger): { content: Content; recognizer: IntentRecognizer; frustration: FrustrationDetector } {
  const content = Content.load(config.contentDir);
  const cache = config.modelCacheDir ? new ModelCache(config.modelCacheDir, (problem) => logger.warn({ dir: config.modelCacheDir }, problem)) : undefined;
  const recognizer = IntentRecognizer.fromDirectory(config.intentsDir, { threshold: config.nluThreshold, cache });
  const choiceReadingMs = primeChoiceReading(content.languages);
  logger.info({
    intents: recognizer.intentCount, trainMs: Math.round(recognizer.trainMs), lexiconMs: Math.round(recognizer.lexiconMs), choiceReadingMs: Math.round(choiceReadingMs),
    models: cache ? (cache.stats.trained ? 'trained' : 'loaded from the model cache') : 'trained (no model cache)',
  }, 'recognizer ready');
  const frustration = FrustrationDetector.load(join(config.contentDir, 'frustration.yml'));
  return { content, recognizer, frustration };
}

/** What `createApp` may be told besides the configuration. */
export interface AppOptions {
  /** `false`: no metrics and no tracing at all (the overhead benchmark's baseline). */
  telemetry?: boolean;
  /** The clock outcome events are stamped with (moved by hand in tests of wait and handle times). */
  now?: () => Date;
}

/** Wires config → content and recognizer → telemetry → stores → bot → adapters → HTTP server (STYLE 6). */
export async function createApp(config: Config, logger: Logger, options: AppOptions = {}): Promise<App> {
  const knowledge = loadKnowledge(config, logger);
  const { content, frustration } = knowledge;
  const recognizer = new RecognizerHolder(knowledge.recognizer);
  const telemetry = options.telemetry === false || !config.telemetry.enabled ? undefined : createTelemetry(config, logger);
  let raw: Stores | undefined;
  try {
    // a store this build cannot use stops start-up here, naming the file or the database, untouched
    raw = await openStores(config, logger);
    // every store call is timed (and traced) by one wrapper, whatever the backend
    const stores = telemetry ? instrumentStores(raw, { operation: (store, op) => telemetry.metrics.storeOperation(store, op) }) : raw;
    return await assemble(config, logger, { content, recognizer, frustration, stores, raw, telemetry }, options);
  } catch (err) {
    await raw?.close().catch(() => undefined);
    await telemetry?.tracing?.shutdown();
    throw err;
  }
}

async function assemble(config: Config, logger: Logger, parts: { content: Content; recognizer: RecognizerHolder; frustration: FrustrationDetector; stores: Stores; raw: Stores; telemetry?: Telemetry }, options: AppOptions): Promise<App> {
  const { content, recognizer, stores, raw, telemetry } = parts;
  const metrics = telemetry?.metrics;
  const connector = config.handoffWebhook.url ? new WebhookConnector({
    url: config.handoffWebhook.url, secret: config.handoffWebhook.secret, teams: config.handoffWebhook.teams.filter(isDeskTeam),
    timeoutMs: config.connectorTimeoutMs, transcripts: stores.transcripts, logger,
  }) : undefined;
  const live = new LiveChat({
    stores, content, logger, connector, onAccepted: metrics && ((waited) => metrics.handoffAccepted(waited)),
    outcomes: new HandoffOutcomeRecorder({ outcomes: stores.outcomes, logger, now: options.now }),
    options: { maxChatsPerAgent: config.desk.maxChatsPerAgent, waitLimitMs: config.desk.waitLimitSeconds * 1000, presenceMs: 90_000 },
  });
  // status events from a contact centre are believed only when the channel authenticates its caller
  const core = createBot({ ...parts, logger, live, metrics, statusEventsTrusted: Boolean(config.microsoftApp.appId), now: options.now });
  const adapter = createAdapter(config, core.turns);
  const limits = new RateLimits((route) => { logger.warn({ route }, 'rate limit reached'); metrics?.limited(route); });
  const storeCheck = new StoreCheck(stores);
  const http = createServer({
    config, logger, adapter, turns: core.turns, limits,
    // liveness never waits for the database; readiness does
    health: async () => ({ intents: recognizer.intentCount, storage: storeCheck.latest() }),
    ready: async () => {
      const s = await storeCheck.now();
      return { ok: s.ok, reason: s.reason, checks: { model: { ok: true, intents: recognizer.intentCount }, storage: { backend: s.backend, ok: s.ok, ms: Math.round(s.ms) } } };
    },
  });
  // a turn joins the caller's trace (W3C traceparent) when tracing is on
  if (telemetry?.tracing) joinCallersTrace(http.server);
  if (metrics) mountMetrics(http.server, metrics, { token: config.telemetry.metricsToken, port: config.telemetry.metricsPort });
  const directLine = await createDirectLine({ config, logger, server: http.server, turns: core.turns, stores, limits, welcome: (language) => runInLanguage(language, () => core.bot.welcomeActivity('directline')) });
  mountWeb({ server: http.server, config, brand: content.brand, content });
  // Proactive turns go through the adapter that owns the reference's channel (the web widget's
  // Direct Line, or the Bot Framework channels), in turn with the conversation's other turns.
  // A failure is caught here, not by the turn error handler, so the caller learns of it.
  const continueConversation: ContinueConversation = (reference, work) => isDirectLineReference(reference)
    ? directLine.continueConversation(reference, work)
    : core.turns.inConversation(reference.channelId ?? '', reference.conversation?.id ?? '', async () => {
      let failure: unknown;
      await adapter.continueConversationAsync(config.microsoftApp.appId || '', reference, async (context) => {
        try { await work(context); } catch (err) { failure = err; }
      });
      if (failure) throw failure;
    });
  // the message is made inside the proactive turn, where the conversation's language is known
  const notify: Notifier = (reference, message) => continueConversation(reference, async (context) => { await context.sendActivity(message()); });
  live.attachTransport(continueConversation);
  const desk = mountDesk({ server: http.server, config, logger, content, stores, limits, live });
  registerAdminRoutes(http.server, { token: config.adminToken, cases: stores.cases, transcripts: stores.transcripts, notify, audit: stores.audit, content, logger, maxBodyBytes: config.maxBodyBytes });
  registerCustomerRoutes(http.server, { token: config.adminToken, stores });
  // supervisors' routes: a supervisor's desk session, or the admin token
  const supervisors: StaffAuthenticator[] = [desk.supervisors, ...(config.adminToken ? [adminTokenAuthenticator(config.adminToken)] : [])];
  registerInsightsRoutes(http.server, { outcomes: stores.outcomes, authenticators: supervisors, now: options.now });
  // the review loop: labels retrain this instance's model in the background, whichever instance took them
  const retrainer = new Retrainer({ holder: recognizer, labels: stores.reviewLabels, bus: stores.bus, logger, limits: { maxMemoryMb: config.reviewTrainingMemoryMb } });
  registerReviewRoutes(http.server, {
    outcomes: stores.outcomes, labels: stores.reviewLabels, bus: stores.bus, audit: stores.audit, recognizer, retrainer,
    training: new TrainingData(config.intentsDir), authenticators: supervisors, logger, maxBodyBytes: config.maxBodyBytes, now: options.now,
  });
  mountSupervisorPages({ server: http.server, config, brand: content.brand, contentDir: config.contentDir });
  retrainer.start();
  const retention = startRetention(stores, { days: config.transcriptRetentionDays, logger });
  // gauges read their sources when scraped (the raw stores: a scrape is not a store operation to measure)
  metrics?.watch({
    handoffQueue: () => raw.handoffs.waiting(),
    directLineSockets: () => directLine.sockets(),
    ...(raw.poolStats ? { pools: () => raw.poolStats!() } : {}),
  });
  let metricsServer: MetricsServer | undefined;

  let closing: Promise<void> | undefined;
  return {
    config, logger, content, recognizer, stores, core, http, directLine, live, telemetry, retrainer,
    listen: async () => {
      const port = await new Promise<number>((resolve, reject) => {
        http.server.once('error', reject);
        http.server.listen(config.port, config.host, () => {
          const addr = http.server.address();
          resolve(typeof addr === 'object' && addr ? addr.port : config.port);
        });
      });
      if (metrics && config.telemetry.metricsPort) {
        metricsServer = await startMetricsServer(metrics, { token: config.telemetry.metricsToken, port: config.telemetry.metricsPort }, logger);
        logger.info({ port: metricsServer.port }, 'metrics on http://127.0.0.1:<port>/metrics');
      }
      return port;
    },
    close: () => (closing ??= (async () => {
      desk.close();
      await live.close();
      await directLine.close();
      const deadline = Date.now() + config.shutdownTimeoutMs;
      const closed = new Promise<void>((resolve) => http.server.close(() => resolve()));
      // idle keep-alive sockets would hold close() open until they time out
      http.server.server.closeIdleConnections();
      while (http.inFlight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      http.server.server.closeAllConnections();
      await closed;
      retention.stop();
      await retrainer.close();
      await metricsServer?.close();
      await stores.flush().catch((err) => logger.error({ err }, 'could not flush the stores'));
      await stores.close();
      // the last turns' spans go out (within the export timeout), then tracing stops
      await telemetry?.tracing?.shutdown();
    })()),
  };
}
