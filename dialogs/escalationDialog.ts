import { TurnContext } from 'botbuilder';
import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from '../src/conversation/deps.js';
import { isExactChoice, promptChoices, type ChoiceId } from '../src/conversation/prompts.js';
import { CancelAndHelpDialog, ESCALATION_DIALOG, FREE_TEXT_PROMPT } from './cancelAndHelpDialog.js';

const ESCALATION_WATERFALL = 'escalationWaterfall';

/** Every way to reach a person, in the order offered; the id is stored on the case as `contactMethod`. */
export const CONTACT_METHODS = ['live_chat', 'callback', 'phone', 'text', 'social', 'store', 'email'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];
/** Intents with a written summary for the case (`case_summary.<intent>`). */
export const SUMMARY_INTENTS = ['escalate', 'login_help', 'forgot_username', 'password_reset', 'app_install', 'billing', 'data_usage',
  'plan_change', 'store_visit', 'business', 'international', 'tech_support', 'case_status', 'goodbye'] as const;
const SUMMARY_MAX = 200;

export interface EscalationOptions {
  /** The topic the customer came with; defaults to the conversation's topic, else `escalate`. */
  intent?: string;
  /** Specialised team (`business`, `international`, `tech_support`). */
  team?: string;
}

/**
 * Reaching a person: the customer picks how, the bot opens a case (stored before its number is
 * shown) with the topic, team, contact method, a one-line summary and the steps already tried,
 * says what to have ready, and for live chat hands the conversation over.
 */
export class EscalationDialog extends CancelAndHelpDialog {
  constructor(deps: DialogDeps) {
    super(ESCALATION_DIALOG, 'escalate', deps);
    this.addDialog(new WaterfallDialog(ESCALATION_WATERFALL, [this.methodStep.bind(this), this.describeStep.bind(this), this.openStep.bind(this)]));
    this.initialDialogId = ESCALATION_WATERFALL;
  }

  /** Asks how the customer wants to reach a person. */
  private async methodStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const o = (step.options ?? {}) as EscalationOptions;
    const key = o.team ? 'escalate.ask_method_team' : 'escalate.ask_method';
    return this.ask(step, key, CONTACT_METHODS, { team: o.team ? this.deps.content.text(`team.${o.team}`) : undefined });
  }

  /** Without a topic, asks for one line about the problem (skippable); with one, the summary is written for them. */
  private async describeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    this.values(step).method = this.choice(step);
    const progress = await this.deps.progress.get(step.context);
    const o = (step.options ?? {}) as EscalationOptions;
    if (o.intent || (progress.topic && progress.topic !== 'escalate')) return step.next();
    return this.askText(step, FREE_TEXT_PROMPT, 'escalate.ask_describe', ['skip']);
  }

  /** Opens the case, then shows its number, what to have ready and how the contact works. */
  private async openStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { content, cases, progress: progressStore } = this.deps;
    const o = (step.options ?? {}) as EscalationOptions;
    const progress = await progressStore.get(step.context);
    const method = this.values(step).method as ContactMethod;
    const intent = o.intent ?? (progress.topic && progress.topic !== 'escalate' ? progress.topic : 'escalate');
    const typed = typeof step.result === 'string' && !isExactChoice(step.result, promptChoices(content, ['skip'])) ? oneLine(step.result) : '';
    const summaryKey = (SUMMARY_INTENTS as readonly string[]).includes(intent) ? `case_summary.${intent}` : 'case_summary.escalate';
    const summary = typed || content.text(summaryKey, { platform: progress.platform ? content.text(`platform.${progress.platform}`) : content.text('platform.unknown') });

    const record = await cases.open({
      intent, team: o.team, contactMethod: method, summary, stepsTried: [...progress.tried],
      conversationReference: TurnContext.getConversationReference(step.context.activity),
    });

    const parts = [content.text('escalate.opened', { number: record.number })];
    if (o.team) parts.push(content.text('escalate.team_note', { team: content.text(`team.${o.team}`) }));
    parts.push(this.methodText(method));
    if (method !== 'live_chat') parts.push(content.text('escalate.have_ready', { number: record.number }));
    await this.send(step.context, parts.join('\n\n'));

    if (method === 'live_chat') {
      try {
        await this.deps.handoff.initiate(step.context, record);
      } catch (err) {
        this.deps.onError?.(err, 'hand-off');
        await this.say(step, 'escalate.handoff_failed', { number: record.number });
      }
    }
    await progressStore.update(step.context, { tried: [] });
    return step.endDialog({ caseNumber: record.number });
  }

  /** How the chosen contact works, with contact details from the brand file only. */
  private methodText(method: ContactMethod): string {
    const { content } = this.deps;
    const b = content.brand;
    switch (method) {
      case 'phone': return b.phone
        ? [content.text('escalate.method.phone_number', { phone: b.phone }), b.phoneHours ? content.text('escalate.method.phone_hours', { hours: b.phoneHours }) : ''].filter(Boolean).join(' ')
        : content.text('escalate.method.phone_find');
      case 'email': return b.email ? content.text('escalate.method.email_address', { email: b.email }) : content.text('escalate.method.email_find');
      case 'social': {
        const handles = Object.entries(b.social).filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`);
        const where = handles.length ? content.text('escalate.method.social_handles', { handles: handles.join(', ') }) : content.text('escalate.method.social_find');
        return `${where}\n\n${content.text('escalate.method.social_warning')}`;
      }
      default: return content.text(`escalate.method.${method satisfies Exclude<ContactMethod, 'phone' | 'email' | 'social'>}`);
    }
  }
}

/** The customer's description as one short line for the case. */
function oneLine(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > SUMMARY_MAX ? `${t.slice(0, SUMMARY_MAX - 1)}…` : t;
}

/** Every choice this dialog offers, for the content check. */
export const ESCALATION_CHOICES: readonly ChoiceId[] = [...CONTACT_METHODS, 'skip'];
