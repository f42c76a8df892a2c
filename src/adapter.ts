import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory, type BotAdapter, type ConversationState, type Middleware, type TurnContext } from 'botbuilder';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Content } from './content/content.js';

/**
 * The Bot Framework adapter. With no `MicrosoftAppId` channel authentication is off (Emulator,
 * local use); with one, incoming requests need a valid Bot Framework JWT.
 */
export function createAdapter(config: Config, turnDeps: TurnDeps): CloudAdapter {
  const { appId, password, type, tenantId } = config.microsoftApp;
  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: appId || undefined,
    MicrosoftAppPassword: password || undefined,
    MicrosoftAppType: type || undefined,
    MicrosoftAppTenantId: tenantId || undefined,
  });
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: appId || undefined,
    MicrosoftAppPassword: password || undefined,
    MicrosoftAppType: type || undefined,
    MicrosoftAppTenantId: tenantId || undefined,
  }, credentials);
  return configureAdapter(new CloudAdapter(auth), turnDeps);
}

/** What every adapter (Bot Framework channels, Direct Line, terminal) shares. */
export interface TurnDeps {
  logger: Logger;
  conversationState: ConversationState;
  content: Content;
  /** Cross-cutting behaviour, in order (typing, transcripts, redaction, …): registered once here. */
  middleware: Middleware[];
}

/** Gives an adapter the shared middleware and the one turn-level error handler. */
export function configureAdapter<T extends BotAdapter>(adapter: T, deps: TurnDeps): T {
  for (const m of deps.middleware) adapter.use(m);
  adapter.onTurnError = (context, error) => handleTurnError(context, error, deps.logger, deps.conversationState, deps.content);
  return adapter;
}

/**
 * One turn-level error handler: log, apologise, and clear the conversation's state so the
 * next message starts clean. Failures inside it are logged, never rethrown.
 */
export async function handleTurnError(context: TurnContext, error: Error, logger: Logger, conversationState: ConversationState, content: Content): Promise<void> {
  logger.error({ err: error, conversationId: context.activity.conversation?.id, channelId: context.activity.channelId }, 'turn failed');
  try {
    await context.sendTraceActivity('OnTurnError Trace', error.message, 'https://www.botframework.com/schemas/error', 'TurnError');
    await context.sendActivity(content.text('error.apology'));
  } catch (e) {
    logger.warn({ err: e }, 'could not send the apology');
  }
  try {
    await conversationState.delete(context);
  } catch (e) {
    logger.warn({ err: e }, 'could not clear the conversation state');
  }
}
