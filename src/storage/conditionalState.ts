import { ConversationState, calculateChangeHash, type StoreItem, type TurnContext } from 'botbuilder';

interface Cached { state: StoreItem; hash: string }

/**
 * `ConversationState` whose saves are conditional on the version the turn read. botbuilder's
 * `BotState.saveChanges` writes with eTag `*` (last writer wins): two instances answering one
 * conversation would silently drop one turn's changes. Here a turn that read version 7 writes
 * "if still 7", so a concurrent change is refused (`StateConflictError`), never lost. The store
 * sets the new eTag on the written object, so a second save in the same turn stays conditional.
 */
export class ConditionalConversationState extends ConversationState {
  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    // BotState keeps the turn's cached state under a private symbol; reading it is the one reach
    // into botbuilder internals here (pinned at 4.23), and it keeps load() and property accessors as they are
    const stateKey = (this as unknown as { stateKey: symbol }).stateKey;
    let cached = context.turnState.get(stateKey) as Cached | undefined;
    if (!force && !(cached && cached.hash !== calculateChangeHash(cached.state))) return;
    cached ??= { state: {}, hash: '' };
    const key = this.getStorageKey(context);
    if (!key) throw new Error('[ConditionalConversationState]: the activity has no channelId or conversation.id');
    // an item read from the store carries its eTag; a new one has none and is created
    await this.storage.write({ [key]: cached.state });
    cached.hash = calculateChangeHash(cached.state);
    context.turnState.set(stateKey, cached);
  }
}
