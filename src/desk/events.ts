import type { Server, Request, Response } from 'restify';
import type { Logger } from '../logger.js';
import type { EventBus } from '../storage/eventBus.js';
import { DESK_TOPIC, type DeskEvent } from '../handoff/liveChat.js';
import type { DeskAuth } from './auth.js';
import { HttpError } from '../http/errors.js';

/** How often an open stream is checked (session still valid) and kept alive through proxies. */
const HEARTBEAT_MS = 15_000;

export interface DeskEventsDeps {
  server: Server;
  auth: DeskAuth;
  bus: EventBus;
  logger: Logger;
  heartbeatMs?: number;
}

/**
 * `GET /api/desk/events`: Server-Sent Events for the desk page, fed by the event bus, so an agent
 * on one instance hears a customer on another. Events: `queue` (the queue changed: read it
 * again), `case` (a chat was accepted, transferred or ended), `message` (a customer wrote in one
 * of this agent's chats; supervisors hear all), `resync` (events may have been missed: read
 * everything again) and `signed-out` (the session ended: the stream closes). The stream's
 * heartbeat also keeps the agent counted as signed in.
 */
export function registerDeskEvents(deps: DeskEventsDeps): { close(): void; streams(): number } {
  const open = new Set<Response>();
  const every = deps.heartbeatMs ?? HEARTBEAT_MS;

  deps.server.get('/api/desk/events', async (req: Request, res: Response) => {
    const who = await deps.auth.identify(req);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no', connection: 'keep-alive' });
    const send = (event: string, data: unknown) => { if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`); };
    res.write('retry: 3000\n\n');
    send('ready', { username: who.account.username });
    open.add(res);
    const unsubscribe = deps.bus.subscribe(DESK_TOPIC, (payload) => {
      const e = payload as DeskEvent;
      if (e.kind === 'message' && !(e.agent === who.account.username || who.account.role === 'supervisor')) return;
      send(e.kind, e);
    }, () => send('resync', {}));
    const beat = setInterval(() => {
      void deps.auth.identify(req).then(() => {
        if (!res.writableEnded) res.write(': ping\n\n');
      }).catch((err: unknown) => {
        // signed out, expired or removed: the page asks to sign in again; a store hiccup just waits for the next beat
        if (err instanceof HttpError && err.status === 401) { send('signed-out', { code: err.code }); res.end(); }
        else if (!(err instanceof HttpError)) deps.logger.debug({ err }, 'desk stream heartbeat could not check the session');
      });
    }, every);
    beat.unref();
    const done = () => { clearInterval(beat); unsubscribe(); open.delete(res); };
    res.once('close', done);
    req.once('close', done);
  });

  return {
    streams: () => open.size,
    close: () => { for (const res of open) res.end(); open.clear(); },
  };
}
