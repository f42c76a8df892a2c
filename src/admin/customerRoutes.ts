import type { Server, Request, Response } from 'restify';
import type { Stores } from '../storage/stores.js';
import { HttpError } from '../http/errors.js';
import { eraseCustomer, exportCustomer } from '../privacy/customerData.js';
import { requireAdminToken } from './adminAuth.js';
import { ADMIN_ACTOR } from './adminRoutes.js';

export interface CustomerRoutesDeps {
  token: string;
  stores: Pick<Stores, 'state' | 'cases' | 'transcripts' | 'feedback' | 'directLine' | 'handoffs' | 'audit' | 'outcomes' | 'reviewLabels'>;
}

/**
 * Customer data rights and the audit log, behind the admin token:
 * `GET /api/customers/{channelId}/{userId}/export` (everything stored about one customer),
 * `DELETE /api/customers/{channelId}/{userId}` (erasure: cases kept, anonymised) and
 * `GET /api/audit?limit=&actor=&target=` (read only: the log cannot be changed through the API).
 * Both customer routes are recorded in the audit log.
 */
export function registerCustomerRoutes(server: Server, deps: CustomerRoutesDeps): void {
  const auth = requireAdminToken(deps.token);

  server.get('/api/customers/:channelId/:userId/export', auth, async (req: Request, res: Response) => {
    const { channelId, userId } = customer(req);
    const data = await exportCustomer(deps.stores, channelId, userId);
    await deps.stores.audit.record({ actor: ADMIN_ACTOR, action: 'customer.export', target: `${channelId}/${userId}`, detail: { conversations: data.conversations.length, cases: data.cases.length } });
    res.setHeader('cache-control', 'no-store');
    res.send(200, data);
  });

  server.del('/api/customers/:channelId/:userId', auth, async (req: Request, res: Response) => {
    const { channelId, userId } = customer(req);
    const erased = await eraseCustomer(deps.stores, channelId, userId);
    await deps.stores.audit.record({ actor: ADMIN_ACTOR, action: 'customer.erase', target: `${channelId}/${userId}`, detail: { ...erased } });
    res.send(200, { channelId, userId, erased });
  });

  server.get('/api/audit', auth, async (req: Request, res: Response) => {
    const q = (req.query ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(q)) {
      if (!['limit', 'actor', 'target'].includes(k)) throw new HttpError(400, 'BadQuery', `Unknown query parameter "${k.slice(0, 40)}": use limit, actor and target.`);
      if (typeof v !== 'string' || v.length > 300) throw new HttpError(400, 'BadQuery', `Give "${k}" once, as text of at most 300 characters.`);
    }
    if (q.limit !== undefined && !(/^\d{1,4}$/.test(q.limit as string) && Number(q.limit) >= 1 && Number(q.limit) <= 1000)) throw new HttpError(400, 'BadQuery', '"limit" must be a whole number from 1 to 1000.');
    res.send(200, { entries: await deps.stores.audit.list({ limit: q.limit ? Number(q.limit) : undefined, actor: q.actor as string | undefined, target: q.target as string | undefined }) });
  });
}

function customer(req: Request): { channelId: string; userId: string } {
  const channelId = String(req.params?.channelId ?? ''), userId = String(req.params?.userId ?? '');
  for (const [name, v] of [['channelId', channelId], ['userId', userId]] as const) {
    if (!v || v.length > 256 || /[\u0000-\u001f]/.test(v)) throw new HttpError(400, 'BadCustomer', `"${name}" must be 1 to 256 printable characters (URL-encode it in the path).`);
  }
  return { channelId, userId };
}
