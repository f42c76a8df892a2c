import { expect } from 'chai';
import restify from 'restify';
import { createLogger } from '../../src/logger.js';
import { RateLimits } from '../../src/http/rateLimit.js';
import { installErrorHandler } from '../../src/http/errors.js';
import { DeskAuth } from '../../src/desk/auth.js';
import { registerDeskEvents } from '../../src/desk/events.js';
import { registerDeskRoutes } from '../../src/desk/routes.js';
import { LiveChat, DESK_TOPIC } from '../../src/handoff/liveChat.js';
import { createStaff } from '../../src/desk/staff.js';
import { Content } from '../../src/content/content.js';
import { loadConfig } from '../../src/config.js';
import type { Stores } from '../../src/storage/stores.js';
import { tempStores } from '../support/stores.js';
import { Agent, PASSWORD } from '../support/desk.js';

const content = Content.load(loadConfig({}).contentDir);

/**
 * The desk's event stream on a small server of its own, so its heartbeat can be fast: what it
 * forwards from the bus to whom, and how it ends when the session does.
 */
describe('the desk event stream (Server-Sent Events)', () => {
  let stores: Stores;
  let server: restify.Server;
  let base: string;
  let closeEvents: () => void;
  before(async () => {
    stores = await tempStores();
    const logger = createLogger('silent');
    server = restify.createServer({ handleUncaughtExceptions: false });
    installErrorHandler(server, logger);
    const auth = new DeskAuth({ sessions: stores.deskSessions, staff: stores.staff, limits: new RateLimits(), ttlSeconds: 3600, loginFailuresPerAccount: 5, loginFailuresPerAddress: 20, trustProxy: false });
    const live = new LiveChat({ stores, content, logger, options: { maxChatsPerAgent: 3, waitLimitMs: 600_000, presenceMs: 90_000 } });
    registerDeskRoutes({ server, auth, live, stores, content, logger });
    closeEvents = registerDeskEvents({ server, auth, bus: stores.bus, logger, heartbeatMs: 100 }).close;
    for (const [username, role] of [['sam', 'agent'], ['kim', 'agent'], ['sue', 'supervisor']] as const) {
      await createStaff(stores.staff, { username, password: PASSWORD, displayName: username, role }, new Date());
    }
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(async () => { closeEvents(); server.close(); await stores.close(); });

  it('answers 401 without a session', async () => {
    const stream = await new Agent(base).events();
    expect(stream.status).to.equal(401);
    stream.close();
  });

  it('forwards queue and chat changes to every desk, and a customer\'s message only to the agent who has the chat (and supervisors)', async () => {
    const [sam, kim, sue] = await Promise.all(['sam', 'kim', 'sue'].map((u) => Agent.login(base, u)));
    const [s, k, v] = await Promise.all([sam.events(), kim.events(), sue.events()]);
    try {
      for (const st of [s, k, v]) expect(st.status).to.equal(200);
      await s.next('ready');
      await stores.bus.publish(DESK_TOPIC, { kind: 'queue' });
      await stores.bus.publish(DESK_TOPIC, { kind: 'case', caseNumber: 'CS-AAAA-AAAA', status: 'with_agent', what: 'accepted', agent: 'sam' });
      await stores.bus.publish(DESK_TOPIC, { kind: 'message', caseNumber: 'CS-AAAA-AAAA', agent: 'sam', message: { at: '2026-01-01T00:00:00.000Z', from: 'customer', text: '<b>hi</b>' } });
      for (const st of [s, k, v]) { await st.next('queue'); await st.next('case', (e) => e.caseNumber === 'CS-AAAA-AAAA'); }
      expect((await s.next('message')).message.text).to.equal('<b>hi</b>');
      expect((await v.next('message')).caseNumber).to.equal('CS-AAAA-AAAA');
      await new Promise((r) => setTimeout(r, 150));
      expect(k.events.filter((e) => e.event === 'message')).to.deep.equal([]);
    } finally { s.close(); k.close(); v.close(); }
  });

  it('ends with "signed-out" when the session ends (signed out elsewhere)', async () => {
    const sam = await Agent.login(base, 'sam');
    const stream = await sam.events();
    try {
      await stream.next('ready');
      expect((await sam.post('/api/desk/logout')).status).to.equal(200);
      expect(await stream.next('signed-out', () => true, 5000)).to.deep.equal({ code: 'NotSignedIn' });
    } finally { stream.close(); }
  });
});
