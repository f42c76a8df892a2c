import { ComponentDialog, DialogSet, DialogTurnStatus, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { render, type Choice } from '../src/channels/render.js';
import type { IntentName } from '../src/nlu/intents.js';
import { topIntent, topTwo } from '../src/nlu/recognizerPort.js';
import { requireDeps, type DialogDeps } from '../src/conversation/deps.js';
import { intentButtons, intentForLabel, MAIN_MENU, PERSON_FIRST_MENU, ROUTABLE } from '../src/conversation/menu.js';
import { hadSecret, withoutSecrets } from '../src/conversation/secrets.js';
import { findSubtopic, subtopicById, SUBTOPICS, type Subtopic } from '../src/conversation/subtopics.js';
import { oneLine, REQUEST_MAX } from '../src/conversation/summary.js';
import { LINK_IDS } from '../src/conversation/links.js';
import { cachedRecognition, markFallback, recognizeOnce, type RouteRequest } from '../src/conversation/turn.js';
import { noteDialogFinished, noteDialogStarted, noteReading } from '../src/insights/turnNotes.js';
import { SWITCH_MIN, type TopicEnd } from './cancelAndHelpDialog.js';
import { CASE_STATUSES } from '../src/cases/types.js';
import { CHOICE_IDS, promptChoices } from '../src/conversation/prompts.js';
import { isExactChoice } from '../src/text/matching.js';
import { AnswerDialog, type AnswerOptions } from './answerDialog.js';
import { AppInstallDialog, APP_STEPS, type AppInstallOptions } from './appInstallDialog.js';
import { CaseStatusDialog } from './caseStatusDialog.js';
import { CONTACT_METHODS, EscalationDialog, SUMMARY_INTENTS, type EscalationOptions } from './escalationDialog.js';
import { GoodbyeDialog } from './goodbyeDialog.js';
import { LiveChatAlternativesDialog } from './liveChatAlternativesDialog.js';
import { HelpDialog, type HelpOptions } from './helpDialog.js';
import { LoginDialog, LOGIN_STEPS, type LoginOptions } from './loginDialog.js';
import { OfferHumanDialog } from './offerHumanDialog.js';
import { RecoveryDialog, type RecoveryOptions } from './recoveryDialog.js';
import { SelfServiceDialog } from './selfServiceDialog.js';
import { SpecialistDialog } from './specialistDialog.js';
import { TroubleshootDialog } from './troubleshootDialog.js';
import { ANSWER_DIALOG, APP_INSTALL_DIALOG, CASE_STATUS_DIALOG, ESCALATION_DIALOG, FORGOT_USERNAME_DIALOG, GOODBYE_DIALOG, HELP_DIALOG, LOGIN_DIALOG, MAIN_DIALOG, PASSWORD_RESET_DIALOG, SELF_SERVICE_TOPICS, selfServiceDialogId, type SelfServiceTopic, SPECIALIST_TEAMS, specialistDialogId, type SpecialistTeam } from './dialogIds.js';

const MAIN_WATERFALL = 'mainWaterfall';
/** Top two intents closer than this (both above the threshold) get "Did you mean … or …?". */
export const CLOSE_CALL = 0.25;
/** The runner-up must score at least this to be worth offering. */
const RUNNER_UP_MIN = 0.15;

/** Which dialog handles each topic intent. */
const TOPIC_DIALOGS: Partial<Record<IntentName, string>> = {
  greeting: HELP_DIALOG, help: HELP_DIALOG,
  login_help: LOGIN_DIALOG, forgot_username: FORGOT_USERNAME_DIALOG, password_reset: PASSWORD_RESET_DIALOG,
  app_install: APP_INSTALL_DIALOG, escalate: ESCALATION_DIALOG, case_status: CASE_STATUS_DIALOG, goodbye: GOODBYE_DIALOG,
  ...Object.fromEntries(SELF_SERVICE_TOPICS.map((t) => [t, selfServiceDialogId(t)])),
  ...Object.fromEntries(SPECIALIST_TEAMS.map((t) => [t, specialistDialogId(t)])),
};

/** Intents that do not start a new topic (the steps tried so far stay with the conversation). */
const KEEPS_TOPIC: IntentName[] = ['escalate', 'help', 'greeting', 'goodbye', 'case_status'];
/** Intents a frustrated message may still clearly ask for (empathy, then that path); otherwise a person is offered. */
const NOT_A_REQUEST: IntentName[] = ['none', 'greeting', 'help', 'cancel'];

interface MainOptions {
  route?: RouteRequest;
  /** A dialog to start straight away (the bot taking a conversation back from a person). */
  start?: { dialogId: string; options?: Record<string, unknown> };
}

/**
 * Every content key the dialogs build at run time (steps, choices, menus, per-topic wording),
 * expanded from the same constants the dialogs use. Checked at start-up, so a missing one stops
 * the server naming the key instead of failing a customer's turn.
 */
export function requiredContentKeys(): string[] {
  const steps = [...new Set([...LOGIN_STEPS.website, ...LOGIN_STEPS.app, ...APP_STEPS])];
  return [
    ...steps.flatMap((s) => [`${s}.text`, `${s}.label`]),
    ...['website', 'app'].map((p) => `login.signin.${p}`),
    ...['username', 'password'].flatMap((k) => ['steps', 'ask_worked', 'success', 'label'].map((s) => `recovery.${k}.${s}`)),
    ...['ios', 'android'].flatMap((d) => [`app_install.get.${d}`, `app_install.store.${d}`]), 'app_install.store.any',
    ...SELF_SERVICE_TOPICS.map((tp) => `self_service.${tp}.info`),
    ...SPECIALIST_TEAMS.flatMap((tm) => [`specialist.${tm}.info`, `team.${tm}`]), 'team.general',
    ...SUMMARY_INTENTS.map((i) => `case_summary.${i}`),
    ...['website', 'app', 'ios', 'android', 'unknown'].map((p) => `platform.${p}`),
    ...CONTACT_METHODS.filter((c) => c !== 'phone' && c !== 'email' && c !== 'social').map((c) => `escalate.method.${c}`),
    ...CASE_STATUSES.map((s) => `case_status.status.${s}`),
    ...CHOICE_IDS.flatMap((id) => [`choice.${id}.title`, `choice.${id}.synonyms`]),
    ...ROUTABLE.map((i) => `menu.${i}`),
    ...SUBTOPICS.map((sub) => `subtopic.${sub.id}.phrases`),
    ...SUBTOPICS.filter((sub) => sub.route.kind === 'answer').map((sub) => `answer.${sub.id}.text`), 'answer.hours.known',
    ...SUBTOPICS.filter((sub) => !sub.keepsTopic).map((sub) => `case_summary.sub.${sub.id}`),
    ...LINK_IDS.map((id) => `link.${id}`),
  ];
}

/**
 * The router: one recognition per turn (cached in turn state), then the dialog for the intent.
 * Close calls get "Did you mean … or …?", out-of-scope messages the fallback with the main
 * options, a second fallback in a row (or a frustrated message) the offer of a person. Topic
 * dialogs that end early (cancel, switch, escalate) come back here with where to go next.
 */
export class MainDialog extends ComponentDialog {
  private readonly deps: DialogDeps;

  constructor(deps: DialogDeps) {
    super(MAIN_DIALOG);
    this.deps = requireDeps('MainDialog', deps);
    const missing = requiredContentKeys().filter((k) => !deps.content.has(k));
    if (missing.length) throw new Error(`[MainDialog]: content keys missing from data/messages*.yml: ${missing.join(', ')}`);
    this.addDialog(new WaterfallDialog(MAIN_WATERFALL, [this.routeStep.bind(this), this.afterStep.bind(this)]));
    this.addDialog(new HelpDialog(deps));
    this.addDialog(new LoginDialog(deps));
    this.addDialog(new RecoveryDialog('username', deps));
    this.addDialog(new RecoveryDialog('password', deps));
    this.addDialog(new AppInstallDialog(deps));
    this.addDialog(new TroubleshootDialog(deps));
    this.addDialog(new EscalationDialog(deps));
    this.addDialog(new OfferHumanDialog(deps));
    this.addDialog(new CaseStatusDialog(deps));
    this.addDialog(new GoodbyeDialog(deps));
    this.addDialog(new AnswerDialog(deps));
    this.addDialog(new LiveChatAlternativesDialog(deps));
    for (const t of SELF_SERVICE_TOPICS) this.addDialog(new SelfServiceDialog(t as SelfServiceTopic, deps));
    for (const t of SPECIALIST_TEAMS) this.addDialog(new SpecialistDialog(t as SpecialistTeam, deps));
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

  /** Starts `dialogId` in this turn on an empty stack (whatever the conversation was in is cancelled). */
  async start(context: TurnContext, accessor: StatePropertyAccessor, dialogId: string, options?: Record<string, unknown>): Promise<void> {
    const dialogSet = new DialogSet(accessor);
    dialogSet.add(this);
    const dc = await dialogSet.createContext(context);
    await dc.cancelAllDialogs();
    await dc.beginDialog(this.id, { start: { dialogId, options } } satisfies MainOptions);
  }

  /**
   * Picks the topic for this message (or the one asked for) and starts its dialog. A specific
   * request the message names ("my account is locked") goes straight to its help; a frustrated
   * message that still asks for something clear gets empathy first, then that path.
   */
  private async routeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { content, progress, frustration } = this.deps;
    const ctx = step.context;
    const start = (step.options as MainOptions | undefined)?.start;
    if (start) return step.beginDialog(start.dialogId, start.options);
    const asked = (step.options as MainOptions | undefined)?.route;
    const text = ctx.activity.text ?? '';
    const result = await recognizeOnce(ctx, this.deps.recognizer);
    const label = asked ? undefined : intentForLabel(content, text);
    let intent: IntentName | undefined = asked?.intent ?? label;
    let sub = subtopicById(asked?.subtopic);
    const fromMessage = asked ? asked.fromMessage === true : !label;

    if (!intent) {
      // the privacy warning has been given; a message that only carried a secret asks for nothing
      if (hadSecret(text) && !withoutSecrets(text)) return this.offerMenu(step, 'privacy.next');
      // a plain "no" to an offer (a person, the menu) is an answer, not a misunderstanding
      if (isExactChoice(text, promptChoices(content, ['no']))) return this.offerMenu(step, 'fallback.declined');
      sub = findSubtopic(content, text);
      const top = topIntent(result);
      if (frustration.test(text)) {
        const clear = sub || (ROUTABLE.includes(top.intent) && !NOT_A_REQUEST.includes(top.intent) && top.score >= SWITCH_MIN);
        if (!clear) return this.offerPerson(step, 'frustration.offer');
        await this.send(ctx, content.text('frustration.empathy'));
      }
      if (sub) intent = sub.intent;
      else {
        const [first, second] = topTwo(result);
        if (top.intent === 'none') return this.fallback(step);
        if (second && ROUTABLE.includes(first.intent) && ROUTABLE.includes(second.intent) && second.score >= RUNNER_UP_MIN
          && first.score - second.score < CLOSE_CALL) {
          noteReading(ctx, { reading: 'clarify', intent: first.intent, score: first.score });
          await this.send(ctx, content.text('clarify.ask', { a: content.text(`menu.${first.intent}`), b: content.text(`menu.${second.intent}`) }),
            intentButtons(content, [first.intent, second.intent]));
          return step.endDialog();
        }
        intent = top.intent;
      }
    }

    // the classifier's score only when the classifier chose (not a button, a named request or a dialog's route)
    noteReading(ctx, { reading: 'routed', intent, ...(!asked && !label && !sub ? { score: topIntent(result).score } : {}) });
    await progress.update(ctx, { fallbacks: 0 });
    // "talk to a person" says nothing about the problem: a person's case gets the customer's description instead
    const request = fromMessage && intent !== 'escalate' ? oneLine(text, REQUEST_MAX) : undefined;
    if (sub) return this.startSubtopic(step, sub, request);
    if (intent === 'cancel') {
      await this.send(ctx, content.text('cancel.idle'), intentButtons(content, MAIN_MENU));
      return step.endDialog();
    }
    const dialogId = TOPIC_DIALOGS[intent];
    if (!dialogId) return this.fallback(step);
    const { topic } = await progress.get(ctx);
    // escalation, help, goodbye and case checks keep the current topic: a person should hear what was tried
    if (!KEEPS_TOPIC.includes(intent) ? topic !== intent : intent === 'escalate' && !topic) await progress.startTopic(ctx, intent, { request });
    this.started(step, dialogId, intent);
    return step.beginDialog(dialogId, { ...(intent === 'greeting' ? { greeting: true } satisfies HelpOptions : {}), ...asked?.options });
  }

  /** Starts the help for a specific request: its walk, recovery snag, answer, or the contact channel it names. */
  private async startSubtopic(step: WaterfallStepContext, sub: Subtopic, request: string | undefined): Promise<DialogTurnResult> {
    const { progress } = this.deps;
    const route = sub.route;
    const username = route.kind === 'recovery' && topIntent(await recognizeOnce(step.context, this.deps.recognizer)).intent === 'forgot_username';
    const topic: IntentName = username ? 'forgot_username' : sub.intent;
    if (!sub.keepsTopic) await progress.startTopic(step.context, topic, { subtopic: sub.id, request });
    else if (route.kind === 'contact' && !(await progress.get(step.context)).topic) await progress.startTopic(step.context, 'escalate');
    const dialogId = route.kind === 'walk' ? (route.flow === 'login' ? LOGIN_DIALOG : APP_INSTALL_DIALOG)
      : route.kind === 'recovery' ? (username ? FORGOT_USERNAME_DIALOG : PASSWORD_RESET_DIALOG)
      : route.kind === 'answer' ? ANSWER_DIALOG : ESCALATION_DIALOG;
    this.started(step, dialogId, topic);
    switch (route.kind) {
      case 'walk': return step.beginDialog(dialogId, { firstStep: route.step } satisfies LoginOptions & AppInstallOptions);
      case 'recovery': return step.beginDialog(dialogId, { branch: route.branch } satisfies RecoveryOptions);
      case 'answer': return step.beginDialog(dialogId, { subtopic: sub.id } satisfies AnswerOptions);
      case 'contact': return step.beginDialog(dialogId, { method: route.method } satisfies EscalationOptions);
    }
  }

  /** Notes that a topic's dialog starts (for the outcome events), and remembers it for `afterStep`. */
  private started(step: WaterfallStepContext, dialogId: string, intent: string): void {
    (step.values as Record<string, unknown>).dialog = dialogId;
    noteDialogStarted(step.context, dialogId, intent);
  }

  /** A topic that ended early asks for the next route; otherwise the turn is done. */
  private async afterStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const end = step.result as TopicEnd | undefined;
    const dialog = (step.values as Record<string, unknown>).dialog;
    if (typeof dialog === 'string') noteDialogFinished(step.context, dialog, end?.route ? 'switched' : end?.cancelled ? 'cancelled' : 'completed');
    if (end?.route) return step.replaceDialog(MAIN_WATERFALL, { route: end.route } satisfies MainOptions);
    return step.endDialog();
  }

  /** "I didn't get that" with the main options; the second in a row offers a person. */
  private async fallback(step: WaterfallStepContext): Promise<DialogTurnResult> {
    markFallback(step.context);
    noteReading(step.context, { reading: 'fallback', intent: 'none', score: cachedRecognition(step.context)?.intents.none?.score });
    const p = await this.deps.progress.update(step.context, { fallbacks: (await this.deps.progress.get(step.context)).fallbacks + 1 });
    if (p.fallbacks >= 2) {
      await this.deps.progress.update(step.context, { fallbacks: 0 });
      return this.offerPerson(step, 'fallback.second');
    }
    await this.send(step.context, this.deps.content.text('fallback.first'), intentButtons(this.deps.content, MAIN_MENU));
    return step.endDialog();
  }

  /** Offers a person first, with the main options after it. */
  private async offerPerson(step: WaterfallStepContext, key: string): Promise<DialogTurnResult> {
    await this.send(step.context, this.deps.content.text(key), intentButtons(this.deps.content, PERSON_FIRST_MENU));
    return step.endDialog();
  }

  /** Says the message at `key` with the main options. */
  private async offerMenu(step: WaterfallStepContext, key: string): Promise<DialogTurnResult> {
    await this.send(step.context, this.deps.content.text(key), intentButtons(this.deps.content, MAIN_MENU));
    return step.endDialog();
  }

  private async send(context: TurnContext, text: string, choices?: Choice[]): Promise<void> {
    await context.sendActivity(render({ text, choices }, context.activity.channelId));
  }
}
