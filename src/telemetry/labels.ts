import { isIntentName, type IntentName } from '../nlu/intents.js';
import { CONTACT_METHODS } from '../conversation/contact.js';
import { SPECIALIST_TEAMS } from '../../dialogs/dialogIds.js';

/**
 * Label values for metrics. Each label has a fixed set of values known in code: anything else
 * (a channel id a client made up, a team added later) becomes `other`, so no caller can grow the
 * number of series. Ids of users, conversations or cases are never labels.
 */

/** Bot Framework channel ids this service is used with, plus the Emulator, tests and the terminal. */
export const CHANNELS = ['msteams', 'slack', 'directline', 'webchat', 'emulator', 'test', 'console', 'facebook', 'telegram', 'sms', 'email', 'omnichannel', 'telephony'] as const;

/** Teams a case or queue entry can be for (`general` when none was asked for). */
export const TEAMS = ['general', ...SPECIALIST_TEAMS] as const;

export function channelLabel(channelId: string | undefined): string {
  return channelId && (CHANNELS as readonly string[]).includes(channelId) ? channelId : 'other';
}

/** An intent name from the fixed list; anything else is `none`. */
export function intentLabel(intent: string | undefined): IntentName {
  return intent && isIntentName(intent) ? intent : 'none';
}

export function teamLabel(team: string | undefined): string {
  if (!team) return 'general';
  return (TEAMS as readonly string[]).includes(team) ? team : 'other';
}

export function contactMethodLabel(method: string | undefined): string {
  return method && (CONTACT_METHODS as readonly string[]).includes(method) ? method : 'other';
}

/** Route names come from code (`RateLimits` step names); checked all the same. */
export function routeLabel(route: string): string {
  return /^[a-z][a-z0-9_]{0,39}$/.test(route) ? route : 'other';
}
