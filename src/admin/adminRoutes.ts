import type { Server, Request, Response } from 'restify';
import type { ConversationReference, TranscriptStore } from 'botbuilder';
import type { Logger } from '../logger.js';
import type { Content } from '../content/content.js';
import { HttpError } from '../http/errors.js';
import { jsonBody } from '../http/body.js';
import { parseCaseNumber } from '../cases/caseNumber.js';
import { CASE_STATUSES, type CaseRecord, type CaseStatus } from '../cases/types.js';
import { caseView } from '../cases/caseRecords.js';
import type { CaseStore } from '../storage/caseStore.js';
import type { AuditLog } from '../storage/auditLog.js';
import { redact } from '../privacy/redact.js';
import { readWholeTranscript, transcriptLines } from '../transcripts/transcripts.js';
import { requireAdminToken } from './adminAuth.js';

/**
 * Sends a message to the customer of a stored conversation reference, outside any turn. Built in
 * `src/app.ts` from the adapter that owns the reference's channel. `message` is called inside the
 * turn that delivers it, so `Content.text` answers in the conversation's language (the language
 * middleware has run); the reference's `locale` is the fallback when the conversation has none.
 */
export type Notifier = (reference: Partial<ConversationReference>, message: () => string) => Promise<void>;

/** How the audit log names whoever used the shared admin token. */
export const ADMIN_ACTOR = 'admin-token';

export interface AdminDeps {
  /** `ADMIN_TOKEN`; empty disables the admin API. */
  token: string;
  cases: CaseStore;
  transcripts: TranscriptStore;
  notify: Notifier;
  /** Every change staff make is recorded here. */
  audit: AuditLog;
  content: Content;
  logger: Logger;
  maxBodyBytes?: number;
}

/**
 * The staff admin API, behind `Authorization: Bearer <ADMIN_TOKEN>`:
 * `GET /api/cases?status=&limit=&cursor=`, `GET /api/cases/{caseNumber}` (with its redacted
 * transcript) and `PATCH /api/cases/{caseNumber}` `{status?, note?, author?}`; resolving a case
 * tells the customer proactively.
 */
export function registerAdminRoutes(server: Server, deps: AdminDeps): void {
  for (const k of ['cases', 'transcripts', 'notify', 'audit', 'content', 'logger'] as const) {
    if (!deps?.[k]) throw new Error(`[registerAdminRoutes]: Missing parameter. ${k} is required`);
  }
  const auth = requireAdminToken(deps.token);

  server.get('/api/cases', auth, async (req: Request, res: Response) => {
    const q = (req.query ?? {}) as Record<string, unknown>;
    const problem = listQueryProblem(q);
    if (problem) throw new HttpError(400, 'BadQuery', problem);
    const cursor = q.cursor ? (parseCaseNumber(String(q.cursor)) as { number: string }).number : undefined;
    const page = await deps.cases.list({ status: (q.status || undefined) as CaseStatus | undefined, limit: q.limit ? Number(q.limit) : undefined, cursor });
    res.send(200, { cases: page.cases.map(caseView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
  });

  server.get('/api/cases/:caseNumber', auth, async (req: Request, res: Response) => {
    const found = await findCase(req, deps.cases);
    const activities = await readWholeTranscript(deps.transcripts, found.channelId, found.conversationId);
    res.send(200, { ...caseView(found), transcript: transcriptLines(activities) });
  });

  server.patch('/api/cases/:caseNumber', auth, jsonBody('the change', { maxBytes: deps.maxBodyBytes ?? 64 * 1024 }),
    async (req: Request, res: Response) => {
      const problem = patchProblem(req.body);
      if (problem) throw new HttpError(400, 'BadRequest', problem);
      const found = await findCase(req, deps.cases);
      const body = req.body as { status?: CaseStatus; note?: string; author?: string };
      let record: CaseRecord | undefined = found;
      if (body.note !== undefined) {
        record = await deps.cases.addNote(found.number, { author: body.author?.trim() || 'staff', text: redact(body.note.trim()).text });
      }
      let notified: boolean | undefined;
      if (body.status !== undefined && body.status !== found.status) {
        record = await deps.cases.updateStatus(found.number, body.status);
        if (body.status === 'resolved') notified = await notifyResolved(deps, found);
      }
      if (!record) throw new HttpError(404, 'CaseNotFound', `There is no case ${found.number}.`);
      await deps.audit.record({ actor: ADMIN_ACTOR, action: 'case.update', target: found.number, detail: {
        ...(body.status !== undefined ? { status: { from: found.status, to: body.status } } : {}), ...(body.note !== undefined ? { noteAdded: true } : {}),
        ...(notified !== undefined ? { notified } : {}),
      } });
      res.send(200, { ...caseView(record), ...(notified !== undefined ? { notified } : {}) });
    });
}

/** Tells the customer their case is resolved; a failure is logged and reported, never thrown. */
async function notifyResolved(deps: AdminDeps, c: CaseRecord): Promise<boolean> {
  try {
    // a conversation whose state is gone still gets the language the case was opened in
    const reference = { ...c.conversationReference, locale: c.conversationReference.locale ?? c.language };
    await deps.notify(reference, () => deps.content.text('cases.resolved_notice', { caseNumber: c.number }));
    return true;
  } catch (err) {
    deps.logger.warn({ err, caseNumber: c.number, channelId: c.channelId }, 'could not tell the customer their case is resolved');
    return false;
  }
}

/** The case named in the path; 400 when malformed, 404 when unknown. */
async function findCase(req: Request, cases: CaseStore): Promise<CaseRecord> {
  const raw = String(req.params?.caseNumber ?? '');
  const parsed = parseCaseNumber(raw);
  if (!parsed.ok) throw new HttpError(400, 'BadCaseNumber', parsed.message);
  const c = await cases.get(parsed.number);
  if (!c) throw new HttpError(404, 'CaseNotFound', `There is no case ${parsed.number}.`);
  return c;
}

function listQueryProblem(q: Record<string, unknown>): string | undefined {
  for (const [k, v] of Object.entries(q)) {
    if (!['status', 'limit', 'cursor'].includes(k)) return `Unknown query parameter "${k}": use status, limit and cursor.`;
    if (typeof v !== 'string') return `Give "${k}" once.`;
  }
  if (q.status && !(CASE_STATUSES as readonly string[]).includes(q.status as string)) return `"status" must be one of ${CASE_STATUSES.join(', ')}.`;
  if (q.limit !== undefined && q.limit !== '' && !(/^\d+$/.test(q.limit as string) && Number(q.limit) >= 1 && Number(q.limit) <= 500)) return '"limit" must be a whole number from 1 to 500.';
  if (q.cursor) {
    const p = parseCaseNumber(q.cursor as string);
    if (!p.ok) return `"cursor" must be a case number (the "nextCursor" of the previous page): ${p.message}`;
  }
  return undefined;
}

function patchProblem(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'The body must be a JSON object like {"status": "resolved", "note": "…"}.';
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).find((k) => !['status', 'note', 'author'].includes(k));
  if (unknown) return `Unknown field "${unknown}": send status, note and author only.`;
  if (b.status === undefined && b.note === undefined) return 'Send "status", "note" or both.';
  if (b.status !== undefined && !(CASE_STATUSES as readonly unknown[]).includes(b.status)) return `"status" must be one of ${CASE_STATUSES.join(', ')}.`;
  if (b.note !== undefined && (typeof b.note !== 'string' || !b.note.trim() || b.note.length > 4000)) return '"note" must be non-empty text of at most 4000 characters.';
  if (b.author !== undefined && (typeof b.author !== 'string' || b.author.length > 100)) return '"author" must be text of at most 100 characters.';
  return undefined;
}

