import type { Server, Request, Response } from 'restify';
import type { StaffStore } from '../storage/staffStore.js';
import { HttpError } from '../http/errors.js';
import { jsonBody } from '../http/body.js';
import { requireAdminToken } from '../admin/adminAuth.js';
import { createStaff, StaffError, staffView } from './staff.js';

/**
 * `POST /api/staff` (`Authorization: Bearer <ADMIN_TOKEN>`) with `{username, password,
 * displayName, role, teams?}`: 201 with the account (never its password hash), 409 for a taken
 * username, 400 with the reason for a weak password or a bad field.
 */
export function registerStaffRoutes(server: Server, deps: { token: string; staff: StaffStore; now?: () => Date }): void {
  const now = deps.now ?? (() => new Date());
  server.post('/api/staff', requireAdminToken(deps.token), jsonBody('the account', { maxBytes: 16 * 1024 }), async (req: Request, res: Response) => {
    try {
      const account = await createStaff(deps.staff, req.body, now());
      res.setHeader('cache-control', 'no-store');
      res.send(201, staffView(account));
    } catch (err) {
      if (err instanceof StaffError) throw new HttpError(err.status, err.status === 409 ? 'UsernameTaken' : 'BadRequest', err.message);
      throw err;
    }
  });
}
