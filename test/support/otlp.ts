import http from 'node:http';

/** A span as OTLP/HTTP JSON carries it (ids in hex), with its resource's attributes. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  status?: { code?: number; message?: string };
  resource: Record<string, unknown>;
}

/**
 * An in-process OTLP/HTTP trace receiver (what an OpenTelemetry Collector listens on at
 * `/v1/traces`). `mode` says how it answers: `ok` (200), `hang` (reads the batch, never answers,
 * until `release()`), `refuse` (400).
 */
export interface OtlpReceiver {
  url: string;
  spans: ReceivedSpan[];
  /** Raw request bodies, for "the message text is nowhere" checks. */
  bodies: string[];
  /** Requests read but not answered yet (mode `hang`). */
  pending(): number;
  mode: 'ok' | 'hang' | 'refuse';
  release(): void;
  /** Waits until `pred` holds for the spans received (or throws after `ms`). */
  until(pred: (spans: ReceivedSpan[]) => boolean, what: string, ms?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

const value = (v: any): unknown => v?.stringValue ?? v?.boolValue ?? v?.doubleValue ?? (v?.intValue !== undefined ? Number(v.intValue) : undefined);
const attrs = (list: any[] | undefined) => Object.fromEntries((list ?? []).map((a) => [a.key, value(a.value)]));

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const held = new Set<http.ServerResponse>();
  const r: OtlpReceiver = {
    url: '', spans: [], bodies: [], mode: 'ok',
    pending: () => held.size,
    release() { for (const res of held) { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); } held.clear(); },
    async until(pred, what, ms = 15_000) {
      const t0 = Date.now();
      while (!pred(r.spans)) {
        if (Date.now() - t0 > ms) throw new Error(`OTLP receiver: timed out waiting for ${what}; got ${r.spans.map((s) => s.name).join(', ')}`);
        await new Promise((done) => setTimeout(done, 20));
      }
      return r.spans;
    },
    close: () => new Promise((done) => { r.release(); server.closeAllConnections(); server.close(() => done()); }),
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') { res.writeHead(404); res.end(); return; }
      r.bodies.push(body);
      if (r.mode === 'hang') { held.add(res); return; }
      if (r.mode === 'refuse') { res.writeHead(400); res.end('{}'); return; }
      const data = JSON.parse(body);
      for (const rs of data.resourceSpans ?? []) {
        const resource = attrs(rs.resource?.attributes);
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            r.spans.push({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, kind: s.kind, attributes: attrs(s.attributes), status: s.status, resource });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  r.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return r;
}
