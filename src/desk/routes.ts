import type { Server, Request, Response, Next } from 'restify';
import type { Content } from '../content/content.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../storage/stores.js';
import type { CaseRecord } from '../cases/types.js';
import type { HandoffRecord } from '../storage/handoffStore.js';
import { HttpError } from '../http/errors.js';
import { jsonBody } from '../http/body.js';
import { parseCaseNumber } from '../cases/caseNumber.js';
import { needsFollowUp } from '../cases/caseRecords.js';
import { redact } from '../privacy/redact.js';
import { DESK_TEAMS, isDeskTeam, type DeskTeam } from '../handoff/teams.js';
import type { LiveChat } from '../handoff/liveChat.js';
import type { DeskAuth, DeskIdentity } from './auth.js';
import { staffView } from './staff.js';

/** Longest agent message or note, in characters (a customer's message is cut at 2,000). */
export const MAX_DESK_TEXT = 4000;
const BODY_BYTES = 64 * 1024;

export interface DeskRoutesDeps {
  server: Server;
  auth: DeskAuth;
  live: LiveChat;
  stores: Pick<Stores, 'cases' | 'handoffs' | 'staff'>;
  content: Content;
  logger: Logger;
  now?: () => Date;
}

type Handler = (req: Request, res: Response, who: DeskIdentity) => Promise<void>;

/**
 * The desk API (`/api/desk/…`), JSON, behind a desk session: sign-in and out, the queue per team,
 * one chat (accept, messages both ways, transfer, end, notes), availability, and the follow-up
 * list (call-backs, texts, emails). Without a session every route answers 401; every
 * state-changing one also needs the CSRF header (403). Refusals name the reason.
 */
export function registerDeskRoutes(deps: DeskRoutesDeps): void {
  const { server, auth, live, stores, content } = deps;
  const now = deps.now ?? (() => new Date());
  const body = jsonBody('the request', { maxBytes: BODY_BYTES });
  const maxChats = live.options.maxChatsPerAgent;

  // signed in, then (for changes) the CSRF check, then the body: a stranger's request is refused before anything is read
  const read = (handler: Handler) => async (req: Request, res: Response) => {
    const who = await auth.identify(req);
    res.setHeader('cache-control', 'no-store');
    await handler(req, res, who);
  };
  const change = (handler: Handler) => [
    (req: Request, _res: Response, next: Next) => {
      auth.identify(req)
        .then((who) => { auth.checkCsrf(req, who); (req as Request & { who?: DeskIdentity }).who = who; })
        .then(() => next(), (e) => next(e));
    },
    body,
    async (req: Request, res: Response) => {
      res.setHeader('cache-control', 'no-store');
      await handler(req, res, (req as Request & { who: DeskIdentity }).who);
    },
  ];

  server.post('/api/desk/login', body, async (req: Request, res: Response) => {
    const b = req.body as Record<string, unknown>;
    if (!b || typeof b !== 'object' || Array.isArray(b) || typeof b.username !== 'string' || typeof b.password !== 'string' || !b.username.trim() || !b.password) {
      throw new HttpError(400, 'BadRequest', 'Send {"username": "…", "password": "…"}.');
    }
    if (b.username.length > 100 || b.password.length > 1000) throw new HttpError(401, 'BadCredentials', 'The username or password is not right.');
    const who = await auth.login(req, res, b.username, b.password);
    // signing in means taking chats; "away" is chosen on the page
    const account = (await stores.staff.update(who.account.username, { availability: 'available' }, now().toISOString())) ?? who.account;
    res.setHeader('cache-control', 'no-store');
    res.send(200, { csrfToken: who.session.csrfToken, ...me(account, who, await live.withAgentCount(account.username), maxChats) });
  });

  server.post('/api/desk/logout', ...change(async (req, res, who) => {
    await auth.logout(req, res, who);
    res.send(200, { signedOut: true });
  }));

  // after a reload the page has its cookie but not the CSRF token: it asks here (same origin only: no CORS)
  server.get('/api/desk/me', read(async (_req, res, who) => {
    res.send(200, { csrfToken: who.session.csrfToken, ...me(who.account, who, await live.withAgentCount(who.account.username), maxChats) });
  }));

  server.post('/api/desk/availability', ...change(async (req, res, who) => {
    const a = (req.body as Record<string, unknown>)?.availability;
    if (a !== 'available' && a !== 'away') throw new HttpError(400, 'BadRequest', '"availability" must be "available" or "away".');
    const account = await stores.staff.update(who.account.username, { availability: a }, now().toISOString());
    res.send(200, me(account ?? who.account, who, await live.withAgentCount(who.account.username), maxChats));
  }));

  server.get('/api/desk/queue', read(async (_req, res, who) => {
    const teams = servedTeams(who);
    const waiting = (await stores.handoffs.waiting()).filter((r) => teams.includes(r.team));
    const positions = new Map<DeskTeam, number>();
    const items = [];
    for (const r of waiting) {
      positions.set(r.team, (positions.get(r.team) ?? 0) + 1);
      const c = await stores.cases.get(r.caseNumber);
      if (c) items.push({ ...chatItem(content, r, c), position: positions.get(r.team)! });
    }
    const mine = [];
    for (const r of await stores.handoffs.withAgent(who.account.username)) {
      const c = await stores.cases.get(r.caseNumber);
      if (c) mine.push({ ...chatItem(content, r, c), acceptedAt: r.acceptedAt });
    }
    res.send(200, { teams, waiting: items, mine, openChats: mine.length, maxChats });
  }));

  server.get('/api/desk/follow-ups', read(async (_req, res) => {
    res.send(200, { followUps: (await stores.cases.followUps()).map((c) => followUpItem(content, c)) });
  }));

  server.post('/api/desk/follow-ups/:caseNumber/done', ...change(async (req, res, who) => {
    const c = await findCase(req, stores.cases);
    const note = optionalText(req.body, 'note');
    if (!needsFollowUp(c)) throw new HttpError(409, c.followUpDone ? 'AlreadyDone' : 'NotAFollowUp', c.followUpDone ? `Case ${c.number}'s follow-up was already marked done.` : `Case ${c.number} is not on the follow-up list.`);
    const by = `${who.account.displayName} (${who.account.username})`;
    await stores.cases.update(c.number, { followUpDone: { at: now().toISOString(), by } });
    const done = await stores.cases.addNote(c.number, { author: by, text: redact(`${content.text(`choice.${c.contactMethod}.title`)}: done.${note ? ` ${note}` : ''}`).text });
    res.send(200, caseDetail(content, done!, undefined));
  }));

  server.get('/api/desk/cases/:caseNumber', read(async (req, res, who) => {
    const { c, record } = await visible(req, who);
    res.send(200, caseDetail(content, c, record));
  }));

  server.get('/api/desk/cases/:caseNumber/messages', read(async (req, res, who) => {
    const { c } = await visible(req, who);
    res.send(200, { caseNumber: c.number, messages: await live.messages(c) });
  }));

  server.post('/api/desk/cases/:caseNumber/accept', ...change(async (req, res, who) => {
    const c = await findCase(req, stores.cases);
    const record = await live.get(c.number);
    if (record && record.status === 'waiting' && !servedTeams(who).includes(record.team)) {
      throw new HttpError(403, 'NotYourTeam', `Case ${c.number} waits for the ${record.team} team, which you do not serve.`);
    }
    const accepted = await live.accept(c.number, agentOf(who));
    res.send(200, caseDetail(content, (await stores.cases.get(c.number)) ?? c, accepted));
  }));

  server.post('/api/desk/cases/:caseNumber/messages', ...change(async (req, res, who) => {
    const c = await findCase(req, stores.cases);
    const text = requiredText(req.body, 'text', 'the message');
    const sent = await live.sendAgentMessage(c.number, agentOf(who), text);
    res.send(200, { caseNumber: c.number, message: { at: sent.at, from: 'agent', name: who.account.displayName, text } });
  }));

  server.post('/api/desk/cases/:caseNumber/transfer', ...change(async (req, res, who) => {
    const c = await findCase(req, stores.cases);
    const team = (req.body as Record<string, unknown>)?.team;
    if (!isDeskTeam(team)) throw new HttpError(400, 'BadRequest', `"team" must be one of ${DESK_TEAMS.join(', ')}.`);
    const note = optionalText(req.body, 'note');
    const record = await live.transfer(c.number, agentOf(who), team, note);
    res.send(200, caseDetail(content, (await stores.cases.get(c.number)) ?? c, record));
  }));

  server.post('/api/desk/cases/:caseNumber/end', ...change(async (req, res, who) => {
    const c = await findCase(req, stores.cases);
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (b.status !== undefined && b.status !== 'resolved' && b.status !== 'open') throw new HttpError(400, 'BadRequest', '"status" must be "resolved" or "open".');
    const note = optionalText(req.body, 'note');
    const { record, notified } = await live.end(c.number, agentOf(who), { status: (b.status as 'resolved' | 'open' | undefined) ?? 'resolved', note }, { supervisor: who.account.role === 'supervisor' });
    res.send(200, { ...caseDetail(content, (await stores.cases.get(c.number)) ?? c, record), notified });
  }));

  server.post('/api/desk/cases/:caseNumber/notes', ...change(async (req, res, who) => {
    await visible(req, who);
    const text = requiredText(req.body, 'text', 'the note');
    const c = await live.addNote(parsedNumber(req), agentOf(who), text);
    res.send(200, caseDetail(content, c, await live.get(c.number)));
  }));

  /** The case in the path, when this person may see it: a supervisor any; an agent a chat waiting for their team, theirs, one they handled, or a follow-up. */
  async function visible(req: Request, who: DeskIdentity): Promise<{ c: CaseRecord; record?: HandoffRecord }> {
    const c = await findCase(req, stores.cases);
    const record = await live.get(c.number);
    if (who.account.role === 'supervisor') return { c, record };
    const me = who.account.username;
    const handled = record?.events.some((e) => e.kind === 'accepted' && e.by === me) ?? false;
    const waitingForMe = record?.status === 'waiting' && servedTeams(who).includes(record.team);
    if (handled || waitingForMe || needsFollowUp(c)) return { c, record };
    throw new HttpError(403, 'NotYourChat', `Case ${c.number} is not waiting for your teams and you have not handled it.`);
  }
}

/** The teams whose queues this person sees (a supervisor: all). */
function servedTeams(who: DeskIdentity): DeskTeam[] {
  return who.account.role === 'supervisor' ? [...DESK_TEAMS] : who.account.teams;
}

function agentOf(who: DeskIdentity) {
  return { username: who.account.username, displayName: who.account.displayName };
}

function me(account: DeskIdentity['account'], who: DeskIdentity, openChats: number, maxChats: number) {
  return { ...staffView(account), expiresAt: who.session.expiresAt, openChats, maxChats };
}

function parsedNumber(req: Request): string {
  const parsed = parseCaseNumber(String(req.params?.caseNumber ?? ''));
  if (!parsed.ok) throw new HttpError(400, 'BadCaseNumber', parsed.message);
  return parsed.number;
}

async function findCase(req: Request, cases: Stores['cases']): Promise<CaseRecord> {
  const number = parsedNumber(req);
  const c = await cases.get(number);
  if (!c) throw new HttpError(404, 'CaseNotFound', `There is no case ${number}.`);
  return c;
}

function requiredText(b: unknown, field: string, what: string): string {
  const v = (b as Record<string, unknown> | undefined)?.[field];
  if (typeof v !== 'string') throw new HttpError(400, 'BadRequest', `Send ${what} as "${field}": text.`);
  if (!v.trim()) throw new HttpError(400, 'EmptyText', `${what[0].toUpperCase()}${what.slice(1)} is empty.`);
  if (v.length > MAX_DESK_TEXT) throw new HttpError(400, 'TextTooLong', `${what[0].toUpperCase()}${what.slice(1)} is ${v.length} characters; the most is ${MAX_DESK_TEXT}.`);
  return v.trim();
}

function optionalText(b: unknown, field: string): string | undefined {
  const v = (b as Record<string, unknown> | undefined)?.[field];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || v.length > MAX_DESK_TEXT) throw new HttpError(400, 'BadRequest', `"${field}" must be text of at most ${MAX_DESK_TEXT} characters.`);
  return v.trim() || undefined;
}

/** A step's label ("Clear the browser's cache") where the step is a content key. */
function stepLabel(content: Content, step: string): string {
  return content.has(`${step}.label`) ? content.text(`${step}.label`) : step;
}

/** A chat in the queue or in "mine": what the agent needs to pick it up. */
function chatItem(content: Content, r: HandoffRecord, c: CaseRecord) {
  return {
    caseNumber: r.caseNumber, team: r.team, intent: c.intent, summary: c.summary, stepsTried: c.stepsTried.map((s) => stepLabel(content, s)),
    channelId: c.channelId, waitingSince: r.requestedAt, status: r.status,
  };
}

function followUpItem(content: Content, c: CaseRecord) {
  return {
    caseNumber: c.number, contactMethod: c.contactMethod, callbackWindow: c.callbackWindow, intent: c.intent, team: c.team,
    summary: c.summary, stepsTried: c.stepsTried.map((s) => stepLabel(content, s)), createdAt: c.createdAt, status: c.status,
  };
}

/** One case as the desk shows it: never the conversation reference (an internal detail). */
function caseDetail(content: Content, c: CaseRecord, r: HandoffRecord | undefined) {
  return {
    caseNumber: c.number, status: c.status, intent: c.intent, team: c.team, channelId: c.channelId, contactMethod: c.contactMethod,
    callbackWindow: c.callbackWindow, summary: c.summary, stepsTried: c.stepsTried.map((s) => stepLabel(content, s)),
    notes: c.notes, handledBy: c.handledBy ?? [], followUpDone: c.followUpDone, createdAt: c.createdAt,
    chat: r ? {
      status: r.status, team: r.team, via: r.via, requestedAt: r.requestedAt, acceptedAt: r.acceptedAt, endedAt: r.endedAt, endReason: r.endReason,
      agent: r.agent, transfers: r.events.filter((e) => e.kind === 'transferred').map((e) => ({ at: e.at, by: e.by, from: e.team, to: e.toTeam, note: e.note })),
    } : undefined,
  };
}

