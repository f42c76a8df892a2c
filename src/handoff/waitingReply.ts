import type { Activity } from 'botbuilder';
import type { Content } from '../content/content.js';
import { render } from '../channels/render.js';

/** "You're number 2 in the queue…" with the button to stop waiting, rendered for the channel. */
export function waitingReply(content: Content, position: number, caseNumber: string, channelId: string | undefined): Partial<Activity> {
  const cancel = content.text('handoff.cancel_button');
  return render({
    text: content.text(position <= 1 ? 'handoff.waiting_next' : 'handoff.waiting', { position, caseNumber }),
    choices: [{ title: cancel, value: cancel }],
  }, channelId);
}
