import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ROOT, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createApp, type App, type AppOptions } from '../../src/app.js';

export function tempDir(prefix = 'support-bot-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TestServer { app: App; base: string; config: Config; close(): Promise<void> }

/**
 * The trained-model cache every test process and server shares (`MODEL_CACHE_DIR`): the first to
 * need a model trains it, the others load it (a model is keyed by its examples, settings and the
 * NLU code, so a change to any of them trains anew).
 */
export const TEST_MODEL_CACHE = join(ROOT, 'node_modules', '.cache', 'support-bot', 'models');

/** Starts the real app (restify + CloudAdapter + lowdb) on a free loopback port. */
export async function startServer(env: Record<string, string> = {}, options: AppOptions = {}): Promise<TestServer> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDir(), MODEL_CACHE_DIR: TEST_MODEL_CACHE, LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_MS: '2000', ...env }, 'test');
  const app = await createApp(config, createLogger(config.logLevel), options);
  const port = await app.listen();
  return { app, config, base: `http://127.0.0.1:${port}`, close: () => app.close() };
}

export interface HttpResult { status: number; headers: http.IncomingHttpHeaders; body: string; json: any }

/** A raw HTTP request (so tests can send malformed bodies and odd content types). */
export function request(method: string, url: string, body?: string | object, headers: Record<string, string> = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = http.request({
      hostname: u.hostname, port: u.port, path: u.pathname + u.search, method,
      headers: { ...(data !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(data)) } : {}), ...headers },
    }, (res) => {
      let b = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (b += c));
      res.on('end', () => { let json; try { json = JSON.parse(b); } catch { /* not JSON */ } resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b, json }); });
    });
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

let seq = 0;
/** An Emulator-style message activity. */
export function activity(conversationId: string, text: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message', id: `act-${++seq}`, text, channelId: 'emulator', serviceUrl: 'http://127.0.0.1:9/',
    conversation: { id: conversationId }, from: { id: `user-${conversationId}`, name: 'Customer', role: 'user' },
    recipient: { id: 'bot', name: 'Bot', role: 'bot' }, locale: 'en-US', timestamp: new Date().toISOString(),
    deliveryMode: 'expectReplies', ...extra,
  };
}

/** Sends one message with expectReplies and returns the bot's activities. */
export async function say(base: string, conversationId: string, text: string | undefined, extra: Record<string, unknown> = {}) {
  const r = await request('POST', `${base}/api/messages`, activity(conversationId, text, extra));
  const activities: any[] = r.json?.activities ?? [];
  return { status: r.status, activities, messages: activities.filter((a) => a.type === 'message'), texts: activities.filter((a) => a.type === 'message').map((a) => a.text ?? '') };
}

export interface FakeConnector {
  url: string;
  /** Every activity the bot posted, in order, with the request path as `_path`. */
  posted: any[];
  /** Resolves once `n` activities were posted; fails (with what did arrive) after `ms`. */
  waitFor(n: number, ms?: number): Promise<any[]>;
  /** With `hold`: answers every post held so far and from now on (the bot's sends complete). */
  release(): void;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for a channel's Connector service: records what the bot posts to
 * `/v3/conversations/{id}/activities[/{replyTo}]` and answers like the real one. With `hold`,
 * it records each post at once but answers none until `release()`, so the bot's turns stay in
 * flight (each is awaiting its send) for as long as a test needs.
 */
export async function startFakeConnector(options: { hold?: boolean } = {}): Promise<FakeConnector> {
  const posted: any[] = [];
  let held = options.hold ?? false;
  const waiting: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => {
      if (req.method === 'POST' && /^\/v3\/conversations\/[^/]+\/activities/.test(req.url ?? '')) {
        try { posted.push({ ...JSON.parse(b), _path: req.url }); } catch { posted.push({ _raw: b, _path: req.url }); }
        const id = `posted-${posted.length}`;
        const answer = () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ id })); };
        if (held) waiting.push(answer); else answer();
      } else { res.writeHead(404); res.end(); }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    posted,
    async waitFor(n, ms = 5000) {
      const t0 = Date.now();
      while (posted.length < n) {
        if (Date.now() - t0 > ms) throw new Error(`fake connector: ${posted.length} of ${n} activities posted within ${ms} ms: ${JSON.stringify(posted.map((p) => [p.type, p.text]))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return posted;
    },
    release() { held = false; for (const answer of waiting.splice(0)) answer(); },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
