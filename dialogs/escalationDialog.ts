import { TurnContext } from 'botbuilder';
import { customerId } from '../src/cases/visibility.js';
import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from '../src/conversation/deps.js';
import { CALLBACK_WINDOWS, CONTACT_METHODS, callbackWindowOf, phoneText, socialText, type ContactMethod } from '../src/conversation/contact.js';
import type { LinkId } from '../src/conversation/links.js';
import { promptChoices, type ChoiceId } from '../src/conversation/prompts.js';
import { isExactChoice } from '../src/text/matching.js';
import { subtopicById } from '../src/conversation/subtopics.js';
import { caseSummary } from '../src/conversation/summary.js';
import { noteEvent } from '../src/insights/turnNotes.js';
import { CancelAndHelpDialog } from './cancelAndHelpDialog.js';
import { currentLanguage } from '../src/content/turnLanguage.js';
import { type AlternativesOptions, type AlternativesResult } from './liveChatAlternativesDialog.js';
import type { HandoffOutcome } from '../src/cases/types.js';
import { waitingReply } from '../src/handoff/waitingReply.js';
import { ALTERNATIVES_DIALOG, ESCALATION_DIALOG, FREE_TEXT_PROMPT, TEXT_PROMPT } from './dialogIds.js';

export { CONTACT_METHODS, type ContactMethod };

const ESCALATION_WATERFALL = 'escalationWaterfall';
/** Intents with a written summary for the case (`case_summary.<intent>`). */
export const SUMMARY_INTENTS = ['escalate', 'login_help', 'forgot_username', 'password_reset', 'app_install', 'billing', 'data_usage',
  'plan_change', 'store_visit', 'business', 'international', 'tech_support', 'case_status', 'goodbye'] as const;

/** Pages each contact method's explanation names, linked when configured. */
const METHOD_LINKS: Partial<Record<ContactMethod, LinkId[]>> = {
  store: ['store_locator'], phone: ['contact_page'], text: ['contact_page'], email: ['contact_page'], social: ['contact_page'],
};

export interface EscalationOptions {
  /** The topic the customer came with; defaults to the conversation's topic, else `escalate`. */
  intent?: string;
  /** Specialised team (`business`, `international`, `tech_support`); defaults to the team of the conversation's request. */
  team?: string;
  /** The way to reach a person the customer already named ("call me back"): not asked again. */
  method?: ContactMethod;
}

/** What escalation leaves behind for the dialog that started it. */
export interface EscalationResult { caseNumber: string; method: ContactMethod }

/**
 * Reaching a person: the customer picks how (unless they said so already), a call back gets a
 * time window (never a phone number or anything secret: the number on the account is used),
 * the bot opens a case (stored before its number is shown) with the topic, team, contact method,
 * a summary of what actually happened and the steps already tried, says what to have ready, and
 * for live chat hands the conversation over.
 */
export class EscalationDialog extends CancelAndHelpDialog {
  constructor(deps: DialogDeps) {
    super(ESCALATION_DIALOG, 'escalate', deps);
    this.addDialog(new WaterfallDialog(ESCALATION_WATERFALL, [
      this.methodStep.bind(this), this.windowStep.bind(this), this.describeStep.bind(this), this.openStep.bind(this), this.afterAlternativesStep.bind(this),
    ]));
    this.initialDialogId = ESCALATION_WATERFALL;
  }

  /** Asks how the customer wants to reach a person, unless they named a way already. */
  private async methodStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const o = (step.options ?? {}) as EscalationOptions;
    if (o.method && (CONTACT_METHODS as readonly string[]).includes(o.method)) return step.next({ value: o.method });
    const team = await this.team(step);
    const key = team ? 'escalate.ask_method_team' : 'escalate.ask_method';
    return this.ask(step, key, CONTACT_METHODS, { team: team ? { key: `team.${team}` } : undefined });
  }

  /** For a call back: when would suit them (a button or their own words). */
  private async windowStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const method = this.choice(step) as ContactMethod;
    this.values(step).method = method;
    if (method !== 'callback') return step.next();
    return this.askText(step, TEXT_PROMPT, 'escalate.ask_callback_time', CALLBACK_WINDOWS);
  }

  /** Without a topic, asks for one line about the problem (skippable); with one, the summary is written for them. */
  private async describeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (this.values(step).method === 'callback') Object.assign(this.values(step), callbackWindowOf(this.deps.content, String(step.result ?? '')));
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
    const window = this.values(step).window as string | undefined;
    const windowShown = this.values(step).windowShown as string | undefined;
    const team = await this.team(step);
    const intent = o.intent ?? (progress.topic && progress.topic !== 'escalate' ? progress.topic : 'escalate');
    const described = typeof step.result === 'string' && !isExactChoice(step.result, promptChoices(content, ['skip'])) ? step.result : undefined;
    const summary = caseSummary(content, { intent, progress, described });

    const record = await cases.open({
      intent, team, contactMethod: method, summary, stepsTried: [...progress.tried], ...(window ? { callbackWindow: window } : {}), language: currentLanguage(),
      customerId: customerId(step.context.activity), conversationReference: TurnContext.getConversationReference(step.context.activity),
    });
    noteEvent(step.context, { kind: 'escalation', caseNumber: record.number, contactMethod: method, team: record.team ?? 'general', intent });

    // live chat first finds out whether anyone can take it: "connecting you" is only said when someone can
    let outcome: HandoffOutcome | void = undefined;
    let failed = false;
    if (method === 'live_chat') {
      try {
        outcome = await this.deps.handoff.initiate(step.context, record);
      } catch (err) {
        this.deps.onError?.(err, 'hand-off');
        failed = true;
      }
    }
    const unavailable = outcome?.kind === 'unavailable' ? outcome : undefined;

    const parts = [content.text('escalate.opened', { number: record.number })];
    if (team && !unavailable) parts.push(content.text('escalate.team_note', { team: content.text(`team.${team}`) }));
    if (unavailable) parts.push(this.unavailableText(unavailable, team));
    else if (!failed) parts.push(this.methodText(method, windowShown));
    if (method !== 'live_chat') parts.push(content.text('escalate.have_ready', { number: record.number }));
    await this.send(step.context, parts.join('\n\n'), undefined, METHOD_LINKS[method] ?? []);
    await progressStore.update(step.context, { tried: [], walk: undefined });

    if (failed) await this.say(step, 'escalate.handoff_failed', { number: record.number });
    else if (outcome?.kind === 'queued' && outcome.position) await step.context.sendActivity(waitingReply(content, outcome.position, record.number, step.context.activity.channelId));
    if (unavailable) {
      this.values(step).caseNumber = record.number;
      await cases.addNote(record.number, { author: 'system', text: content.text('live.note.unavailable') });
      return step.beginDialog(ALTERNATIVES_DIALOG, { caseNumber: record.number } satisfies AlternativesOptions);
    }
    return step.endDialog({ caseNumber: record.number, method } satisfies EscalationResult);
  }

  /** After other ways to reach us were offered (live chat had nobody): the way the customer chose. */
  private async afterAlternativesStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const chosen = (step.result as AlternativesResult | undefined)?.method;
    return step.endDialog({ caseNumber: String(this.values(step).caseNumber), method: chosen ?? 'live_chat' } satisfies EscalationResult);
  }

  /** Why nobody can take the chat now: closed (with the hours when known), or nobody on duty for the team. */
  private unavailableText(u: Extract<HandoffOutcome, { kind: 'unavailable' }>, team: string | undefined): string {
    const { content } = this.deps;
    if (u.reason === 'closed') return u.hours ? content.text('live.unavailable.closed_hours', { hours: u.hours }) : content.text('live.unavailable.closed');
    return content.text('live.unavailable.nobody', { team: content.text(`team.${team ?? 'general'}`) });
  }

  /** The team asked for, or the one the customer's request belongs to (roaming: international). */
  private async team(step: WaterfallStepContext): Promise<string | undefined> {
    const o = (step.options ?? {}) as EscalationOptions;
    return o.team ?? subtopicById((await this.deps.progress.get(step.context)).subtopic)?.team;
  }

  /** How the chosen contact works, with contact details from the brand file only. */
  private methodText(method: ContactMethod, window: string | undefined): string {
    const { content } = this.deps;
    const b = content.brand;
    switch (method) {
      case 'phone': return phoneText(content);
      case 'email': return b.email ? content.text('escalate.method.email_address', { email: b.email }) : content.text('escalate.method.email_find');
      case 'social': return socialText(content);
      case 'callback': return window ? content.text('escalate.method.callback_window', { window }) : content.text('escalate.method.callback');
      default: return content.text(`escalate.method.${method satisfies Exclude<ContactMethod, 'phone' | 'email' | 'social' | 'callback'>}`);
    }
  }
}

/** Every choice this dialog offers, for the content check. */
export const ESCALATION_CHOICES: readonly ChoiceId[] = [...CONTACT_METHODS, ...CALLBACK_WINDOWS, 'skip'];
