import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TranscriptStore, TurnContext } from 'botbuilder';
import type { CaseRecord } from '../cases/types.js';
import type { Logger } from '../logger.js';
import type { DeskTeam } from './teams.js';
import { handoffInitiationEvent } from './botFrameworkHandoff.js';

/** Header with the request's time (Unix seconds): signed with the body, so an old request cannot be replayed. */
export const TIMESTAMP_HEADER = 'x-support-bot-timestamp';
/** Header with `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` under the shared secret. */
export const SIGNATURE_HEADER = 'x-support-bot-signature';
/** How far a signed request's time may be from ours. */
export const MAX_SKEW_SECONDS = 300;

/** The external contact centre, for teams that use one: it receives `handoff.initiate` and answers with status callbacks. */
export interface HandoffConnector {
  /** Whether this team's chats go to the contact centre (the built-in desk takes the others). */
  serves(team: DeskTeam): boolean;
  /** Sends the `handoff.initiate` event in the background; `onFailed` runs when every attempt failed. */
  initiate(context: TurnContext, record: CaseRecord, onFailed: (err: unknown) => void): void;
}

export interface WebhookOptions {
  url: string;
  /** Shared with the contact centre; signs what we send and what it sends back. */
  secret: string;
  /** Teams that use the contact centre; empty: every team. */
  teams: DeskTeam[];
  /** Per attempt. */
  timeoutMs: number;
  /** Waits before each retry (back-off); the default retries after 1, 2, 4 and 8 s. */
  retryDelaysMs?: number[];
  transcripts: TranscriptStore;
  logger: Logger;
}

/** `sha256=<hex>` for `body` sent at `timestamp`. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/**
 * Why a signed request must be refused (in words for the sender), or undefined when its
 * signature is right and its time recent. Compared in constant time.
 */
export function signatureProblem(secret: string, headers: Record<string, string | string[] | undefined>, rawBody: string, now = Date.now()): string | undefined {
  const ts = headers[TIMESTAMP_HEADER], sig = headers[SIGNATURE_HEADER];
  if (typeof ts !== 'string' || typeof sig !== 'string') return `Send ${TIMESTAMP_HEADER} (Unix seconds) and ${SIGNATURE_HEADER} (sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">).`;
  if (!/^\d{1,12}$/.test(ts) || Math.abs(now / 1000 - Number(ts)) > MAX_SKEW_SECONDS) return `${TIMESTAMP_HEADER} must be the current time in Unix seconds (within ${MAX_SKEW_SECONDS} s).`;
  const expected = Buffer.from(signature(secret, ts, rawBody));
  const given = Buffer.from(sig.trim());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'The signature does not match the body.';
  return undefined;
}

/**
 * The contact centre as a signed webhook (`HANDOFF_WEBHOOK_URL`): `handoff.initiate` is POSTed as
 * JSON with an HMAC-SHA256 signature header, retried with back-off on network errors, timeouts,
 * 408, 429 and 5xx answers; another 4xx is final. Nothing of it reaches the customer's channel.
 */
export class WebhookConnector implements HandoffConnector {
  private readonly delays: number[];

  constructor(private readonly options: WebhookOptions) {
    if (!options?.url || !options.secret) throw new Error('[WebhookConnector]: Missing parameter. url and secret are required');
    this.delays = options.retryDelaysMs ?? [1000, 2000, 4000, 8000];
  }

  serves(team: DeskTeam): boolean {
    return this.options.teams.length === 0 || this.options.teams.includes(team);
  }

  initiate(context: TurnContext, record: CaseRecord, onFailed: (err: unknown) => void): void {
    // the event is built now (the turn's context is gone later), sent in the background
    void handoffInitiationEvent(context, record, this.options.transcripts)
      .then((event) => this.post(JSON.stringify(event), record.number))
      .catch(onFailed);
  }

  /** POSTs `body` until it is taken or the retries run out. */
  async post(body: string, caseNumber: string): Promise<void> {
    let last: unknown;
    for (let attempt = 0; attempt <= this.delays.length; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.delays[attempt - 1] * (0.8 + Math.random() * 0.4)));
      const timestamp = String(Math.floor(Date.now() / 1000));
      try {
        const res = await fetch(this.options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signature(this.options.secret, timestamp, body) },
          body, signal: AbortSignal.timeout(this.options.timeoutMs), redirect: 'error',
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return;
        last = new Error(`the contact centre answered HTTP ${res.status}`);
        if (res.status < 500 && res.status !== 408 && res.status !== 429) break;
      } catch (err) {
        last = err;
      }
      this.options.logger.warn({ caseNumber, attempt: attempt + 1, reason: (last as Error)?.message }, 'hand-off webhook attempt failed');
    }
    throw last;
  }
}
