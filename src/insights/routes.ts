import type { Request, Response, Server } from 'restify';
import type { OutcomeStore } from '../storage/outcomeStore.js';
import { HttpError } from '../http/errors.js';
import { requireSupervisor, type StaffAuthenticator } from '../http/staffAccess.js';
import { computeInsights, type Insights } from './figures.js';
import { insightsCsv } from './csv.js';
import { BadRangeError, parseRange } from './range.js';

/** A channel id as channels send them (`directline`, `msteams`, `emulator`, …). */
const CHANNEL = /^[A-Za-z0-9._-]{1,64}$/;

export interface InsightsQuery { from?: unknown; to?: unknown; tz?: unknown; channel?: unknown }

/**
 * The figures for a query as it arrives (HTTP query string or command line): checks it (a
 * `BadRangeError` with the reason), reads the events of the conversations in the period and
 * computes them. An empty period gives zeros.
 */
export async function insightsFor(outcomes: Pick<OutcomeStore, 'list'>, query: InsightsQuery, now = new Date()): Promise<Insights> {
  const range = parseRange(query, now);
  const channel = query.channel === undefined || query.channel === '' ? undefined : String(query.channel);
  if (channel !== undefined && !CHANNEL.test(channel)) throw new BadRangeError(`channel "${channel.slice(0, 40)}" is not a channel id (letters, digits, ".", "_" or "-").`);
  const events = await outcomes.list({ from: range.from, to: range.to, ...(channel !== undefined ? { channelId: channel } : {}) });
  return computeInsights(events, range, channel);
}

/**
 * `GET /api/insights?from=&to=&channel=&tz=[&format=csv]`: the figures as JSON (or CSV), for
 * supervisors and administrators (`authenticators`: the admin token now, desk sessions later).
 */
export function registerInsightsRoutes(server: Server, deps: { outcomes: Pick<OutcomeStore, 'list'>; authenticators: readonly StaffAuthenticator[]; now?: () => Date }): void {
  if (!deps?.outcomes) throw new Error('[registerInsightsRoutes]: Missing parameter. outcomes is required');
  const auth = requireSupervisor(deps.authenticators ?? [], 'The insights API');
  server.get('/api/insights', auth, async (req: Request, res: Response) => {
    const q = (req.query ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(q)) if (typeof v !== 'string') throw new HttpError(400, 'BadQuery', `${k.slice(0, 40)} was given more than once.`);
    const format = q.format === undefined || q.format === '' ? 'json' : q.format;
    if (format !== 'json' && format !== 'csv') throw new HttpError(400, 'BadQuery', `format must be json or csv (got "${String(format).slice(0, 20)}").`);
    let insights: Insights;
    try {
      insights = await insightsFor(deps.outcomes, q, deps.now?.() ?? new Date());
    } catch (err) {
      if (err instanceof BadRangeError) throw new HttpError(400, 'BadRange', err.message);
      throw err;
    }
    res.setHeader('cache-control', 'no-store');
    if (format === 'csv') {
      const body = insightsCsv(insights);
      res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8', 'content-length': Buffer.byteLength(body),
        'content-disposition': `attachment; filename="insights-${insights.range.from.slice(0, 10)}-${insights.range.to.slice(0, 10)}.csv"`,
      });
      res.end(body);
      return;
    }
    res.send(200, insights);
  });
}
