import type { Activity, ConversationReference, TurnContext } from 'botbuilder';
import type { Content } from '../content/content.js';
import type { Logger } from '../logger.js';
import type { CaseRecord, HandoffOutcome } from '../cases/types.js';
import type { Stores } from '../storage/stores.js';
import type { AgentRef, HandoffChange, HandoffRecord, HandoffRefusal } from '../storage/handoffStore.js';
import { MAX_EVENT_BYTES } from '../storage/eventBus.js';
import { HttpError } from '../http/errors.js';
import { render } from '../channels/render.js';
import { redact, secretsIn } from '../privacy/redact.js';
import { readWholeTranscript } from '../transcripts/transcripts.js';
import { deskTeam, type DeskTeam } from './teams.js';
import { isOpen } from './hours.js';
import { waitingReply } from './waitingReply.js';
import type { HandoffConnector } from './connector.js';
import type { HandoffOutcomes } from '../insights/handoffOutcomes.js';
import { ALTERNATIVES_DIALOG, GOODBYE_DIALOG } from '../../dialogs/dialogIds.js';

/** The event-bus topic of the desk: queue changes, chat changes, customer messages. */
export const DESK_TOPIC = 'desk';
/** Entity on an agent's message, so the transcript can tell it from the bot's. */
export const AGENT_ENTITY = 'support-bot/agent';

/** One line of a conversation as the desk shows it. */
export interface DeskMessage {
  /** Its place in the conversation (0-based), so the page can merge live and fetched lines. */
  n?: number;
  at: string;
  from: 'customer' | 'bot' | 'agent';
  /** The agent's display name, for agent lines. */
  name?: string;
  text: string;
}

/** What desk pages hear (over the event bus, then Server-Sent Events). */
export type DeskEvent =
  | { kind: 'queue' }
  | { kind: 'case'; caseNumber: string; status: HandoffRecord['status']; what: 'accepted' | 'transferred' | 'ended' | 'customer_left' | 'timed_out'; agent?: string }
  | { kind: 'message'; caseNumber: string; agent?: string; message: DeskMessage };

/** Options of the live chat (see `Config.desk`). */
export interface LiveChatOptions {
  /** Most chats one agent may have open at once. */
  maxChatsPerAgent: number;
  /** Longest wait for a person on the desk; then the customer is offered a call back, text or email instead. */
  waitLimitMs: number;
  /** An agent counts as signed in while their desk page was seen this recently. */
  presenceMs: number;
  /** With an external connector, the bot answers again after this long without a status event (a lost one never wedges a chat). */
  connectorWaitLimitMs?: number;
  /** How often waits past the limit are looked for (every instance looks; one wins each). */
  sweepEveryMs?: number;
  now?: () => Date;
}

export interface LiveChatDeps {
  stores: Pick<Stores, 'handoffs' | 'cases' | 'staff' | 'deskSessions' | 'bus' | 'transcripts'>;
  content: Content;
  logger: Logger;
  options: LiveChatOptions;
  /** The external contact centre, for the teams it serves. */
  connector?: HandoffConnector;
  /** Told how long the customer waited whenever a person accepts a chat (metrics). */
  onAccepted?: (waitedSeconds: number) => void;
  /** Told when a person accepts a chat and when it ends (supervisors' wait and handle times); never throws. */
  outcomes?: HandoffOutcomes;
}

/** Runs `work` in a proactive turn of the conversation (shared middleware, the conversation's turn lock). */
export type ContinueConversation = (reference: Partial<ConversationReference>, work: (context: TurnContext) => Promise<void>) => Promise<void>;
/** Within a turn: forgets the conversation's hand-off and, optionally, starts a dialog. */
export type HandBack = (context: TurnContext, then?: { dialogId: string; options?: Record<string, unknown> }) => Promise<void>;

/** A desk request that cannot be done: an HTTP status and a reason the agent can act on. */
export class LiveChatError extends HttpError {
  constructor(status: number, code: string, message: string) {
    super(status, code, message);
    this.name = 'LiveChatError';
  }
}

const REFUSALS: Record<HandoffRefusal, (r: HandoffRecord | undefined, n: string) => LiveChatError> = {
  not_found: (_r, n) => new LiveChatError(404, 'NoLiveChat', `Case ${n} has no live chat.`),
  taken: (r, n) => new LiveChatError(409, 'AlreadyTaken', `${r?.agent?.displayName ?? 'Someone else'} already has the chat of case ${n}.`),
  ended: (r, n) => new LiveChatError(409, 'ChatEnded', `The chat of case ${n} has ended${r?.endReason === 'customer_left' ? ': the customer left' : r?.endReason === 'timed_out' ? ': the customer waited too long and was offered a call back instead' : ''}.`),
  not_owner: (_r, n) => new LiveChatError(403, 'NotYourChat', `You do not have the chat of case ${n}: accept it first.`),
  not_waiting: (_r, n) => new LiveChatError(409, 'NotWaiting', `The chat of case ${n} is not waiting.`),
  too_many: (_r, _n) => new LiveChatError(409, 'TooManyChats', 'You already have as many open chats as allowed: end one before accepting another.'),
};

/** The agent of the external contact centre (it does not tell us who). */
const CONNECTOR_AGENT = 'connector';

/**
 * The live chat with a person, as one state machine the product guarantees, on whichever
 * backend and instance: the bot queues customers (or says at once that nobody is on duty), the
 * desk accepts, talks, transfers and ends chats, and every change is told to the customer on
 * their own channel and to every desk page (event bus → SSE). Chat state lives in the hand-off
 * store (`HandoffStore`); a customer's conversation state only marks that it has a hand-off.
 */
export class LiveChat {
  private readonly now: () => Date;
  private continueConversation?: ContinueConversation;
  private handBack?: HandBack;
  private sweeper?: NodeJS.Timeout;
  private sweeping?: Promise<unknown>;

  constructor(private readonly deps: LiveChatDeps) {
    for (const k of ['stores', 'content', 'logger', 'options'] as const) if (!deps?.[k]) throw new Error(`[LiveChat]: Missing parameter. ${k} is required`);
    this.now = deps.options.now ?? (() => new Date());
  }

  /** Gives the live chat the bot's hand-back (from `createBot`). */
  attachBot(handBack: HandBack): void { this.handBack = handBack; }

  /** Gives the live chat proactive turns (from `src/app.ts`, once the adapters exist) and starts the wait-limit sweeper. */
  attachTransport(continueConversation: ContinueConversation): void {
    this.continueConversation = continueConversation;
    if (!this.sweeper) {
      this.sweeper = setInterval(() => { this.sweeping ??= this.sweep().catch((err) => this.deps.logger.warn({ err }, 'live chat wait sweep failed')).finally(() => { this.sweeping = undefined; }); }, this.deps.options.sweepEveryMs ?? 15_000);
      this.sweeper.unref();
    }
  }

  /** Stops the sweeper (shutdown) and waits for a sweep in progress. */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    await this.sweeping;
  }

  get options(): LiveChatOptions { return this.deps.options; }

  // ——— the customer's side (called inside their turns) ———

  /**
   * The customer asked for live chat on case `record`: queued for its team (and sent to the
   * contact centre when one serves the team), or, on the built-in desk, refused at once when
   * live chat is closed or nobody is on duty for the team.
   */
  async request(context: TurnContext, record: CaseRecord): Promise<HandoffOutcome> {
    const team = deskTeam(record.team);
    const via = this.deps.connector?.serves(team) ? 'connector' : 'desk';
    if (via === 'desk') {
      const duty = await this.onDuty(team);
      if (!duty.open) return { kind: 'unavailable', reason: duty.reason!, hours: duty.hours };
    }
    const a = context.activity;
    await this.deps.stores.handoffs.request({ caseNumber: record.number, channelId: a.channelId, conversationId: a.conversation?.id ?? record.conversationId, team, via, at: this.now().toISOString() });
    await this.publish({ kind: 'queue' });
    if (via === 'connector') this.deps.connector!.initiate(context, record, (err) => this.connectorFailed(record.number, err));
    return { kind: 'queued', position: await this.deps.stores.handoffs.position(record.number) };
  }

  /** Whether a person can take a chat for `team` now: within opening hours, with someone signed in, available and serving the team. */
  async onDuty(team: DeskTeam): Promise<{ open: boolean; reason?: 'closed' | 'nobody'; hours?: string }> {
    const now = this.now();
    const hours = this.deps.content.brand.liveChat;
    if (!isOpen(hours, now)) return { open: false, reason: 'closed', hours: hours.hoursText || undefined };
    const seen = await this.deps.stores.deskSessions.active(new Date(now.getTime() - this.deps.options.presenceMs).toISOString(), now.toISOString());
    for (const username of new Set(seen.map((s) => s.username))) {
      const a = await this.deps.stores.staff.get(username);
      if (a && a.availability === 'available' && a.teams.includes(team)) return { open: true };
    }
    return { open: false, reason: 'nobody' };
  }

  get(caseNumber: string): Promise<HandoffRecord | undefined> { return this.deps.stores.handoffs.get(caseNumber); }
  /** How many chats `username` has open now. */
  async withAgentCount(username: string): Promise<number> { return (await this.deps.stores.handoffs.withAgent(username)).length; }
  position(caseNumber: string): Promise<number | undefined> { return this.deps.stores.handoffs.position(caseNumber); }

  /** How long `record` may wait before the customer is offered something else. */
  waitLimitMs(record: HandoffRecord): number {
    return record.via === 'desk' ? this.deps.options.waitLimitMs : this.deps.options.connectorWaitLimitMs ?? 24 * 3_600_000;
  }

  /** True once `record` has waited past its limit. */
  waitedTooLong(record: HandoffRecord): boolean {
    return record.status === 'waiting' && this.now().getTime() - Date.parse(record.requestedAt) > this.waitLimitMs(record);
  }

  /** A customer message while a person has the chat: straight to the agent's desk. */
  async customerMessage(context: TurnContext, record: HandoffRecord): Promise<void> {
    const a = context.activity;
    const message: DeskMessage = { at: new Date(a.timestamp ?? this.now()).toISOString(), from: 'customer', text: redact(a.text ?? '').text };
    await this.publish({ kind: 'message', caseNumber: record.caseNumber, agent: record.agent?.username, message });
  }

  /** The customer left (said "never mind" while waiting, or closed the conversation): the hand-off ends. */
  async customerLeft(record: HandoffRecord): Promise<boolean> {
    const r = await this.change(record.caseNumber, { kind: 'end', reason: 'customer_left' });
    if (!r.ok) return false;
    await this.note(record.caseNumber, 'system', this.deps.content.text('live.note.customer_left'));
    await this.publish({ kind: 'case', caseNumber: record.caseNumber, status: 'ended', what: 'customer_left', agent: record.agent?.username });
    await this.publish({ kind: 'queue' });
    return true;
  }

  /**
   * Ends a wait past its limit (only if still waiting: an accept that came first wins) and, in
   * the customer's turn `context`, offers a call back, text or email instead.
   */
  async expire(context: TurnContext, record: HandoffRecord): Promise<boolean> {
    const r = await this.change(record.caseNumber, { kind: 'end', reason: 'timed_out', onlyIfWaiting: true });
    if (!r.ok) return false;
    await this.note(record.caseNumber, 'system', this.deps.content.text('live.note.timed_out'));
    await this.publish({ kind: 'case', caseNumber: record.caseNumber, status: 'ended', what: 'timed_out' });
    await this.publish({ kind: 'queue' });
    await this.say(context, this.deps.content.text('live.timeout'));
    await this.requireHandBack()(context, { dialogId: ALTERNATIVES_DIALOG, options: { caseNumber: record.caseNumber } });
    return true;
  }

  /**
   * A status from the external contact centre (a `handoff.status` event on an authenticated
   * channel, or the signed callback), told to the customer in `context`.
   */
  async connectorStatus(context: TurnContext, record: HandoffRecord, state: 'accepted' | 'completed' | 'failed', agentName?: string): Promise<boolean> {
    const name = agentName?.trim().slice(0, 60) || this.deps.content.text('live.connector_agent');
    if (state === 'accepted') {
      const r = await this.change(record.caseNumber, { kind: 'accept', agent: { username: CONNECTOR_AGENT, displayName: name } });
      if (!r.ok) return false;
      this.accepted(r.record);
      await this.deps.stores.cases.update(record.caseNumber, { handledBy: `${name} (contact centre)` });
      await this.publish({ kind: 'queue' });
      await this.say(context, this.deps.content.text('live.joined', { name: firstWord(name) }));
      return true;
    }
    const r = await this.change(record.caseNumber, { kind: 'end', reason: state === 'completed' ? 'connector_completed' : 'connector_failed' });
    if (!r.ok) return false;
    await this.publish({ kind: 'queue' });
    if (state === 'completed') {
      await this.say(context, `${this.deps.content.text('live.left', { name: firstWord(r.record.agent?.displayName ?? name) })}\n\n${this.deps.content.text('live.back')}`);
      await this.requireHandBack()(context, { dialogId: GOODBYE_DIALOG });
    } else {
      await this.say(context, this.deps.content.text('handoff.failed', { caseNumber: record.caseNumber }));
      await this.requireHandBack()(context);
    }
    return true;
  }

  /** Reports a wait that just ended with a person accepting (never breaks the accept). */
  private accepted(record: HandoffRecord): void {
    const waited = (Date.parse(record.acceptedAt ?? '') - Date.parse(record.queuedAt)) / 1000;
    try { if (Number.isFinite(waited)) this.deps.onAccepted?.(Math.max(0, waited)); } catch { /* metrics never break a chat */ }
  }

  // ——— the desk's side (called by the desk API, outside any customer turn) ———

  /** Accepts a waiting chat (409 when someone has it, or the agent has the most allowed); tells the customer who joined. */
  async accept(caseNumber: string, agent: AgentRef): Promise<HandoffRecord> {
    const r = await this.change(caseNumber, { kind: 'accept', agent, maxOpen: this.deps.options.maxChatsPerAgent });
    if (!r.ok) throw REFUSALS[r.refusal](r.record, caseNumber);
    this.accepted(r.record);
    await this.deps.stores.cases.update(caseNumber, { handledBy: `${agent.displayName} (${agent.username})` });
    await this.publish({ kind: 'case', caseNumber, status: 'with_agent', what: 'accepted', agent: agent.username });
    await this.publish({ kind: 'queue' });
    await this.tellCustomer(caseNumber, (ctx) => this.say(ctx, this.deps.content.text('live.joined', { name: firstWord(agent.displayName) })));
    return r.record;
  }

  /**
   * Sends an agent's message to the customer through the bot's own path (the customer's channel
   * and its rendering, the transcript): only the agent who has the chat may.
   */
  async sendAgentMessage(caseNumber: string, agent: AgentRef, text: string): Promise<{ at: string }> {
    const record = await this.owned(caseNumber, agent.username);
    // an agent never sends a secret into a chat (a card number pasted by mistake is hidden, as the bot's would be)
    const clean = secretsIn(text).length ? redact(text).text : text;
    const at = this.now().toISOString();
    const name = firstWord(agent.displayName);
    const delivered = await this.tellCustomer(record.caseNumber, async (ctx) => {
      const out = render({ text: this.deps.content.text('live.agent_message', { name, text: clean }) }, ctx.activity.channelId);
      // the mark travels with the message to the customer's channel: only what they see anyway (the first name), never a username
      out.entities = [...(out.entities ?? []), { type: AGENT_ENTITY, name, text: clean }];
      await ctx.sendActivity(out);
    });
    if (!delivered) throw new LiveChatError(502, 'NotDelivered', 'The message could not be delivered: the customer\'s chat cannot be reached right now. Try again, or end the chat and follow up on the case.');
    return { at };
  }

  /** Sends the chat back to a team's queue (keeping the customer's place), with a note for the next person. */
  async transfer(caseNumber: string, agent: AgentRef, toTeam: DeskTeam, note: string | undefined): Promise<HandoffRecord> {
    const r = await this.change(caseNumber, { kind: 'transfer', by: agent.username, toTeam, ...(note ? { note: redact(note).text } : {}) });
    if (!r.ok) throw REFUSALS[r.refusal](r.record, caseNumber);
    await this.note(caseNumber, `${agent.displayName} (${agent.username})`, this.deps.content.text('live.note.transferred', { team: toTeam }) + (note ? ` ${note}` : ''));
    await this.publish({ kind: 'case', caseNumber, status: 'waiting', what: 'transferred', agent: agent.username });
    await this.publish({ kind: 'queue' });
    const position = await this.deps.stores.handoffs.position(caseNumber);
    await this.tellCustomer(caseNumber, async (ctx) => {
      await this.say(ctx, this.deps.content.text('live.transferred', { name: firstWord(agent.displayName), team: teamLabel(this.deps.content, toTeam) }));
      if (position) await ctx.sendActivity(waitingReply(this.deps.content, position, caseNumber, ctx.activity.channelId));
    });
    return r.record;
  }

  /**
   * Ends the agent's chat: the case gets its status and the note, the customer hears who left
   * and is back with the bot, which asks whether the problem was solved and for a rating.
   */
  async end(caseNumber: string, agent: AgentRef, outcome: { status: 'resolved' | 'open'; note?: string }, opts: { supervisor?: boolean } = {}): Promise<{ record: HandoffRecord; notified: boolean }> {
    const r = await this.change(caseNumber, { kind: 'end', reason: 'ended_by_agent', by: agent.username, ...(opts.supervisor ? {} : { owner: agent.username }) });
    if (!r.ok) throw REFUSALS[r.refusal](r.record, caseNumber);
    await this.deps.stores.cases.update(caseNumber, { status: outcome.status });
    if (outcome.note) await this.note(caseNumber, `${agent.displayName} (${agent.username})`, outcome.note);
    await this.publish({ kind: 'case', caseNumber, status: 'ended', what: 'ended', agent: r.record.agent?.username });
    await this.publish({ kind: 'queue' });
    const who = firstWord(r.record.agent?.displayName ?? agent.displayName);
    const notified = await this.tellCustomer(caseNumber, async (ctx) => {
      await this.say(ctx, `${this.deps.content.text('live.left', { name: who })}\n\n${this.deps.content.text('live.back')}`);
      await this.requireHandBack()(ctx, { dialogId: GOODBYE_DIALOG });
    });
    return { record: r.record, notified };
  }

  /** An internal note on the case: for staff only, never shown to the customer. */
  async addNote(caseNumber: string, agent: AgentRef, text: string): Promise<CaseRecord> {
    const c = await this.note(caseNumber, `${agent.displayName} (${agent.username})`, text);
    if (!c) throw new LiveChatError(404, 'CaseNotFound', `There is no case ${caseNumber}.`);
    return c;
  }

  /** The conversation of case `c` so far (redacted: the transcript store keeps nothing else), bot and live parts. */
  async messages(c: CaseRecord): Promise<DeskMessage[]> {
    const all = await readWholeTranscript(this.deps.stores.transcripts, c.channelId, c.conversationId);
    return all.filter((a) => a.type === 'message' && typeof a.text === 'string').map((a, n) => toDeskMessage(a, n));
  }

  /**
   * Ends every desk wait past its limit (an accept that came first wins) and offers the customer a
   * call back, text or email instead. Runs on a timer on every instance; each wait ends once.
   */
  async sweep(): Promise<number> {
    let ended = 0;
    for (const record of await this.deps.stores.handoffs.waiting()) {
      if (record.via !== 'desk' || !this.waitedTooLong(record)) continue;
      const r = await this.change(record.caseNumber, { kind: 'end', reason: 'timed_out', onlyIfWaiting: true });
      if (!r.ok) continue;
      ended++;
      await this.note(record.caseNumber, 'system', this.deps.content.text('live.note.timed_out'));
      await this.publish({ kind: 'case', caseNumber: record.caseNumber, status: 'ended', what: 'timed_out' });
      await this.publish({ kind: 'queue' });
      await this.tellCustomer(record.caseNumber, async (ctx) => {
        await this.say(ctx, this.deps.content.text('live.timeout'));
        await this.requireHandBack()(ctx, { dialogId: ALTERNATIVES_DIALOG, options: { caseNumber: record.caseNumber } });
      });
    }
    return ended;
  }

  /** A signed status callback from the contact centre: told to the customer in a proactive turn. */
  async connectorCallback(caseNumber: string, state: 'accepted' | 'completed' | 'failed', agentName?: string): Promise<void> {
    const record = await this.deps.stores.handoffs.get(caseNumber);
    if (!record || record.via !== 'connector') throw new LiveChatError(404, 'NoLiveChat', `Case ${caseNumber} has no hand-off to the contact centre.`);
    if (record.status === 'ended') throw REFUSALS.ended(record, caseNumber);
    let changed = false;
    const delivered = await this.tellCustomer(caseNumber, async (ctx) => { changed = await this.connectorStatus(ctx, record, state, agentName); });
    if (!delivered && !changed) throw new LiveChatError(503, 'Unavailable', 'The customer\'s conversation could not be reached; send the status again shortly.');
    if (!changed) throw new LiveChatError(409, 'NotChanged', `The hand-off of case ${caseNumber} is ${record.status}: "${state}" does not apply.`);
  }

  // ——— helpers ———

  /** The record when `username` has the chat (403 otherwise, 409 when ended, 404 when none). */
  async owned(caseNumber: string, username: string): Promise<HandoffRecord> {
    const record = await this.deps.stores.handoffs.get(caseNumber);
    if (!record) throw REFUSALS.not_found(undefined, caseNumber);
    if (record.status === 'ended') throw REFUSALS.ended(record, caseNumber);
    if (record.status !== 'with_agent' || record.agent?.username !== username) throw REFUSALS.not_owner(record, caseNumber);
    return record;
  }

  /** Every change of a hand-off goes through here: an accept or an end that happened is counted once, for wait and handle times. */
  private async change(caseNumber: string, change: HandoffChange) {
    const r = await this.deps.stores.handoffs.change(caseNumber, change, this.now().toISOString());
    // stamped by the recorder's own clock, the one every outcome event of the conversation has
    if (r.ok && change.kind === 'accept') await this.deps.outcomes?.accepted({ caseNumber, by: change.agent.username });
    if (r.ok && change.kind === 'end') await this.deps.outcomes?.ended({ caseNumber });
    return r;
  }

  private async note(caseNumber: string, author: string, text: string): Promise<CaseRecord | undefined> {
    return this.deps.stores.cases.addNote(caseNumber, { author, text: redact(text).text });
  }

  private async say(context: TurnContext, text: string): Promise<void> {
    await context.sendActivity(render({ text }, context.activity.channelId));
  }

  private requireHandBack(): HandBack {
    if (!this.handBack) throw new Error('[LiveChat]: the bot is not attached (createBot attaches it)');
    return this.handBack;
  }

  /**
   * Runs `work` in a proactive turn of the case's conversation; false (logged) when the customer's
   * channel cannot be reached: the chat's state has changed anyway, the customer hears of it on
   * their next message.
   */
  private async tellCustomer(caseNumber: string, work: (context: TurnContext) => Promise<void>): Promise<boolean> {
    const c = await this.deps.stores.cases.get(caseNumber);
    if (!c || !this.continueConversation) {
      this.deps.logger.warn({ caseNumber }, c ? 'live chat has no transport attached; the customer was not told' : 'no case to reach the customer by');
      return false;
    }
    try {
      await this.continueConversation(c.conversationReference, work);
      return true;
    } catch (err) {
      this.deps.logger.warn({ err, caseNumber, channelId: c.channelId }, 'could not reach the customer of a live chat');
      return false;
    }
  }

  /** Tells every desk page (on every instance); a payload too large for the bus loses its text, which the page then reads. */
  private async publish(event: DeskEvent): Promise<void> {
    let e = event;
    if (e.kind === 'message' && Buffer.byteLength(JSON.stringify(e)) + DESK_TOPIC.length > MAX_EVENT_BYTES - 100) {
      e = { ...e, message: { ...e.message, text: '' } };
    }
    try {
      await this.deps.stores.bus.publish(DESK_TOPIC, e);
    } catch (err) {
      this.deps.logger.warn({ err, kind: e.kind }, 'could not tell the desk pages; they catch up on their next read');
    }
  }

  private connectorFailed(caseNumber: string, err: unknown): void {
    this.deps.logger.error({ err, caseNumber }, 'the contact centre could not be reached; the hand-off failed');
    void (async () => {
      const record = await this.deps.stores.handoffs.get(caseNumber);
      if (!record || record.status !== 'waiting') return;
      await this.tellCustomer(caseNumber, async (ctx) => { await this.connectorStatus(ctx, record, 'failed'); });
    })().catch((e) => this.deps.logger.warn({ err: e, caseNumber }, 'could not end a failed hand-off'));
  }
}

/** A transcript activity as a desk line. */
export function toDeskMessage(a: Partial<Activity>, n?: number): DeskMessage {
  const agent = (a.entities ?? []).find((e) => e?.type === AGENT_ENTITY) as { name?: string; text?: string } | undefined;
  const from: DeskMessage['from'] = agent ? 'agent' : a.from?.role === 'bot' ? 'bot' : 'customer';
  // an agent's line as they wrote it (the customer's copy starts with their name)
  const text = agent && typeof agent.text === 'string' ? agent.text : a.text ?? '';
  return { ...(n !== undefined ? { n } : {}), at: new Date(a.timestamp ?? 0).toISOString(), from, ...(agent?.name ? { name: agent.name } : {}), text };
}

/** How a team reads to customers ("technical support"). */
export function teamLabel(content: Content, team: DeskTeam): string {
  return content.text(`team.${team === 'technical' ? 'tech_support' : team}`);
}

function firstWord(name: string): string {
  return name.trim().split(/\s+/)[0] || name;
}
