import type { Server } from 'restify';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Content } from '../content/content.js';
import type { Stores } from '../storage/stores.js';
import type { RateLimits } from '../http/rateLimit.js';
import type { LiveChat } from '../handoff/liveChat.js';
import { registerConnectorRoutes } from '../handoff/connectorRoutes.js';
import { DeskAuth } from './auth.js';
import { registerDeskRoutes } from './routes.js';
import { registerDeskEvents } from './events.js';
import { registerStaffRoutes } from './staffRoutes.js';
import { mountDeskPage } from './page.js';
import { deskSessionAuthenticator } from './staffAuthenticator.js';
import type { StaffAuthenticator } from '../http/staffAccess.js';

export interface DeskDeps {
  server: Server;
  config: Config;
  logger: Logger;
  content: Content;
  stores: Pick<Stores, 'cases' | 'handoffs' | 'staff' | 'deskSessions' | 'bus'>;
  limits: RateLimits;
  live: LiveChat;
}

/** How often expired desk sessions are dropped. */
const PURGE_SESSIONS_EVERY_MS = 3_600_000;

/**
 * The agent desk on the HTTP server: `/desk` (the page), `/api/desk/…` (its API and event
 * stream), `POST /api/staff` (accounts, admin token) and `POST /api/handoff/status` (the contact
 * centre's signed callback). `close()` ends the open event streams (before the server closes).
 */
export function mountDesk(deps: DeskDeps): { close(): void; streams(): number; supervisors: StaffAuthenticator } {
  const { server, config, logger, stores, live } = deps;
  const auth = new DeskAuth({
    sessions: stores.deskSessions, staff: stores.staff, limits: deps.limits, ttlSeconds: config.desk.sessionTtlSeconds,
    loginFailuresPerAccount: config.desk.loginFailuresPerAccount, loginFailuresPerAddress: config.desk.loginFailuresPerAddress, trustProxy: config.trustProxy,
  });
  registerDeskRoutes({ server, auth, live, stores, content: deps.content, logger });
  const events = registerDeskEvents({ server, auth, bus: stores.bus, logger });
  registerStaffRoutes(server, { token: config.adminToken, staff: stores.staff });
  registerConnectorRoutes(server, { secret: config.handoffWebhook.secret, live });
  mountDeskPage({ server, config, brand: deps.content.brand, contentDir: config.contentDir });
  const purge = setInterval(() => {
    stores.deskSessions.purgeExpired(new Date().toISOString()).catch((err) => logger.warn({ err }, 'could not drop expired desk sessions'));
  }, PURGE_SESSIONS_EVERY_MS);
  purge.unref();
  // supervisors signed in to the desk may also use the insights and review routes
  return { streams: events.streams, close: () => { clearInterval(purge); events.close(); }, supervisors: deskSessionAuthenticator(auth) };
}
