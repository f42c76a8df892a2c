import { ChoiceFactory, ChoicePrompt, ListStyle, type Choice as PromptChoice, type FoundChoice, type PromptOptions, type PromptRecognizerResult } from 'botbuilder-dialogs';
import type { Activity, TurnContext } from 'botbuilder';
import { render, type Choice } from '../channels/render.js';
import type { Content, Language, Vars, Wording } from '../content/content.js';
import { currentLanguage } from '../content/turnLanguage.js';
import { containsPhrase, readPromptChoice } from '../text/matching.js';

/**
 * botbuilder's `ChoicePrompt`, reading answers as `readPromptChoice` does: numbers and ordinals
 * ("2", "the second one", "la segunda") in the conversation's language, and only as the whole
 * answer. The stock prompt reads them in the culture of the activity's locale, so a Spanish
 * speaker on an English browser could not answer "la segunda", an English speaker on a French one
 * not "the second one", each new locale built its models (seconds) in the middle of a customer's
 * turn, and on a Spanish browser "quiero hablar con una persona" answered option 1.
 */
export class ConversationChoicePrompt extends ChoicePrompt {
  protected override async onRecognize(context: TurnContext, _state: unknown, options: PromptOptions): Promise<PromptRecognizerResult<FoundChoice>> {
    const text = context.activity.text;
    if (!text) return { succeeded: false };
    const choices = ChoiceFactory.toChoices(options.choices ?? []);
    const value = choices.length ? readPromptChoice(text, choices, currentLanguage()) : undefined;
    return value ? { succeeded: true, value } : { succeeded: false };
  }
}

/**
 * Every answer a dialog can offer. Each id has `choice.<id>.title` (the button) and
 * `choice.<id>.synonyms` (typed answers that mean the same) in `data/messages-choices.yml`.
 */
export const CHOICE_IDS = [
  'yes', 'no', 'fixed', 'not_fixed', 'website', 'app', 'ios', 'android',
  'forgot_username', 'password_reset', 'code_missing', 'locked', 'signin_help', 'person', 'no_thanks',
  'live_chat', 'callback', 'phone', 'text', 'social', 'store', 'email', 'skip', 'my_cases',
  'rate_1', 'rate_2', 'rate_3', 'rate_4', 'rate_5', 'yes_person', 'keep_going',
  'callback_asap', 'callback_morning', 'callback_afternoon', 'callback_evening',
] as const;
export type ChoiceId = (typeof CHOICE_IDS)[number];

/** The choices as buttons: what the button says is also what clicking sends. */
export function buttons(content: Wording, ids: readonly ChoiceId[]): Choice[] {
  return ids.map((id) => { const title = content.text(`choice.${id}.title`); return { title, value: title }; });
}

/**
 * The choices as the prompt recognises them: value = id, synonyms = the title and the typed
 * variants; `also`: other wordings whose titles and synonyms count too (the language a question
 * was first shown in, after the customer switched).
 */
export function promptChoices(content: Wording, ids: readonly ChoiceId[], also: Wording[] = []): PromptChoice[] {
  const words = (w: Wording, id: ChoiceId) => [w.text(`choice.${id}.title`), ...w.list(`choice.${id}.synonyms`)];
  return ids.map((id) => ({ value: id, synonyms: [...new Set([content, ...also].flatMap((w) => words(w, id)))] }));
}

/**
 * Options for a `ChoicePrompt` whose question and retry are rendered by the channel layer
 * (`render()`), so buttons look right everywhere; `ListStyle.none` keeps the prompt from adding
 * its own list. Typed answers, synonyms and "2" (the second option) are all recognised.
 */
export function choicePromptOptions(content: Content, channelId: string | undefined, text: string, ids: readonly ChoiceId[], also: Wording[] = []): PromptOptions {
  const choices = buttons(content, ids);
  return {
    prompt: render({ text, choices }, channelId) as Activity,
    retryPrompt: render({ text: `${content.text('prompt.retry')}\n\n${text}`, choices }, channelId) as Activity,
    choices: promptChoices(content, ids, also),
    style: ListStyle.none,
  };
}

/**
 * Options for a free-text prompt, optionally with shortcut buttons (`Skip`, `My cases`). The
 * buttons' words are kept as `choices` too (a `TextPrompt` ignores them): a shortcut clicked or
 * typed is an answer, never a topic switch ("As soon as possible" is not a goodbye).
 */
export function textPromptOptions(content: Content, channelId: string | undefined, key: string, ids: readonly ChoiceId[] = [], vars: Vars = {}, also: Wording[] = []): PromptOptions {
  return {
    prompt: render({ text: content.text(key, vars), choices: buttons(content, ids) }, channelId) as Activity,
    ...(ids.length ? { choices: promptChoices(content, ids, also) } : {}),
  };
}

/** A value for a question's placeholder: text, or another message (`{ key: 'team.business' }`) said in the question's language. */
export type PromptVars = Record<string, string | number | undefined | { key: string }>;

/**
 * What a question was built from, kept with the waiting prompt: when the customer answers in
 * another language, the question (its retry, re-prompt and accepted answers) is built again in
 * that language from the same message key, choices and placeholders.
 */
export interface PromptSource {
  kind: 'choice' | 'text';
  key: string;
  ids: ChoiceId[];
  vars?: PromptVars;
  /** The language it was last shown in. */
  language: Language;
}

/** Prompt options that remember what they were built from. */
export type SourcedPromptOptions = PromptOptions & { source: PromptSource };

/**
 * The options for the question `source` describes, in the turn's language. Answers in the
 * language it was shown in before (`shownIn`) still count: the old buttons are on screen.
 */
export function sourcedPromptOptions(content: Content, channelId: string | undefined, source: Omit<PromptSource, 'language'>, shownIn?: Language): SourcedPromptOptions {
  const vars: Vars = Object.fromEntries(Object.entries(source.vars ?? {}).map(([k, v]) => [k, v !== null && typeof v === 'object' ? content.text(v.key) : v]));
  const language = currentLanguage();
  const also = shownIn && shownIn !== language ? [content.in(shownIn)] : [];
  const options = source.kind === 'choice'
    ? choicePromptOptions(content, channelId, content.text(source.key, vars), source.ids, also)
    : textPromptOptions(content, channelId, source.key, source.ids, vars, also);
  return { ...options, source: { ...source, language } };
}

/** Whether free text contains one of a choice's words, e.g. "show my cases". */
export function mentionsChoice(content: Wording, text: string, id: ChoiceId): boolean {
  return containsPhrase(text, [content.text(`choice.${id}.title`), ...content.list(`choice.${id}.synonyms`)]);
}
