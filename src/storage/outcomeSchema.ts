import { z } from 'zod';
import type { OutcomeEvent } from './outcomeStore.js';

const iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a time');
const Base = { id: z.string().min(1).max(100), at: iso, channelId: z.string(), conversationId: z.string(), started: iso };
const Guess = z.object({ intent: z.string(), score: z.number() });

/** The shape of a stored outcome event, checked before it is written and when it is read back. */
export const OutcomeEventSchema = z.discriminatedUnion('kind', [
  z.object({ ...Base, kind: z.literal('conversation.started') }),
  z.object({
    ...Base, kind: z.literal('message'),
    reading: z.enum(['routed', 'answer', 'unmatched', 'fallback', 'clarify', 'other']),
    intent: z.string().optional(), score: z.number().optional(),
    belowThreshold: z.boolean().optional(), outOfScope: z.boolean().optional(),
    topic: z.string().optional(), language: z.string().optional(),
    text: z.string().max(2000).optional(), guesses: z.array(Guess).max(5).optional(),
  }),
  z.object({ ...Base, kind: z.literal('dialog.started'), dialog: z.string(), intent: z.string() }),
  z.object({ ...Base, kind: z.literal('dialog.finished'), dialog: z.string(), how: z.enum(['completed', 'cancelled', 'switched']) }),
  z.object({ ...Base, kind: z.literal('escalation'), caseNumber: z.string(), contactMethod: z.string(), team: z.string(), intent: z.string() }),
  z.object({ ...Base, kind: z.literal('handoff.accepted'), caseNumber: z.string(), waitMs: z.number().min(0), by: z.string().optional() }),
  z.object({ ...Base, kind: z.literal('handoff.ended'), caseNumber: z.string(), handleMs: z.number().min(0) }),
  z.object({ ...Base, kind: z.literal('solved'), solved: z.boolean() }),
  z.object({ ...Base, kind: z.literal('rating'), rating: z.number().int().min(1).max(5) }),
]);

/** `e` checked (throws naming the field that is wrong), without keys whose value is undefined. */
export function checkedEvent(e: unknown): OutcomeEvent {
  return OutcomeEventSchema.parse(e) as OutcomeEvent;
}
