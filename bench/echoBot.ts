/**
 * The load benchmark's baseline: the smallest Bot Framework bot there is (restify 11 +
 * `CloudAdapter`, channel authentication off, replies with the text it got). It runs as its own
 * process, as the real bot does, so both pay for the same HTTP and adapter work and only the
 * real bot's own turn (recognizer, dialogs, stores) differs. `PORT` picks the port (0: any);
 * the bound port is printed as `listening <port>`.
 */
import restify from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const server = restify.createServer({ name: 'echo-bot', handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser());
server.get('/healthz', async (_req, res) => { res.send(200, { status: 'ok' }); });
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, async (context: TurnContext) => {
    if (context.activity.type === 'message') await context.sendActivity(`Echo: ${context.activity.text ?? ''}`);
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  console.log(`listening ${typeof addr === 'object' && addr ? addr.port : ''}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => server.close(() => process.exit(0)));
