import type { TurnContext } from 'botbuilder';
import type { MessageReading } from '../storage/outcomeStore.js';

/**
 * What the dialogs tell the outcome recorder about the turn, kept in `turnState`: how the
 * customer's message was taken, and the things that happened (a topic's dialog started or
 * finished, a case was opened, a goodbye answer). Noting never fails and never writes;
 * `OutcomeMiddleware` records it all once, when the turn ends.
 */
const NOTES = Symbol('support-bot.outcomeNotes');

/** How the message was taken, as the dialog that took it says. */
export interface ReadingNote {
  reading: MessageReading;
  /** The intent acted on (`none` for a fallback). */
  intent?: string;
  /** The classifier's probability for it, when the classifier chose it (not a button or a named request). */
  score?: number;
}

/** A thing that happened in the turn. */
export type TurnEvent =
  | { kind: 'dialog.started'; dialog: string; intent: string }
  | { kind: 'dialog.finished'; dialog: string; how: 'completed' | 'cancelled' | 'switched' }
  | { kind: 'escalation'; caseNumber: string; contactMethod: string; team: string; intent: string }
  | { kind: 'solved'; solved: boolean }
  | { kind: 'rating'; rating: number };

export interface TurnNotes { reading?: ReadingNote; events: TurnEvent[] }

function notes(context: TurnContext): TurnNotes {
  let n = context.turnState.get(NOTES) as TurnNotes | undefined;
  if (!n) context.turnState.set(NOTES, (n = { events: [] }));
  return n;
}

/**
 * Notes how the message was taken. The first note stands (a message a question took as its
 * answer stays an answer when that answer then leads elsewhere), except that a question that
 * could not match the message after all turns `answer` into `unmatched`.
 */
export function noteReading(context: TurnContext, note: ReadingNote): void {
  const n = notes(context);
  if (!n.reading || (n.reading.reading === 'answer' && note.reading === 'unmatched')) n.reading = note;
}

/** Notes something that happened in this turn. */
export function noteEvent(context: TurnContext, event: TurnEvent): void {
  notes(context).events.push(event);
}

/** Notes that the router starts a topic's dialog. */
export function noteDialogStarted(context: TurnContext, dialog: string, intent: string): void {
  noteEvent(context, { kind: 'dialog.started', dialog, intent });
}

/** Notes that a topic's dialog ended: done, left ("cancel"), or for another topic. */
export function noteDialogFinished(context: TurnContext, dialog: string, how: 'completed' | 'cancelled' | 'switched'): void {
  noteEvent(context, { kind: 'dialog.finished', dialog, how });
}

/** Everything noted in this turn. */
export function turnNotes(context: TurnContext): TurnNotes {
  return notes(context);
}
