import http from 'node:http';
import { expect } from 'chai';
import { request, type HttpResult } from './server.js';

/** The admin token the desk tests start servers with. */
export const ADMIN_TOKEN = 'test-admin-token-desk-0123456789';
/** A password every test account may use (long enough, nothing guessable in it). */
export const PASSWORD = 'Orbit-lantern-9-meadow';

export interface NewAgent { username: string; displayName: string; role?: 'agent' | 'supervisor'; teams?: string[]; password?: string }

/** Creates a staff account through `POST /api/staff`, failing the test unless it is 201. */
export async function addStaff(base: string, a: NewAgent): Promise<HttpResult> {
  const r = await request('POST', `${base}/api/staff`, { role: 'agent', password: PASSWORD, ...a }, { authorization: `Bearer ${ADMIN_TOKEN}` });
  expect(r.status, r.body).to.equal(201);
  return r;
}

/** A person at the desk: their session cookie and CSRF token, sent on every request. */
export class Agent {
  cookie = '';
  csrf = '';
  me: any;

  constructor(readonly base: string) {}

  /** Signs in (failing the test unless it works). */
  static async login(base: string, username: string, password = PASSWORD): Promise<Agent> {
    const a = new Agent(base);
    const r = await a.login(username, password);
    expect(r.status, r.body).to.equal(200);
    return a;
  }

  async login(username: string, password = PASSWORD): Promise<HttpResult> {
    const r = await request('POST', `${this.base}/api/desk/login`, { username, password });
    const set = r.headers['set-cookie']?.[0];
    if (r.status === 200 && set) {
      this.cookie = set.split(';')[0];
      this.csrf = r.json.csrfToken;
      this.me = r.json;
    }
    return r;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
    return request('GET', `${this.base}${path}`, undefined, { cookie: this.cookie, ...headers });
  }

  post(path: string, body: object | string = {}, headers: Record<string, string> = {}): Promise<HttpResult> {
    return request('POST', `${this.base}${path}`, body, { cookie: this.cookie, 'x-csrf-token': this.csrf, ...headers });
  }

  /** Opens the event stream with this session. */
  events(): Promise<EventStream> { return EventStream.open(`${this.base}/api/desk/events`, this.cookie); }
}

/** A Server-Sent Events stream read by hand (no EventSource in Node 20). */
export class EventStream {
  readonly events: Array<{ event: string; data: any }> = [];
  private buffer = '';
  private constructor(private readonly req: http.ClientRequest, readonly status: number) {}

  static open(url: string, cookie: string): Promise<EventStream> {
    return new Promise((resolve, reject) => {
      const req = http.get(url, { headers: { cookie, accept: 'text/event-stream' } }, (res) => {
        const s = new EventStream(req, res.statusCode ?? 0);
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => s.take(chunk));
        res.on('error', () => undefined);
        resolve(s);
      });
      req.on('error', reject);
    });
  }

  private take(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message', data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      if (data) this.events.push({ event, data: JSON.parse(data) });
    }
  }

  /** Waits for an event of kind `event` matching `pred`, seen after index `from`. */
  async next(event: string, pred: (data: any) => boolean = () => true, ms = 15_000, from = 0): Promise<any> {
    const t0 = Date.now();
    for (;;) {
      const hit = this.events.slice(from).find((e) => e.event === event && pred(e.data));
      if (hit) return hit.data;
      if (Date.now() - t0 > ms) throw new Error(`no "${event}" event within ${ms} ms; got ${JSON.stringify(this.events.map((e) => e.event))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void { this.req.destroy(); }
}

/** A customer on the web page, over the self-hosted Direct Line (HTTP: post, then read new activities). */
export class WebCustomer {
  token = '';
  conversationId = '';
  watermark = 0;
  readonly received: any[] = [];

  constructor(readonly base: string) {}

  static async start(base: string): Promise<WebCustomer> {
    const c = new WebCustomer(base);
    const t = (await request('POST', `${base}/api/directline/token`, {})).json;
    c.token = t.token;
    c.conversationId = t.conversationId;
    const r = await request('POST', `${base}/v3/directline/conversations`, {}, { authorization: `Bearer ${c.token}` });
    expect(r.status).to.be.oneOf([200, 201]);
    await c.read();
    return c;
  }

  /** Sends a message; resolves with the texts the bot (or an agent) sent since the last read. */
  async say(text: string): Promise<string[]> {
    const r = await request('POST', `${this.base}/v3/directline/conversations/${this.conversationId}/activities`,
      { type: 'message', text, from: { id: 'me' } }, { authorization: `Bearer ${this.token}` });
    expect(r.status, r.body).to.equal(200);
    return this.read();
  }

  /** New activities since the last read (their texts; all of them are kept in `received`). */
  async read(): Promise<string[]> {
    const r = await request('GET', `${this.base}/v3/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`, undefined, { authorization: `Bearer ${this.token}` });
    expect(r.status, r.body).to.equal(200);
    this.watermark = Number(r.json.watermark);
    const fresh = r.json.activities.filter((a: any) => a.from?.role !== 'user');
    this.received.push(...fresh);
    return fresh.filter((a: any) => a.type === 'message').map((a: any) => a.text ?? '');
  }

  /** Reads until a message from the bot side matches `re`. */
  async waitFor(re: RegExp, ms = 15_000): Promise<string> {
    const t0 = Date.now();
    for (;;) {
      const hit = this.received.find((a) => a.type === 'message' && re.test(a.text ?? ''));
      if (hit) return hit.text;
      if (Date.now() - t0 > ms) throw new Error(`no message matching ${re} within ${ms} ms; got ${JSON.stringify(this.received.map((a) => a.text))}`);
      await this.read();
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Asks for a person by live chat, describing the problem; resolves with the case number. */
  async escalate(description = 'my phone has had no signal since the update'): Promise<{ caseNumber: string; texts: string[] }> {
    const asked = await this.say('I want to talk to a person');
    expect(asked.join('\n'), 'asked how to reach a person').to.match(/How would you like to reach them/);
    const next = await this.say('Live chat');
    const texts = /what do you need help with/i.test(next.join('\n')) ? await this.say(description) : next;
    const caseNumber = /CS-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(texts.join('\n'))?.[0];
    expect(caseNumber, texts.join('\n')).to.be.a('string');
    return { caseNumber: caseNumber!, texts };
  }
}
