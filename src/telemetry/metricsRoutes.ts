import http from 'node:http';
import type { Server, Request, Response } from 'restify';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';
import { HttpError } from '../http/errors.js';
import { bearerChecker } from '../http/bearer.js';

export interface MetricsAccess {
  /** Bearer token for `/metrics` (on the main port; on the metrics port too when set). */
  token: string;
  /** A separate port on 127.0.0.1 that serves only `/metrics`. */
  port?: number;
}

const CHALLENGE = { 'www-authenticate': 'Bearer realm="support-bot metrics"' };

/**
 * `GET /metrics` on the main server: with `METRICS_TOKEN` it answers the bearer of that token and
 * 401 to anyone else; without one it is not served there (404 saying why). It is never open.
 */
export function mountMetrics(server: Server, metrics: Metrics, access: MetricsAccess): void {
  const check = access.token ? bearerChecker(access.token) : undefined;
  server.get('/metrics', async (req: Request, res: Response) => {
    if (!check) {
      throw new HttpError(404, 'NotFound', access.port
        ? 'Metrics are not served on this port.'
        : 'Metrics are off: set METRICS_TOKEN (bearer token for /metrics here) or METRICS_PORT (a port on 127.0.0.1).');
    }
    const verdict = check(req.header('authorization'));
    if (verdict !== 'ok') throw new HttpError(401, 'Unauthorized', verdict === 'missing' ? 'Send the metrics token as "Authorization: Bearer <token>".' : 'The metrics token is not valid.', CHALLENGE);
    const { contentType, body } = await metrics.exposition();
    res.sendRaw(200, body, { 'content-type': contentType, 'cache-control': 'no-store' });
  });
}

/** A running metrics port. */
export interface MetricsServer { port: number; close(): Promise<void> }

/**
 * The separate metrics port (`METRICS_PORT`): only `GET /metrics`, only on 127.0.0.1 (a
 * Prometheus agent on the same host or pod scrapes it), and with `METRICS_TOKEN` set, only for
 * its bearer.
 */
export async function startMetricsServer(metrics: Metrics, access: MetricsAccess & { port: number }, logger: Logger): Promise<MetricsServer> {
  const check = access.token ? bearerChecker(access.token) : undefined;
  const send = (res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
    res.end(JSON.stringify({ code, message }));
  };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') return send(res, 404, 'NotFound', 'Only /metrics is served here.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'MethodNotAllowed', 'Use GET.', { allow: 'GET, HEAD' });
    const verdict = check?.(req.headers.authorization) ?? 'ok';
    if (verdict !== 'ok') return send(res, 401, 'Unauthorized', verdict === 'missing' ? 'Send the metrics token as "Authorization: Bearer <token>".' : 'The metrics token is not valid.', CHALLENGE);
    metrics.exposition().then(({ contentType, body }) => {
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    }, (err: unknown) => {
      logger.error({ err }, 'metrics could not be collected');
      send(res, 500, 'InternalError', 'The metrics could not be collected; it has been logged.');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(access.port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as { port: number }).port;
  return {
    port: bound,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
