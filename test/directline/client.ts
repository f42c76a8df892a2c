import { createRequire } from 'node:module';
import { WebSocket } from 'ws';
import { DirectLine, type DirectLineOptions } from 'botframework-directlinejs';

// directlinejs is built on rxjs 5 and its `Observable.ajax`, which needs a browser XMLHttpRequest.
// It accepts its transport as `services`: here `ajax` is the same request done with Node's fetch,
// and `WebSocket` is the `ws` package, so the real client runs unmodified in Node.
const require = createRequire(import.meta.url);
const { Observable } = require('rxjs/Observable') as { Observable: { create(f: (o: { next(v: unknown): void; error(e: unknown): void; complete(): void }) => () => void): unknown } };

interface AjaxRequest { method?: string; url: string; body?: unknown; headers?: Record<string, string>; timeout?: number }

/** An `Observable.ajax` look-alike on fetch: emits `{response, status}`, errors carry `status` like rxjs' AjaxError. */
export function fetchAjax(req: AjaxRequest): unknown {
  return Observable.create((subscriber) => {
    const controller = new AbortController();
    const body = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    fetch(req.url, { method: req.method ?? 'GET', headers: req.headers, body, signal: controller.signal })
      .then(async (res) => {
        const text = await res.text();
        let response: unknown = text;
        try { response = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
        if (res.status >= 200 && res.status < 300) {
          subscriber.next({ response, status: res.status });
          subscriber.complete();
        } else {
          subscriber.error({ status: res.status, response, xhr: { getResponseHeader: (h: string) => res.headers.get(h) } });
        }
      })
      .catch((err) => { if (!controller.signal.aborted) subscriber.error({ status: 0, error: err }); });
    return () => controller.abort();
  });
}

/** A real `botframework-directlinejs` client for Node; `webSocket: false` polls. */
export function nodeDirectLine(options: DirectLineOptions & { webSocket?: boolean }): DirectLine {
  if (options.webSocket && typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'undefined') {
    // directlinejs checks for a global WebSocket before it will stream (Node 20 has none)
    (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  }
  return new DirectLine({ ...options, ajax: fetchAjax, WebSocket } as DirectLineOptions);
}

/** Collects what a client receives, and waits for what a test expects. */
export function collect(dl: DirectLine) {
  const received: any[] = [];
  const sub = dl.activity$.subscribe((a) => received.push(a), () => undefined);
  return {
    received,
    async until(pred: (all: any[]) => boolean, what: string, ms = 15000): Promise<any[]> {
      const t0 = Date.now();
      while (!pred(received)) {
        if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(received.map((a) => [a.type, a.from?.role, a.text]))}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return received;
    },
    stop() { sub.unsubscribe(); dl.end(); },
  };
}

/** Resolves with the value of a directlinejs observable (postActivity, refreshToken…). */
export function first<T>(obs: { subscribe(next: (v: T) => void, error: (e: unknown) => void): unknown }): Promise<T> {
  return new Promise((resolve, reject) => { obs.subscribe(resolve, reject); });
}
