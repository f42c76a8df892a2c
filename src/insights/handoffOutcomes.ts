import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { OutcomeEvent, OutcomeStore } from '../storage/outcomeStore.js';

/**
 * How the live chat (`LiveChat`: the desk, or a contact centre's status) reports that a person
 * accepted a chat and that their part ended. Both never throw: a failure to record is logged and
 * the hand-off goes on.
 */
export interface HandoffOutcomes {
  /**
   * A person took the chat of `caseNumber` (at `at`, now by default). Its wait is measured from
   * the case's escalation; only the first acceptance counts (a transfer does not restart it).
   */
  accepted(input: { caseNumber: string; at?: Date; by?: string }): Promise<void>;
  /** The person's part of `caseNumber` ended: its handle time runs from the first acceptance. Once per case. */
  ended(input: { caseNumber: string; at?: Date }): Promise<void>;
}

/** `HandoffOutcomes` on the outcome store, attributed to the conversation of the case's escalation. */
export class HandoffOutcomeRecorder implements HandoffOutcomes {
  private readonly now: () => Date;

  constructor(private readonly deps: { outcomes: Pick<OutcomeStore, 'ofCase' | 'record'>; logger?: Logger; now?: () => Date }) {
    if (!deps?.outcomes) throw new Error('[HandoffOutcomeRecorder]: Missing parameter. outcomes is required');
    this.now = deps.now ?? (() => new Date());
  }

  async accepted(input: { caseNumber: string; at?: Date; by?: string }): Promise<void> {
    await this.guard(input.caseNumber, 'accepted', async (events, at) => {
      const escalation = events.find((e) => e.kind === 'escalation');
      if (!escalation) return 'no escalation of this case was recorded';
      if (events.some((e) => e.kind === 'handoff.accepted')) return undefined;
      return { ...this.base(escalation, at), kind: 'handoff.accepted', caseNumber: input.caseNumber, waitMs: Math.max(0, at.getTime() - Date.parse(escalation.at)), ...(input.by ? { by: input.by } : {}) };
    }, input.at);
  }

  async ended(input: { caseNumber: string; at?: Date }): Promise<void> {
    await this.guard(input.caseNumber, 'ended', async (events, at) => {
      const accepted = events.find((e) => e.kind === 'handoff.accepted');
      // nobody took it (the customer left the queue): there is no handle time
      if (!accepted) return undefined;
      if (events.some((e) => e.kind === 'handoff.ended')) return undefined;
      return { ...this.base(accepted, at), kind: 'handoff.ended', caseNumber: input.caseNumber, handleMs: Math.max(0, at.getTime() - Date.parse(accepted.at)) };
    }, input.at);
  }

  private base(of: OutcomeEvent, at: Date) {
    return { id: randomUUID(), at: at.toISOString(), channelId: of.channelId, conversationId: of.conversationId, started: of.started };
  }

  /** Reads the case's events, builds the new one (or a reason not to), records it; logs instead of throwing. */
  private async guard(caseNumber: string, what: string, build: (events: OutcomeEvent[], at: Date) => Promise<OutcomeEvent | string | undefined>, at = this.now()): Promise<void> {
    try {
      const event = await build(await this.deps.outcomes.ofCase(caseNumber), at);
      if (typeof event === 'string') this.deps.logger?.warn({ caseNumber }, `hand-off ${what} not recorded: ${event}`);
      else if (event) await this.deps.outcomes.record([event]);
    } catch (err) {
      this.deps.logger?.warn({ err, caseNumber }, `hand-off ${what} not recorded`);
    }
  }
}
