import { ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { ChannelAdapter, connectorHttpClient } from './channels/delivery.js';
import type { Config } from './config.js';
import type { TurnPort } from './turns.js';

/**
 * The Bot Framework adapter. With no `MicrosoftAppId` channel authentication is off (Emulator,
 * local use); with one, incoming requests need a valid Bot Framework JWT.
 */
export function createAdapter(config: Config, turns: TurnPort): ChannelAdapter {
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
  }, credentials, undefined, undefined, { httpClient: connectorHttpClient(config.connectorTimeoutMs) } as never);
  return turns.configure(new ChannelAdapter(auth));
}

