import { ComponentDialog, DialogSet, DialogTurnStatus, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { IntentRecognizer } from '../src/nlu/recognizer.js';
import { topIntent } from '../src/nlu/recognizer.js';
import type { Content } from '../src/content/content.js';
import { render, type Choice } from '../src/channels/render.js';
import type { IntentName } from '../src/nlu/intents.js';

const MAIN_DIALOG = 'mainDialog';
const MAIN_WATERFALL = 'mainWaterfall';

/** Main menu options, as content keys under `menu.` mapped to what clicking sends. */
export const MENU: IntentName[] = ['login_help', 'forgot_username', 'password_reset', 'app_install', 'billing', 'escalate'];

/**
 * Routes each customer message to the topic the recognizer finds. Replies come from content
 * keys `reply.<intent>`; out-of-scope messages get the fallback with the main options, and a
 * second fallback in a row offers a person.
 */
export class MainDialog extends ComponentDialog {
  constructor(private readonly recognizer: IntentRecognizer, private readonly content: Content) {
    super(MAIN_DIALOG);
    if (!recognizer) throw new Error('[MainDialog]: Missing parameter. recognizer is required');
    if (!content) throw new Error('[MainDialog]: Missing parameter. content is required');
    this.addDialog(new WaterfallDialog(MAIN_WATERFALL, [this.routeStep.bind(this)]));
    this.initialDialogId = MAIN_WATERFALL;
  }

  /** Runs the dialog for one turn (core-bot's pattern). */
  async run(context: TurnContext, accessor: StatePropertyAccessor): Promise<void> {
    const dialogSet = new DialogSet(accessor);
    dialogSet.add(this);
    const dc = await dialogSet.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id);
  }

  /** Classifies the message and answers for its intent. */
  private async routeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const ctx = step.context;
    const result = await this.recognizer.recognize(ctx);
    const { intent } = topIntent(result);
    if (intent === 'none') {
      await ctx.sendActivity(render({ text: this.content.text('fallback.first'), choices: this.menu() }, ctx.activity.channelId));
    } else if (intent === 'help') {
      await ctx.sendActivity(render({
        text: [this.content.text('help.intro'), this.content.text('help.topics'), this.content.text('help.tail')].join('\n\n'),
        choices: this.menu(),
      }, ctx.activity.channelId));
    } else {
      await ctx.sendActivity(render({ text: this.content.text(`reply.${intent}`) }, ctx.activity.channelId));
    }
    return step.endDialog();
  }

  private menu(): Choice[] {
    return MENU.map((i) => ({ title: this.content.text(`menu.${i}`), value: this.content.text(`menu.${i}`) }));
  }
}
