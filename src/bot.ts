import { TeamsActivityHandler, type Activity, type ConversationState, type TurnContext, type StatePropertyAccessor } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { MainDialog } from '../dialogs/mainDialog.js';
import type { Content } from './content/content.js';
import { render } from './channels/render.js';
import { intentButtons, MAIN_MENU } from './conversation/menu.js';
import { shouldWelcome } from './channels/teams.js';
import { wasTruncated } from './inputLimits.js';

interface ConversationFlags { welcomed?: boolean }

/**
 * The bot: welcomes once per conversation, screens input that is not a readable message,
 * and hands every message to the main dialog. State is saved at the end of every turn.
 */
export class SupportBot extends TeamsActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly flags: StatePropertyAccessor<ConversationFlags>;

  constructor(
    conversationState: ConversationState,
    private readonly dialog: MainDialog,
    private readonly content: Content,
  ) {
    super();
    if (!conversationState) throw new Error('[SupportBot]: Missing parameter. conversationState is required');
    if (!dialog) throw new Error('[SupportBot]: Missing parameter. dialog is required');
    if (!content) throw new Error('[SupportBot]: Missing parameter. content is required');
    this.dialogState = conversationState.createProperty<DialogState>('DialogState');
    this.flags = conversationState.createProperty<ConversationFlags>('flags');

    this.onMembersAdded(async (context, next) => {
      // Teams: only 1:1 chats (including the bot's own install there), never a team or group chat.
      if (shouldWelcome(context.activity)) await this.welcome(context);
      await next();
    });

    this.onMessage(async (context, next) => {
      const text = (context.activity.text ?? '').trim();
      if (!text && !context.activity.value) {
        const key = context.activity.attachments?.length ? 'input.no_text' : 'input.empty';
        await context.sendActivity(render({ text: this.content.text(key) }, context.activity.channelId));
      } else {
        // the transport already cut the text (before any middleware ran); say so once
        if (wasTruncated(context.activity)) {
          await context.sendActivity(render({ text: this.content.text('input.too_long') }, context.activity.channelId));
        }
        await this.dialog.run(context, this.dialogState);
      }
      await next();
    });
  }

  /**
   * Starts `dialogId` (a dialog of the main dialog) in this turn, replacing whatever the
   * conversation was in: how the bot takes a conversation back from a person.
   */
  async startDialog(context: TurnContext, dialogId: string, options?: Record<string, unknown>): Promise<void> {
    await this.dialog.start(context, this.dialogState, dialogId, options);
  }

  /** Greets once per conversation, however many times members are added, with the main options as buttons. */
  private async welcome(context: TurnContext): Promise<void> {
    const flags = await this.flags.get(context, {});
    if (flags.welcomed) return;
    flags.welcomed = true;
    await this.flags.set(context, flags);
    await context.sendActivity(this.welcomeActivity(context.activity.channelId));
  }

  /** The greeting with the main options, rendered for `channelId` (Direct Line shows it before anything is stored). */
  welcomeActivity(channelId: string | undefined): Partial<Activity> {
    return render({ text: this.content.text('welcome.greeting'), choices: intentButtons(this.content, MAIN_MENU) }, channelId);
  }

}
