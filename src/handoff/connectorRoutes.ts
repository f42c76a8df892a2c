import type { Server, Request, Response, Next } from 'restify';
import { HttpError } from '../http/errors.js';
import { jsonBody } from '../http/body.js';
import { parseCaseNumber } from '../cases/caseNumber.js';
import type { LiveChat } from './liveChat.js';
import { signatureProblem } from './connector.js';

/**
 * `POST /api/handoff/status`: the contact centre's signed status callback (the same HMAC-SHA256
 * signature scheme as the webhook, under `HANDOFF_WEBHOOK_SECRET`), JSON `{caseNumber, state:
 * "accepted"|"completed"|"failed", agentName?}`. The customer is told on their own channel.
 * Without a configured connector the route answers 403; a bad or missing signature 401.
 */
export function registerConnectorRoutes(server: Server, deps: { secret: string; live: LiveChat }): void {
  const verify = (req: Request, _res: Response, next: Next) => {
    if (!deps.secret) return next(new HttpError(403, 'ConnectorDisabled', 'No contact centre is configured (HANDOFF_WEBHOOK_URL): hand-offs go to the built-in desk.'));
    const raw = (req as Request & { rawBody?: string }).rawBody ?? '';
    const problem = signatureProblem(deps.secret, req.headers, raw);
    if (problem) return next(new HttpError(401, 'BadSignature', problem));
    return next();
  };
  server.post('/api/handoff/status', jsonBody('the status', { maxBytes: 16 * 1024 }), verify, async (req: Request, res: Response) => {
    const b = req.body as Record<string, unknown>;
    const parsed = parseCaseNumber(String(b?.caseNumber ?? ''));
    if (!parsed.ok) throw new HttpError(400, 'BadCaseNumber', parsed.message);
    if (b.state !== 'accepted' && b.state !== 'completed' && b.state !== 'failed') throw new HttpError(400, 'BadRequest', '"state" must be "accepted", "completed" or "failed".');
    if (b.agentName !== undefined && (typeof b.agentName !== 'string' || b.agentName.length > 60)) throw new HttpError(400, 'BadRequest', '"agentName" must be text of at most 60 characters.');
    await deps.live.connectorCallback(parsed.number, b.state, b.agentName as string | undefined);
    res.send(200, { caseNumber: parsed.number, state: b.state });
  });
}
