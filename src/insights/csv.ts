import type { Figures, Insights } from './figures.js';

const COLUMNS: Array<[string, (f: Figures) => number]> = [
  ['conversations', (f) => f.conversations], ['contained', (f) => f.contained], ['escalated', (f) => f.escalated],
  ['containment_rate', (f) => f.containmentRate], ['escalation_rate', (f) => f.escalationRate],
  ['messages', (f) => f.messages], ['fallbacks', (f) => f.fallbacks], ['fallback_rate', (f) => f.fallbackRate],
  ['below_threshold', (f) => f.belowThreshold], ['out_of_scope', (f) => f.outOfScope], ['disambiguations', (f) => f.disambiguations],
  ['ratings', (f) => f.csat.count], ['csat_mean', (f) => f.csat.mean],
  ...(['1', '2', '3', '4', '5'] as const).map((r) => [`rated_${r}`, (f: Figures) => f.csat.distribution[r]] as [string, (f: Figures) => number]),
  ['solved_answers', (f) => f.solved.answers], ['solved_yes', (f) => f.solved.yes], ['solved_rate', (f) => f.solved.rate],
  ['waits', (f) => f.wait.count], ['wait_median_s', (f) => f.wait.medianSeconds], ['wait_p90_s', (f) => f.wait.p90Seconds],
  ['handled', (f) => f.handle.count], ['handle_median_s', (f) => f.handle.medianSeconds], ['handle_p90_s', (f) => f.handle.p90Seconds],
];

/**
 * The same figures as a CSV a spreadsheet opens: one row for the whole period, then one per
 * topic, channel and day (`scope`, `key`), then one per hour of the day (conversations and
 * messages only). Rates are fractions (0.25 = 25%), to four decimals.
 */
export function insightsCsv(i: Insights): string {
  const rows: string[] = [['scope', 'key', ...COLUMNS.map(([name]) => name)].join(',')];
  const row = (scope: string, key: string, f: Figures) => rows.push([scope, cell(key), ...COLUMNS.map(([, get]) => num(get(f)))].join(','));
  row('total', `${i.range.from}/${i.range.to}`, i.totals);
  for (const t of i.byTopic) row('topic', t.topic, t);
  for (const c of i.byChannel) row('channel', c.channel, c);
  for (const d of i.daily) row('day', d.date, d);
  for (const h of i.hours) {
    rows.push(['hour', String(h.hour), String(h.conversations), ...COLUMNS.slice(1).map(([name]) => (name === 'messages' ? String(h.messages) : ''))].join(','));
  }
  return rows.join('\r\n') + '\r\n';
}

function num(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 1e4) / 1e4);
}

/** A text cell, quoted when it needs to be; a leading =, +, - or @ is defused so a spreadsheet never runs it. */
function cell(s: string): string {
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
