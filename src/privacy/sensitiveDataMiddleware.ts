import type { Middleware, TurnContext } from 'botbuilder';
import type { Content } from '../content/content.js';
import type { Logger } from '../logger.js';
import { render } from '../channels/render.js';
import { redact, secretsIn } from './redact.js';

/**
 * When a customer types a password, PIN, card number, SSN or security answer, warns them not to
 * share it and carries on with the turn. The message is redacted in place first, so dialogs,
 * case summaries and logs never see the secret (the bot never needs one: it never asks).
 */
export class SensitiveDataMiddleware implements Middleware {
  constructor(private readonly content: Content, private readonly logger?: Logger) {
    if (!content) throw new Error('[SensitiveDataMiddleware]: Missing parameter. content is required');
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    const text = a.type === 'message' && a.from?.role !== 'bot' && typeof a.text === 'string' ? a.text : '';
    const kinds = text ? secretsIn(text) : [];
    if (kinds.length > 0) {
      a.text = redact(text).text;
      this.logger?.info({ conversationId: a.conversation?.id, kinds }, 'customer shared sensitive data; warned and redacted');
      await context.sendActivity(render({ text: this.content.text('privacy.warning') }, a.channelId));
    }
    await next();
  }
}
