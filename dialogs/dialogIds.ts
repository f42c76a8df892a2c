/**
 * Every dialog and prompt id, in one place. Dialogs are started by id from other dialogs
 * (`beginDialog(ESCALATION_DIALOG)`; `findDialog` searches the parents, where `MainDialog`
 * registers each once), and ids are saved in conversation state with the dialog stack: renaming
 * one strands the conversations under way in it. A dialog's own waterfall id stays in its file.
 */

export const MAIN_DIALOG = 'mainDialog';

/** The prompts every dialog has (`CancelAndHelpDialog` adds them). */
export const CHOICE_PROMPT = 'choicePrompt';
export const TEXT_PROMPT = 'textPrompt';
/** A prompt for the customer's own words (a description): only help and cancel interrupt it. */
export const FREE_TEXT_PROMPT = 'freeTextPrompt';

export const HELP_DIALOG = 'helpDialog';
export const ANSWER_DIALOG = 'answerDialog';
export const GOODBYE_DIALOG = 'goodbyeDialog';
export const LOGIN_DIALOG = 'loginDialog';
export const TROUBLESHOOT_DIALOG = 'troubleshootDialog';
export const FORGOT_USERNAME_DIALOG = 'forgotUsernameDialog';
export const PASSWORD_RESET_DIALOG = 'passwordResetDialog';
export const APP_INSTALL_DIALOG = 'appInstallDialog';
export const CASE_STATUS_DIALOG = 'caseStatusDialog';
export const OFFER_HUMAN_DIALOG = 'offerHumanDialog';
export const ESCALATION_DIALOG = 'escalationDialog';
export const ALTERNATIVES_DIALOG = 'liveChatAlternativesDialog';

/** Topics answered from content with links and a "did that help?" (`SelfServiceDialog`), one dialog id each. */
export const SELF_SERVICE_TOPICS = ['billing', 'data_usage', 'plan_change', 'store_visit'] as const;
export type SelfServiceTopic = (typeof SELF_SERVICE_TOPICS)[number];
export const selfServiceDialogId = (topic: SelfServiceTopic): string => `selfService_${topic}`;

/** Topics a specialist team handles (`SpecialistDialog`), one dialog id each. */
export const SPECIALIST_TEAMS = ['business', 'international', 'tech_support'] as const;
export type SpecialistTeam = (typeof SPECIALIST_TEAMS)[number];
export const specialistDialogId = (team: SpecialistTeam): string => `specialist_${team}`;
