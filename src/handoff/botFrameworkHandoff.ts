import { EventFactory, type Activity, type TranscriptStore, type TurnContext } from 'botbuilder';
import type { CaseRecord } from '../cases/types.js';
import { redactActivity } from '../privacy/redact.js';
import { readWholeTranscript } from '../transcripts/transcripts.js';

/** What a contact-centre integration receives in `handoff.initiate`'s `value`. */
export interface HandoffContext {
  caseNumber: string;
  team?: string;
  intent: string;
  summary: string;
  stepsTried: string[];
  contactMethod?: string;
}

/**
 * The Bot Framework hand-off protocol's `handoff.initiate` event for `record`: case number, team,
 * summary and steps tried, with the conversation's redacted transcript as a `Transcript`
 * attachment. It goes to the configured contact centre (`HandoffConnector`), never back to the
 * customer's channel (on the self-hosted Direct Line that would be the customer's own browser).
 */
export async function handoffInitiationEvent(context: TurnContext, record: CaseRecord, transcripts: TranscriptStore): Promise<Partial<Activity>> {
  if (!record?.number) throw new Error('[handoffInitiationEvent]: Missing parameter. record is required');
  const { channelId } = context.activity;
  const conversationId = context.activity.conversation?.id;
  const earlier = channelId && conversationId ? await readWholeTranscript(transcripts, channelId, conversationId) : [];
  // the transcript logger writes this turn at its end: add the customer's current message
  const current = context.activity.type === 'message' && !earlier.some((a) => a.id && a.id === context.activity.id) ? [context.activity] : [];
  const activities = [...earlier, ...current].map((a) => redactActivity({ ...a }) as Activity);
  const handoffContext: HandoffContext = {
    caseNumber: record.number, team: record.team, intent: record.intent, summary: record.summary,
    stepsTried: [...record.stepsTried], contactMethod: record.contactMethod,
  };
  return EventFactory.createHandoffInitiation(context, handoffContext, { activities });
}
