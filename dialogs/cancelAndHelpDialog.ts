import {
  ComponentDialog, Dialog, DialogTurnStatus, TextPrompt,
  type Choice as PromptChoice, type DialogContext, type DialogTurnResult, type FoundChoice, type PromptValidatorContext, type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { render, type Choice } from '../src/channels/render.js';
import type { Content, Language, Vars } from '../src/content/content.js';
import type { IntentName } from '../src/nlu/intents.js';
import { topIntent, type IntentResult } from '../src/nlu/recognizerPort.js';
import { requireDeps, type DialogDeps } from '../src/conversation/deps.js';
import { pageLinks, type LinkId } from '../src/conversation/links.js';
import { ConversationChoicePrompt, sourcedPromptOptions, type ChoiceId, type PromptVars, type SourcedPromptOptions } from '../src/conversation/prompts.js';
import { isExactChoice, isPhrase, matchPromptChoice } from '../src/text/matching.js';
import { currentLanguage } from '../src/content/turnLanguage.js';
import { findSubtopic, type Subtopic } from '../src/conversation/subtopics.js';
import { claimInterruptionCheck, markPromptGaveUp, promptGaveUp, recognizeOnce, takeRoute, type RouteRequest } from '../src/conversation/turn.js';
import { intentButtons, MAIN_MENU, PERSON_FIRST_MENU } from '../src/conversation/menu.js';
import { noteReading } from '../src/insights/turnNotes.js';
import { CHOICE_PROMPT, ESCALATION_DIALOG, FREE_TEXT_PROMPT, OFFER_HUMAN_DIALOG, TEXT_PROMPT, TROUBLESHOOT_DIALOG } from './dialogIds.js';

/** Minimum score for help / cancel / "talk to a person" to interrupt a dialog. */
export const INTERRUPT_MIN = 0.6;
/**
 * Minimum score for a different topic to take over mid-dialog. It applies only to a message that
 * names none of the offered buttons (answers never switch), where the alternative is "sorry, I
 * didn't catch which one you meant": 0.85 left "my app keeps crashing" (0.84) asked to pick Yes
 * or No at the sign-in question.
 */
export const SWITCH_MIN = 0.7;
const NOT_A_TOPIC: IntentName[] = ['none', 'greeting', 'help', 'cancel', 'escalate'];
/** Answers a choice prompt cannot match before it stops asking and offers a person or the main menu. */
export const MAX_MISSES = 2;

/** What ended a topic dialog early: the router acts on it. */
export interface TopicEnd { route?: RouteRequest; cancelled?: boolean }

export type Interruption =
  | { kind: 'help' | 'cancel' | 'escalate' | 'frustrated' }
  | { kind: 'switch'; intent: IntentName; subtopic?: string; empathy?: boolean };

/** Where the conversation stands when a message arrives, for `decideInterruption`. */
export interface InterruptionInput {
  text: string;
  result: IntentResult;
  /** Choices the waiting prompt offers (none for a text prompt). */
  choices?: PromptChoice[];
  /** The waiting prompt takes the customer's own words. */
  freeText: boolean;
  /** The topic of the outermost dialog. */
  topic: IntentName;
  frustrated: boolean;
  /** Ids of every dialog on the stack. */
  stack: string[];
  /** The whole text is a way of saying "no thanks, leave it" (`prompt.leave`). */
  leave?: boolean;
  /** The specific request the text names, if any (`subtopics.ts`). */
  subtopic?: Subtopic;
  /** The specific request the conversation is already on. */
  currentSubtopic?: string;
  /** The conversation's language: numbers and ordinals ("la segunda") are read in it (default English). */
  language?: Language;
}

/**
 * Decides whether a message interrupts the dialog, before the waiting prompt sees it. An answer
 * that is exactly one of the offered choices never interrupts ("no" is an answer, not tech
 * support); help and cancel do, and so does "no thanks" where it is not an option; a specific
 * request ("my account is locked") or a clearly different, high-confidence one switches topic
 * unless it answers the prompt; frustration offers a person, or, when the message also asks for
 * something clear, gets empathy and then that request.
 */
export function decideInterruption(i: InterruptionInput): Interruption | undefined {
  if (!i.text.trim() || isExactChoice(i.text, i.choices)) return undefined;
  const top = topIntent(i.result);
  const escalating = i.stack.includes(ESCALATION_DIALOG);
  // an answer naming a choice by its place ("the first", "la segunda opción") reads like a request
  // for help to the classifier: it is an answer
  const answers = matchPromptChoice(i.text, i.choices, i.language) !== undefined;
  if (top.score >= INTERRUPT_MIN && (top.intent === 'help' || top.intent === 'cancel') && !answers) return { kind: top.intent };
  // "no thanks" where the buttons have no "no": a way out of any question
  if (i.leave && !i.freeText && !answers) return { kind: 'cancel' };
  if (top.score >= INTERRUPT_MIN && top.intent === 'escalate' && !escalating && !answers) return { kind: 'escalate' };
  if (i.freeText) return undefined;
  const request = answers ? undefined : requestIn(i, top, escalating);
  if (i.frustrated && !escalating && !i.stack.includes(OFFER_HUMAN_DIALOG)) return request ? { ...request, empathy: true } : { kind: 'frustrated' };
  return request;
}

/** A different request the message makes: a named subtopic first, else a clearly different intent. */
function requestIn(i: InterruptionInput, top: { intent: IntentName; score: number }, escalating: boolean): Extract<Interruption, { kind: 'switch' }> | undefined {
  const sub = i.subtopic;
  // a walk already under way is not restarted by naming one of its steps; a channel named while choosing one is an answer
  const already = sub && (sub.id === i.currentSubtopic
    || (sub.route.kind === 'walk' && sub.intent === i.topic && i.stack.includes(TROUBLESHOOT_DIALOG))
    || (sub.route.kind === 'contact' && escalating));
  if (sub) return already ? undefined : { kind: 'switch', intent: sub.intent, subtopic: sub.id };
  if (!NOT_A_TOPIC.includes(top.intent) && top.intent !== i.topic && top.score >= SWITCH_MIN) return { kind: 'switch', intent: top.intent };
  return undefined;
}

/** Whether the whole text says "no thanks, leave it" (`prompt.leave`). */
export function isLeavePhrase(content: Content, text: string): boolean {
  return isOneOf(content, 'prompt.leave', text);
}

/** Whether the whole text is one of the phrases listed at `key` (case and punctuation ignored). */
function isOneOf(content: Content, key: string, text: string): boolean {
  return isPhrase(text, content.list(key));
}

/**
 * Base of every dialog (core-bot's CancelAndHelpDialog): help, cancel ("never mind", "start
 * over"), "talk to a person", frustration and topic switches are handled here once, by the
 * outermost dialog of the stack, so no dialog repeats it. It also gives dialogs the shared
 * prompts and the `ask`/`say` helpers that render through the channel layer.
 */
export abstract class CancelAndHelpDialog extends ComponentDialog {
  protected readonly deps: DialogDeps;

  protected constructor(id: string, protected readonly topic: IntentName, deps: DialogDeps) {
    super(id);
    this.deps = requireDeps(new.target.name, deps);
    this.addDialog(new ConversationChoicePrompt(CHOICE_PROMPT, (pc) => this.validateChoice(pc)));
    this.addDialog(new TextPrompt(TEXT_PROMPT));
    this.addDialog(new TextPrompt(FREE_TEXT_PROMPT));
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const outermost = claimInterruptionCheck(innerDc.context);
    if (outermost) {
      this.followLanguage(innerDc);
      const handled = await this.interrupt(innerDc);
      if (handled) return handled;
      // the waiting question takes the message (its validator may still say it did not match)
      noteReading(innerDc.context, { reading: 'answer' });
    }
    const result = await super.onContinueDialog(innerDc);
    if (outermost) {
      if (promptGaveUp(innerDc.context)) return this.leave(innerDc, { cancelled: true });
      const route = takeRoute(innerDc.context);
      if (route) return this.leave(innerDc, { route });
    }
    return result;
  }

  /**
   * Every question has an end: after `MAX_MISSES` answers it cannot match ("neither", "idk",
   * "No" to website-or-app, a number out of range), the prompt stops asking and the customer is
   * offered a person or the main menu; the topic then ends (the outermost dialog sees the mark).
   */
  private async validateChoice(pc: PromptValidatorContext<FoundChoice>): Promise<boolean> {
    if (pc.recognized.succeeded) return true;
    noteReading(pc.context, { reading: 'unmatched' });
    // "neither", "idk": asking again cannot help
    const noneFits = isOneOf(this.deps.content, 'prompt.none_of_these', pc.context.activity.text ?? '');
    if (pc.attemptCount < MAX_MISSES && !noneFits) {
      // the prompt re-asks only when nothing was said this turn; after a note (another language,
      // the privacy warning) the question would otherwise be left unasked
      if (pc.context.responded && pc.options.retryPrompt) await pc.context.sendActivity(pc.options.retryPrompt);
      return false;
    }
    markPromptGaveUp(pc.context);
    await this.send(pc.context, this.deps.content.text(noneFits ? 'prompt.none_fit' : 'prompt.stuck'), intentButtons(this.deps.content, PERSON_FIRST_MENU));
    return false;
  }

  /**
   * A customer who switches language with a question on screen gets its retry and re-prompt in
   * the new language, and may answer in either: the waiting prompt is built again from what it
   * was made of (`PromptSource`).
   */
  private followLanguage(innerDc: DialogContext): void {
    const prompt = walk(innerDc).deepest.activeDialog;
    const options = prompt?.state?.options as SourcedPromptOptions | undefined;
    if (!prompt || !options?.source || options.source.language === currentLanguage()) return;
    prompt.state.options = sourcedPromptOptions(this.deps.content, innerDc.context.activity.channelId, options.source, options.source.language);
  }

  /** Acts on an interruption, or returns undefined to let the waiting prompt have the message. */
  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const context = innerDc.context;
    const text = context.activity.text ?? '';
    const { deepest, stack } = walk(innerDc);
    const prompt = deepest.activeDialog;
    const options = prompt?.state?.options as { choices?: PromptChoice[] } | undefined;
    const decision = decideInterruption({
      text,
      result: await recognizeOnce(context, this.deps.recognizer),
      choices: options?.choices,
      freeText: prompt?.id === FREE_TEXT_PROMPT,
      topic: this.topic,
      frustrated: this.deps.frustration.test(text),
      stack: [this.id, ...stack],
      leave: isLeavePhrase(this.deps.content, text),
      subtopic: findSubtopic(this.deps.content, text),
      currentSubtopic: (await this.deps.progress.get(context)).subtopic,
      language: currentLanguage(),
    });
    if (!decision) return undefined;
    if (decision.kind === 'help' || decision.kind === 'cancel') noteReading(context, { reading: 'routed', intent: decision.kind });
    switch (decision.kind) {
      case 'help':
        await this.send(context, this.deps.content.text('help.in_dialog'));
        await deepest.repromptDialog();
        return Dialog.EndOfTurn;
      case 'cancel':
        await this.send(context, this.deps.content.text('cancel.done'), intentButtons(this.deps.content, MAIN_MENU));
        return this.leave(innerDc, { cancelled: true });
      case 'frustrated':
        return innerDc.beginDialog(OFFER_HUMAN_DIALOG);
      case 'escalate':
        return this.leave(innerDc, { route: { intent: 'escalate' } });
      case 'switch':
        if (decision.empathy) await this.send(context, this.deps.content.text('frustration.empathy'));
        return this.leave(innerDc, { route: { intent: decision.intent, subtopic: decision.subtopic, fromMessage: true } });
    }
  }

  /** Ends this dialog early, telling the router why. */
  private async leave(innerDc: DialogContext, end: TopicEnd): Promise<DialogTurnResult> {
    await innerDc.cancelAllDialogs();
    return { status: DialogTurnStatus.complete, result: end };
  }

  /** Sends one message rendered for the turn's channel, with links to the pages named (those configured). */
  protected async send(context: WaterfallStepContext['context'], text: string, choices?: Choice[], links: readonly LinkId[] = []): Promise<void> {
    await context.sendActivity(render({ text, choices, links: pageLinks(this.deps.content, links) }, context.activity.channelId));
  }

  /** Sends the message at `key`, with links to the pages it names. */
  protected async say(step: WaterfallStepContext, key: string, vars: Vars = {}, links: readonly LinkId[] = []): Promise<void> {
    await this.send(step.context, this.deps.content.text(key, vars), undefined, links);
  }

  /** Asks the question at `key` with the given choices; the step result is the chosen id. */
  protected ask(step: WaterfallStepContext, key: string, ids: readonly ChoiceId[], vars: PromptVars = {}): Promise<DialogTurnResult> {
    return step.prompt(CHOICE_PROMPT, sourcedPromptOptions(this.deps.content, step.context.activity.channelId, { kind: 'choice', key, ids: [...ids], vars }));
  }

  /** Asks for free text (`FREE_TEXT_PROMPT`) or a short answer (`TEXT_PROMPT`), with optional shortcut buttons. */
  protected askText(step: WaterfallStepContext, promptId: string, key: string, ids: readonly ChoiceId[] = [], vars: PromptVars = {}): Promise<DialogTurnResult> {
    return step.prompt(promptId, sourcedPromptOptions(this.deps.content, step.context.activity.channelId, { kind: 'text', key, ids: [...ids], vars }));
  }

  /** The waterfall's scratch values for this dialog run (kept in dialog state). */
  protected values(step: WaterfallStepContext): Record<string, unknown> {
    return step.values as Record<string, unknown>;
  }

  /** The chosen id of a choice prompt's result. */
  protected choice(step: WaterfallStepContext): ChoiceId | undefined {
    return (step.result as { value?: ChoiceId } | undefined)?.value;
  }
}

/** The innermost dialog context (where the waiting prompt is) and the ids of every dialog above it. */
function walk(dc: DialogContext): { deepest: DialogContext; stack: string[] } {
  const stack: string[] = [];
  let d: DialogContext = dc;
  for (;;) {
    for (const inst of d.stack) stack.push(inst.id);
    const child = d.child;
    if (!child) return { deepest: d, stack };
    d = child;
  }
}
