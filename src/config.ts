import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * Where the project lives (content files are read relative to it, not to the working directory):
 * the nearest folder above this file with a package.json, so the same code runs from `src/`
 * (tsx) and compiled from `dist/src/`.
 */
export const ROOT = projectRoot(import.meta.dirname);

function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'intents'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '..');
  }
}

/** The OpenTelemetry specification's `OTEL_TRACES_SAMPLER` values that need no extra library. */
export const TRACE_SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type TraceSampler = typeof TRACE_SAMPLERS[number];

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().optional(),
  ALLOW_UNAUTHENTICATED: z.enum(['true', 'false']).default('false'),
  DATA_DIR: z.string().default('.data'),
  DATABASE_URL: z.string().default(''),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  DATABASE_LOCK_POOL_SIZE: z.coerce.number().int().min(2).max(500).default(25),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NLU_THRESHOLD: z.coerce.number().min(0).max(1).default(0.35),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(256 * 1024),
  MicrosoftAppId: z.string().default(''),
  MicrosoftAppPassword: z.string().default(''),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI', '']).default(''),
  MicrosoftAppTenantId: z.string().default(''),
  ADMIN_TOKEN: z.string().default(''),
  TRANSCRIPT_RETENTION_DAYS: z.coerce.number().min(1).default(90),
  DIRECTLINE_TOKEN_SECRET: z.string().default(''),
  DIRECTLINE_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(1800),
  ALLOWED_ORIGINS: z.string().default(''),
  AZURE_DIRECTLINE_SECRET: z.string().default(''),
  AZURE_DIRECTLINE_DOMAIN: z.string().url().default('https://directline.botframework.com/v3/directline'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  CUSTOMER_COOKIE_SECRET: z.string().default(''),
  CUSTOMER_COOKIE_DAYS: z.coerce.number().min(1).max(400).default(90),
  DIRECTLINE_CONVERSATION_HOURS: z.coerce.number().min(1).max(24 * 30).default(24),
  DIRECTLINE_SOCKETS_PER_CONVERSATION: z.coerce.number().int().min(1).max(100).default(4),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  RATE_LIMIT_TOKENS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_STARTS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  LOCK_WAIT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  CONNECTOR_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  // the live agent desk (issue 12)
  DESK_SESSION_TTL_SECONDS: z.coerce.number().int().min(5).max(7 * 24 * 3600).default(8 * 3600),
  DESK_MAX_CHATS_PER_AGENT: z.coerce.number().int().min(1).max(50).default(3),
  LIVE_CHAT_WAIT_LIMIT_SECONDS: z.coerce.number().int().min(5).max(24 * 3600).default(600),
  DESK_LOGIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  DESK_LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  HANDOFF_WEBHOOK_URL: z.string().default(''),
  HANDOFF_WEBHOOK_SECRET: z.string().default(''),
  HANDOFF_WEBHOOK_TEAMS: z.string().default(''),
  METRICS_TOKEN: z.string().min(16, 'use at least 16 characters (a random token)').default(''),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  TELEMETRY: z.enum(['on', 'off']).default('on'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().default(''),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().default(''),
  OTEL_SERVICE_NAME: z.string().default('support-bot'),
  OTEL_EXPORTER_OTLP_TIMEOUT: z.coerce.number().int().min(100).max(60_000).default(5000),
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(10).max(60_000).default(2000),
  OTEL_BSP_MAX_QUEUE_SIZE: z.coerce.number().int().min(1).max(100_000).default(2048),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(512),
  OTEL_TRACES_SAMPLER: z.enum(TRACE_SAMPLERS).default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0, 'a share of traces, from 0 to 1').max(1, 'a share of traces, from 0 to 1').default(1),
  REVIEW_TRAINING_MEMORY_MB: z.coerce.number().int().min(8).max(65_536).default(1024),
  MODEL_CACHE_DIR: z.string().default(''),
});

export type Config = Readonly<{
  port: number;
  /** 127.0.0.1 by default while channel authentication is off; 0.0.0.0 with it on. */
  host: string;
  /** Channel authentication is off (no MicrosoftAppId) and the operator let the server listen beyond this machine anyway. */
  allowUnauthenticated: boolean;
  dataDir: string;
  /** PostgreSQL for several instances (`postgres://…`); empty: the embedded store in `dataDir`. */
  database: { url: string; poolSize: number; lockPoolSize: number };
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  nluThreshold: number;
  maxBodyBytes: number;
  microsoftApp: { appId: string; password: string; type: string; tenantId: string };
  adminToken: string;
  transcriptRetentionDays: number;
  /** `azureSecret` set: the token endpoint hands out Azure Bot Service Direct Line tokens instead of self-hosted ones. */
  directLine: {
    secret: string; tokenTtlSeconds: number; allowedOrigins: string[]; azureSecret: string; azureDomain: string;
    /** Tokens of a conversation can be refreshed this long after its first one. */
    conversationLifetimeSeconds: number;
    /** Open WebSockets allowed per conversation (tabs of one chat). */
    socketsPerConversation: number;
    /** Signs the web customer cookie (empty: a secret shared by every instance through the store); changing it gives everyone a fresh identity. */
    customerCookieSecret: string;
    /** How long a browser keeps its customer identity. */
    customerCookieDays: number;
  };
  shutdownTimeoutMs: number;
  /** Per-client limits; a refusal is 429 with Retry-After. */
  limits: {
    /** Direct Line tokens per address per minute. */
    tokensPerMinute: number;
    /** Direct Line conversation starts per address per minute. */
    startsPerMinute: number;
    /** Messages per conversation per minute (Direct Line and /api/messages). */
    messagesPerMinute: number;
  };
  /** Behind a load balancer that sets X-Forwarded-For: limits count by the client's address in it. */
  trustProxy: boolean;
  /** Longest wait for a conversation busy with an earlier message before answering 503. */
  lockWaitMs: number;
  /** Longest wait for a channel connector to take one reply. */
  connectorTimeoutMs: number;
  /** The live agent desk. */
  desk: {
    /** A desk session ends this long after sign-in. */
    sessionTtlSeconds: number;
    maxChatsPerAgent: number;
    /** Longest wait for a person before the customer is offered a call back, text or email. */
    waitLimitSeconds: number;
    /** Failed sign-ins allowed per account, and per address, every 15 minutes. */
    loginFailuresPerAccount: number;
    loginFailuresPerAddress: number;
  };
  /** An external contact centre for the teams that use one (`url` empty: the built-in desk takes every chat). */
  handoffWebhook: { url: string; secret: string; teams: string[] };
  /** Prometheus metrics and OpenTelemetry traces (see `src/telemetry/`). */
  telemetry: TelemetryConfig;
  /** Heap a background retrain may use (MB); one that needs more fails and the old model keeps serving. */
  reviewTrainingMemoryMb: number;
  /** Where trained models are kept between starts (`MODEL_CACHE_DIR`; default `<DATA_DIR>/model-cache`); undefined (`off`): trained at every start. */
  modelCacheDir: string | undefined;
  intentsDir: string;
  contentDir: string;
  version: string;
}>;

/** Variables that were renamed: their old names are refused with the new one named. */
const RENAMED: Record<string, string> = {
  DIRECTLINE_SECRET: 'DIRECTLINE_TOKEN_SECRET (signs the self-hosted web chat tokens)',
  DIRECT_LINE_SECRET: 'AZURE_DIRECTLINE_SECRET (Azure Bot Service Direct Line channel secret)',
  DIRECT_LINE_DOMAIN: 'AZURE_DIRECTLINE_DOMAIN',
};
/** Where metrics are served and where traces go; every part is off unless configured. */
export interface TelemetryConfig {
  /** `false` (TELEMETRY=off): no metrics and no tracing at all (e.g. to measure what they cost). */
  enabled: boolean;
  /** Bearer token for `GET /metrics` on the main port; empty: not served there. */
  metricsToken: string;
  /** A separate metrics port on 127.0.0.1 (no token needed there unless `metricsToken` is set). */
  metricsPort?: number;
  /** OTLP/HTTP traces URL (`…/v1/traces`); empty: tracing off. */
  tracesUrl: string;
  serviceName: string;
  /** Longest wait for the collector to take one batch of spans, ms. */
  exportTimeoutMs: number;
  /** Spans wait this long to be sent in a batch, ms. */
  scheduleDelayMs: number;
  /** Finished spans kept while the collector is slow or down; more are dropped (and counted). */
  maxQueueSize: number;
  maxExportBatchSize: number;
  /** Which turns are traced (`OTEL_TRACES_SAMPLER`), and the share for the `…traceidratio` ones (`OTEL_TRACES_SAMPLER_ARG`). */
  sampler: { name: TraceSampler; ratio: number };
}

/** Reads the configuration from the environment; an invalid value stops start-up with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, version = '0.0.0'): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  // two secrets once differed by one underscore and meant different things: each has one clear name now
  for (const [old, now] of Object.entries(RENAMED)) {
    if (cleaned[old] !== undefined) throw new Error(`Invalid environment variable ${old}: it was renamed to ${now}; set that instead (nothing else changes).`);
  }
  const r = Env.safeParse(cleaned);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`Invalid environment variable ${i.path.join('.')}: ${i.message}`);
  }
  const e = r.data;
  if (e.DATABASE_URL && !/^postgres(ql)?:\/\//.test(e.DATABASE_URL)) throw new Error('Invalid environment variable DATABASE_URL: it must be a postgres:// URL (or empty for the embedded store in DATA_DIR).');
  const authOff = !e.MicrosoftAppId;
  const host = e.HOST ?? (authOff ? '127.0.0.1' : '0.0.0.0');
  const allowUnauthenticated = e.ALLOW_UNAUTHENTICATED === 'true';
  if (authOff && !isLoopbackHost(host) && !allowUnauthenticated) {
    throw new Error(`Invalid environment variable HOST: ${host} reaches beyond this machine while channel authentication is off (no MicrosoftAppId). `
      + 'Set MicrosoftAppId/MicrosoftAppPassword, use HOST=127.0.0.1, or set ALLOW_UNAUTHENTICATED=true if you really mean it.');
  }
  return {
    port: e.PORT,
    host,
    allowUnauthenticated,
    dataDir: resolve(e.DATA_DIR),
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, lockPoolSize: e.DATABASE_LOCK_POOL_SIZE },
    logLevel: e.LOG_LEVEL,
    nluThreshold: e.NLU_THRESHOLD,
    maxBodyBytes: e.MAX_BODY_BYTES,
    microsoftApp: { appId: e.MicrosoftAppId, password: e.MicrosoftAppPassword, type: e.MicrosoftAppType || (e.MicrosoftAppId ? 'MultiTenant' : ''), tenantId: e.MicrosoftAppTenantId },
    adminToken: e.ADMIN_TOKEN,
    transcriptRetentionDays: e.TRANSCRIPT_RETENTION_DAYS,
    directLine: {
      secret: e.DIRECTLINE_TOKEN_SECRET, tokenTtlSeconds: e.DIRECTLINE_TOKEN_TTL_SECONDS, allowedOrigins: e.ALLOWED_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
      azureSecret: e.AZURE_DIRECTLINE_SECRET, azureDomain: e.AZURE_DIRECTLINE_DOMAIN,
      conversationLifetimeSeconds: Math.round(e.DIRECTLINE_CONVERSATION_HOURS * 3600), socketsPerConversation: e.DIRECTLINE_SOCKETS_PER_CONVERSATION,
      customerCookieSecret: e.CUSTOMER_COOKIE_SECRET, customerCookieDays: e.CUSTOMER_COOKIE_DAYS,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    limits: { tokensPerMinute: e.RATE_LIMIT_TOKENS_PER_MINUTE, startsPerMinute: e.RATE_LIMIT_STARTS_PER_MINUTE, messagesPerMinute: e.RATE_LIMIT_MESSAGES_PER_MINUTE },
    trustProxy: e.TRUST_PROXY === 'true',
    lockWaitMs: e.LOCK_WAIT_MS,
    connectorTimeoutMs: e.CONNECTOR_TIMEOUT_MS,
    desk: {
      sessionTtlSeconds: e.DESK_SESSION_TTL_SECONDS, maxChatsPerAgent: e.DESK_MAX_CHATS_PER_AGENT, waitLimitSeconds: e.LIVE_CHAT_WAIT_LIMIT_SECONDS,
      loginFailuresPerAccount: e.DESK_LOGIN_FAILURES_PER_ACCOUNT, loginFailuresPerAddress: e.DESK_LOGIN_FAILURES_PER_ADDRESS,
    },
    handoffWebhook: handoffWebhook(e.HANDOFF_WEBHOOK_URL, e.HANDOFF_WEBHOOK_SECRET, e.HANDOFF_WEBHOOK_TEAMS),
    telemetry: {
      enabled: e.TELEMETRY === 'on', metricsToken: e.METRICS_TOKEN, metricsPort: e.METRICS_PORT,
      // the standard OTLP variables: the traces one is used as it is, the general one gets /v1/traces
      tracesUrl: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : ''),
      serviceName: e.OTEL_SERVICE_NAME, exportTimeoutMs: e.OTEL_EXPORTER_OTLP_TIMEOUT, scheduleDelayMs: e.OTEL_BSP_SCHEDULE_DELAY,
      maxQueueSize: e.OTEL_BSP_MAX_QUEUE_SIZE, maxExportBatchSize: Math.min(e.OTEL_BSP_MAX_EXPORT_BATCH_SIZE, e.OTEL_BSP_MAX_QUEUE_SIZE),
      sampler: { name: e.OTEL_TRACES_SAMPLER, ratio: e.OTEL_TRACES_SAMPLER_ARG },
    },
    reviewTrainingMemoryMb: e.REVIEW_TRAINING_MEMORY_MB,
    modelCacheDir: e.MODEL_CACHE_DIR === 'off' ? undefined : resolve(e.MODEL_CACHE_DIR || join(e.DATA_DIR, 'model-cache')),
    intentsDir: resolve(ROOT, 'intents'),
    contentDir: resolve(ROOT, 'data'),
    version,
  };
}

const WEBHOOK_TEAMS = ['general', 'business', 'technical', 'international'];

/** The contact-centre webhook: https (http only on this machine), a secret of 32+ characters, known teams. */
function handoffWebhook(url: string, secret: string, teams: string): Config['handoffWebhook'] {
  const list = teams.split(',').map((t) => t.trim()).filter(Boolean);
  if (!url) return { url: '', secret: '', teams: [] };
  let u: URL;
  try { u = new URL(url); } catch { throw new Error('Invalid environment variable HANDOFF_WEBHOOK_URL: it must be a URL.'); }
  if (!(u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname.replace(/^\[|\]$/g, ''))))) {
    throw new Error('Invalid environment variable HANDOFF_WEBHOOK_URL: it must be https:// (plain http only to this machine): it carries transcripts.');
  }
  if (secret.length < 32) throw new Error('Invalid environment variable HANDOFF_WEBHOOK_SECRET: set a random secret of at least 32 characters (it signs the webhook and the status callbacks).');
  const unknown = list.find((t) => !WEBHOOK_TEAMS.includes(t));
  if (unknown) throw new Error(`Invalid environment variable HANDOFF_WEBHOOK_TEAMS: "${unknown}" is not one of ${WEBHOOK_TEAMS.join(', ')}.`);
  return { url, secret, teams: list };
}

/** True for hosts only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
