import { randomId } from './tokens.js';

/** Azure Bot Service's Direct Line, used instead of the self-hosted endpoint when a secret is configured. */
export interface AzureDirectLineConfig {
  /** The Direct Line channel secret from the Azure portal: server-side only. */
  secret: string;
  /** `https://directline.botframework.com/v3/directline` unless a regional endpoint is used. */
  domain: string;
}

/** What the browser gets: a token and where to use it; never the secret. */
export interface AzureToken { token: string; conversationId: string; userId: string; expires_in: number; domain: string }

/**
 * Exchanges the Direct Line secret for a conversation-bound token with
 * `POST {domain}/tokens/generate`, asking for a server-chosen user id (`dl_…`) so the browser
 * cannot pick one. Throws with Azure's status when the exchange fails.
 */
export async function generateAzureToken(config: AzureDirectLineConfig, fetchImpl: typeof fetch = fetch, userId = randomId('dl_', 12)): Promise<AzureToken> {
  const res = await fetchImpl(`${config.domain.replace(/\/+$/, '')}/tokens/generate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${config.secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user: { id: userId, name: 'You' } }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`[AzureDirectLine]: tokens/generate answered ${res.status}`);
  const body = await res.json() as { token?: unknown; conversationId?: unknown; expires_in?: unknown };
  if (typeof body.token !== 'string' || typeof body.conversationId !== 'string') throw new Error('[AzureDirectLine]: tokens/generate answered without token or conversationId');
  return { token: body.token, conversationId: body.conversationId, userId, expires_in: typeof body.expires_in === 'number' ? body.expires_in : 1800, domain: config.domain };
}
