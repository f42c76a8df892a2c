import { existsSync, readFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { deskTeam } from '../../handoff/teams.js';
import type { Logger } from '../../logger.js';
import type { HandoffStore } from '../handoffStore.js';

/**
 * Earlier builds kept waiting customers in `queue.jsonl` (`{join: {key, caseNumber, team,
 * since}}` / `{leave: key}` lines). Whoever was still waiting becomes a waiting hand-off with the
 * same place; the file is then renamed `queue.jsonl.carried-over`, so this happens once.
 */
export async function carryOverQueue(path: string, handoffs: HandoffStore, logger?: Logger): Promise<number> {
  if (!existsSync(path)) return 0;
  const waiting = new Map<string, { key: string; caseNumber: string; team: string; since: string }>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    let r: { join?: { key: string; caseNumber: string; team: string; since: string }; leave?: string };
    try { r = JSON.parse(line); } catch { continue; }
    if (r.join && typeof r.join.key === 'string' && typeof r.join.caseNumber === 'string' && !waiting.has(r.join.key)) waiting.set(r.join.key, r.join);
    else if (typeof r.leave === 'string') waiting.delete(r.leave);
  }
  for (const e of waiting.values()) {
    const slash = e.key.indexOf('/');
    const at = Number.isNaN(Date.parse(e.since)) ? new Date().toISOString() : new Date(e.since).toISOString();
    await handoffs.request({ caseNumber: e.caseNumber, channelId: e.key.slice(0, slash), conversationId: e.key.slice(slash + 1), team: deskTeam(e.team), via: 'desk', at });
  }
  await rename(path, `${path}.carried-over`);
  if (waiting.size) logger?.info({ waiting: waiting.size }, 'carried the hand-off queue over to hand-off records');
  return waiting.size;
}
