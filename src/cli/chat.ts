/**
 * `npm run chat`: talk to the real bot (same dialogs, recognizer and stores) in the terminal.
 * Type `/quit` to leave; `/new` starts a fresh conversation. With the embedded store the
 * server must not be running on the same DATA_DIR (one process per folder).
 */
import { createInterface } from 'node:readline/promises';
import { randomUUID } from 'node:crypto';
import { ActivityTypes, CardFactory, type Activity, type Attachment, type TurnContext } from 'botbuilder';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { loadKnowledge } from '../app.js';
import { openStores } from '../storage/index.js';
import { createBot } from '../createBot.js';
import { ConsoleAdapter } from './consoleAdapter.js';

const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
const logger = createLogger(config.logLevel, process.stderr);
const knowledge = loadKnowledge(config, logger);
const stores = await openStores(config, logger);
const { turns } = createBot({ ...knowledge, stores, logger });

function show(a: Partial<Activity>): void {
  // typing, hand-off events and the like are for channels and contact centres, not for the terminal
  if (a.type !== ActivityTypes.Message) return;
  const lines: string[] = [];
  if (a.text) lines.push(a.text);
  for (const att of (a.attachments ?? []) as Attachment[]) {
    if (att.contentType === CardFactory.contentTypes.heroCard) {
      const c = att.content as { title?: string; text?: string; buttons?: Array<{ title: string }> };
      if (c.title) lines.push(c.title);
      if (c.text) lines.push(c.text);
      c.buttons?.forEach((b, i) => lines.push(`  [${i + 1}] ${b.title}`));
    } else lines.push(`(${att.contentType})`);
  }
  a.suggestedActions?.actions.forEach((b, i) => lines.push(`  [${i + 1}] ${b.title}`));
  if (lines.length) process.stdout.write(`\x1b[36mbot>\x1b[0m ${lines.join('\n     ')}\n`);
}

let adapter = newConversation();
function newConversation(): ConsoleAdapter {
  return turns.configure(new ConsoleAdapter(show, `console-${randomUUID()}`, process.env.USER ?? 'console-user'));
}
const run = (context: TurnContext) => turns.inConversation('console', adapter.reference.conversation.id, () => turns.logic(context));

await adapter.receive({ type: ActivityTypes.ConversationUpdate, membersAdded: [adapter.reference.user!] }, run);
const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
rl.setPrompt('\x1b[33myou>\x1b[0m ');
rl.prompt();
for await (const line of rl) {
  const text = line.trim();
  if (text === '/quit' || text === '/exit') break;
  if (text === '/new') {
    adapter = newConversation();
    await adapter.receive({ type: ActivityTypes.ConversationUpdate, membersAdded: [adapter.reference.user!] }, run);
  } else {
    await adapter.receive({ type: ActivityTypes.Message, text: line }, run);
  }
  rl.prompt();
}
rl.close();
await stores.flush();
await stores.close();
process.exit(0);
